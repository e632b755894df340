#include "winplan/win_path.h"

#include <gtest/gtest.h>

namespace cordon::winplan {
namespace {

std::string Plan(std::string_view text) {
  Result<WinPath> p = ParseWinPath(text);
  return p.ok() ? p->PlanPath() : "error: " + p.error().message;
}

bool Refused(std::string_view text) { return !ParseWinPath(text).ok(); }

TEST(WinPathTest, SpellingsOfOnePathAgree) {
  EXPECT_EQ(Plan("C:\\Users\\me\\proj"), "/C:/Users/me/proj");
  EXPECT_EQ(Plan("c:/Users/me/proj/"), "/C:/Users/me/proj");
  EXPECT_EQ(Plan("\\\\?\\C:\\Users\\me\\proj"), "/C:/Users/me/proj");
  EXPECT_EQ(Plan("\\??\\C:\\Users\\me"), "/C:/Users/me");
  EXPECT_EQ(Plan("/C:/Users/me/proj"), "/C:/Users/me/proj");
  EXPECT_EQ(Plan("C:\\Users\\.\\me\\x\\..\\proj"), "/C:/Users/me/proj");
  EXPECT_EQ(Plan("C:\\..\\.."), "/C:");
  EXPECT_EQ(Plan("C:\\"), "/C:");
}

TEST(WinPathTest, NativeAndExtendedForms) {
  WinPath p = *ParseWinPath("/c:/Users/me");
  EXPECT_EQ(p.Native(), "C:\\Users\\me");
  EXPECT_EQ(p.Extended(), "\\\\?\\C:\\Users\\me");
  EXPECT_EQ(ParseWinPath("C:\\")->Native(), "C:\\");
}

TEST(WinPathTest, CaseVariantsShareAKey) {
  EXPECT_EQ(ParseWinPath("C:\\ws\\.GiT\\HOOKS")->Key(), ParseWinPath("c:\\WS\\.git\\hooks")->Key());
  EXPECT_NE(ParseWinPath("C:\\ws\\.git\\hooks")->Key(), ParseWinPath("C:\\ws\\.git\\hook")->Key());
  EXPECT_EQ(ParseWinPath("C:\\ws\\.GiT\\hooks")->PlanPath(), "/C:/ws/.GiT/hooks");  // case kept for display
}

TEST(WinPathTest, StreamsOfTheObjectItselfFoldOntoItsName) {
  EXPECT_EQ(Plan("C:\\ws\\.git\\config::$DATA"), "/C:/ws/.git/config");
  EXPECT_EQ(Plan("C:\\ws\\.git\\config::$data"), "/C:/ws/.git/config");
  EXPECT_EQ(Plan("C:\\ws\\.git:$I30:$INDEX_ALLOCATION\\hooks"), "/C:/ws/.git/hooks");
  EXPECT_EQ(Plan("C:\\ws\\.git::$INDEX_ALLOCATION\\hooks"), "/C:/ws/.git/hooks");
}

TEST(WinPathTest, OtherAlternateDataStreamsAreRefused) {
  EXPECT_TRUE(Refused("C:\\ws\\file.txt:hidden"));
  EXPECT_TRUE(Refused("C:\\ws\\file.txt:hidden:$DATA"));
  EXPECT_TRUE(Refused("C:\\ws\\.git:x\\hooks"));
  EXPECT_TRUE(Refused("C:\\ws\\:stream"));
  EXPECT_TRUE(Refused("C:\\ws\\a:b:c:d"));
}

TEST(WinPathTest, TrailingDotsAndSpaces) {
  EXPECT_EQ(Plan("C:\\ws\\.git\\hooks."), "/C:/ws/.git/hooks");  // Win32 strips them from the last name
  EXPECT_EQ(Plan("C:\\ws\\.git\\hooks . ."), "/C:/ws/.git/hooks");
  EXPECT_TRUE(Refused("C:\\ws\\.git.\\hooks"));  // kept literally inside a path: another name
  EXPECT_TRUE(Refused("C:\\ws\\hooks.\\"));
  EXPECT_TRUE(Refused("\\\\?\\C:\\ws\\hooks."));  // literal under \\?\: another file
  EXPECT_TRUE(Refused("C:\\ws\\..."));
}

TEST(WinPathTest, ReservedDeviceNames) {
  for (const char* name : {"CON", "con", "NUL", "nul.txt", "NUL .txt", "Aux", "PRN", "COM1", "com9.log", "LPT0",
                           "COM\xC2\xB9", "LPT\xC2\xB3", "CONIN$", "conout$", "NUL."}) {
    EXPECT_TRUE(IsReservedDeviceName(name)) << name;
    EXPECT_TRUE(Refused(std::string("C:\\ws\\") + name)) << name;
  }
  for (const char* name : {"CONSOLE", "nully", "COM", "COM10", "LPT", "icon", "aux_", "con-fig"}) {
    EXPECT_FALSE(IsReservedDeviceName(name)) << name;
  }
}

TEST(WinPathTest, ShortNameAliasesAreFlagged) {
  for (const char* name : {"PROGRA~1", "GIT~2.TXT", "HOOKS~1", "a~1", "ABCDE~12"}) EXPECT_TRUE(IsShortNameAlias(name)) << name;
  for (const char* name : {"Program Files", "~1", "foo~", "foo~bar", "toolongname~1", "GIT~2.TEXT", "a~1b"}) {
    EXPECT_FALSE(IsShortNameAlias(name)) << name;
  }
  EXPECT_TRUE(ParseWinPath("C:\\PROGRA~1\\x")->has_short_names);
  EXPECT_FALSE(ParseWinPath("C:\\Program Files\\x")->has_short_names);
}

TEST(WinPathTest, NonLocalAndRelativeFormsAreRefused) {
  for (const char* p : {"\\\\server\\share\\x", "//server/share/x", "\\\\?\\UNC\\server\\share", "\\\\.\\C:\\x",
                        "\\\\.\\PhysicalDrive0", "\\\\?\\GLOBALROOT\\Device\\x", "\\x", "/x", "C:x", "C:", "x\\y",
                        "", "..\\x", "\\\\?\\C:\\a\\..\\b", "\\\\?\\C:/a", "C:\\a|b", "C:\\a*", "C:\\a?"}) {
    EXPECT_TRUE(Refused(p)) << p;
  }
  EXPECT_TRUE(Refused(std::string("C:\\a\0b", 6)));
}

TEST(WinPathTest, DrivePlanPaths) {
  EXPECT_TRUE(IsDrivePlanPath("/C:"));
  EXPECT_TRUE(IsDrivePlanPath("/d:/x"));
  EXPECT_FALSE(IsDrivePlanPath("/usr"));
  EXPECT_FALSE(IsDrivePlanPath("/C:x"));
  EXPECT_FALSE(IsDrivePlanPath("C:/x"));
}

}  // namespace
}  // namespace cordon::winplan
