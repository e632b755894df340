#include "winplan/command_line.h"

#include <gtest/gtest.h>

namespace cordon::winplan {
namespace {

std::string Line(const std::vector<std::string>& argv, bool batch = false) {
  Result<std::string> r = CommandLine(argv, batch);
  return r.ok() ? *r : "error";
}

TEST(CommandLineTest, QuotesForTheCRuntime) {
  EXPECT_EQ(Line({"git", "status"}), "git status");
  EXPECT_EQ(Line({"C:\\Program Files\\x.exe", ""}), "\"C:\\Program Files\\x.exe\" \"\"");
  EXPECT_EQ(Line({"a", "say \"hi\""}), "a \"say \\\"hi\\\"\"");
  EXPECT_EQ(Line({"a", "C:\\dir with space\\"}), "a \"C:\\dir with space\\\\\"");
  EXPECT_EQ(Line({"a", "x\\\\\"y"}), "a \"x\\\\\\\\\\\"y\"");
  EXPECT_EQ(Line({"a", "C:\\no\\space\\"}), "a C:\\no\\space\\");
}

TEST(CommandLineTest, BatchFilesRefuseWhatCmdWouldInterpret) {
  EXPECT_EQ(Line({"build.cmd", "release", "x64"}, true), "build.cmd release x64");
  for (const char* bad : {"a&calc", "%PATH%", "x|y", "\"q\"", "a^b", "(x)", "!v!", "a\nb", "<in"}) {
    EXPECT_EQ(Line({"build.cmd", bad}, true), "error") << bad;
  }
  EXPECT_TRUE(IsBatchFile("C:\\x\\BUILD.CMD"));
  EXPECT_TRUE(IsBatchFile("t.bat"));
  EXPECT_FALSE(IsBatchFile("t.exe"));
}

}  // namespace
}  // namespace cordon::winplan
