#include "winplan/program_search.h"

#include <gtest/gtest.h>

#include "fake_resolver.h"

namespace cordon::winplan {
namespace {

class ProgramSearchTest : public ::testing::Test {
 protected:
  ProgramSearchTest() {
    fs_.Add("C:\\Windows\\System32\\cmd.exe", "", true);
    fs_.Add("C:\\Program Files\\Git\\cmd\\git.exe", "", true);
    fs_.Add("C:\\ws\\git.exe", "", true);        // a stub planted in the workspace
    fs_.Add("C:\\ws\\bin\\npm.cmd", "", true);  // in a writable PATH directory
    fs_.Add("C:\\ws\\tool.bat", "", true);
    search_.path = "C:\\ws\\bin;.;C:\\Windows\\System32;\"C:\\Program Files\\Git\\cmd\";relative\\dir";
    search_.pathext = ".COM;.EXE;.BAT;.CMD";
    search_.writable_keys = {ParseWinPath("C:\\ws")->Key()};
  }
  std::string Find(const std::string& name) {
    Result<std::optional<WinPath>> r = FindProgram(name, *ParseWinPath("C:\\ws"), search_, fs_);
    if (!r.ok()) return "error";
    return *r ? (*r)->Native() : "not found";
  }
  FakeResolver fs_;
  ProgramSearch search_;
};

TEST_F(ProgramSearchTest, BareNamesSkipTheCurrentAndWritableDirectories) {
  EXPECT_EQ(Find("git"), "C:\\Program Files\\Git\\cmd\\git.exe");  // not the workspace's stub
  EXPECT_EQ(Find("GIT.EXE"), "C:\\Program Files\\Git\\cmd\\git.exe");
  EXPECT_EQ(Find("cmd"), "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(Find("npm"), "not found");  // only in a directory the sandbox writes
  EXPECT_EQ(Find("tool"), "not found");  // only in the current directory
}

TEST_F(ProgramSearchTest, PathsAreUsedAsGiven) {
  EXPECT_EQ(Find(".\\tool"), "C:\\ws\\tool.bat");
  EXPECT_EQ(Find("bin\\npm"), "C:\\ws\\bin\\npm.cmd");
  EXPECT_EQ(Find("C:\\ws\\git.exe"), "C:\\ws\\git.exe");
  EXPECT_EQ(Find("C:\\ws\\git.exe::$DATA"), "C:\\ws\\git.exe");
  EXPECT_EQ(Find("C:\\ws\\git.exe:evil"), "error");
  EXPECT_EQ(Find("NUL"), "error");
}

TEST(ShadowsProgramTest, NamesThatCmdWouldPickFirst) {
  EXPECT_TRUE(ShadowsProgram("git.exe", "git", ""));
  EXPECT_TRUE(ShadowsProgram("GIT.CMD", "git", ""));
  EXPECT_TRUE(ShadowsProgram("git.ps1", "git", ""));
  EXPECT_FALSE(ShadowsProgram("git.txt", "git", ""));
  EXPECT_FALSE(ShadowsProgram("gitk.exe", "git", ""));
}

}  // namespace
}  // namespace cordon::winplan
