// Enforcement of the Windows sandbox, checked the only way it can be: on real Windows. Under Wine (CI) the program
// prints why and exits 77, which ctest reports as "Skipped" (never as passed). The fuller attack suite, with the
// cases that need an administrator or a network, is tests/windows/escape.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "helpers.h"
#include "windows/win32.h"

namespace cordon::windows {
namespace {

using testing::RunCaptured;

class EnforcementTest : public ::testing::Test {
 protected:
  EnforcementTest() : ws_(testing::TempDirectory(L"enf-ws")), outside_(testing::TempDirectory(L"enf-out")) {
    CreateDirectoryW((ws_ + L"\\.git").c_str(), nullptr);
    CreateDirectoryW((ws_ + L"\\.git\\hooks").c_str(), nullptr);
    std::ofstream(std::filesystem::path(ws_ + L"\\.git\\config")) << "[core]\n";
    std::ofstream(std::filesystem::path(ws_ + L"\\policy.toml"))
        << "version = 1\nextends = \"workspace-write\"\nbest_effort = true\n[network]\nmode = \"full\"\n";
  }
  // The probe's verdict on writing `path` from inside the sandbox.
  std::string TryWrite(const std::wstring& path) {
    testing::Ran r = RunCaptured(L"\"" + testing::CordonExe() + L"\" run --no-redact --policy \"" + ws_ + L"\\policy.toml\" -w \"" +
                                 ws_ + L"\" -- \"" + testing::ProbeExe() + L"\" write \"" + path + L"\"");
    return r.output.find("\nok") != std::string::npos || r.output.rfind("ok", 0) == 0 ? "ok" : r.output;
  }
  std::wstring ws_, outside_;
};

TEST_F(EnforcementTest, WritesInsideTheWorkspaceWork) { EXPECT_EQ(TryWrite(ws_ + L"\\made.txt"), "ok"); }

TEST_F(EnforcementTest, WritesOutsideAreRefused) {
  EXPECT_NE(TryWrite(outside_ + L"\\escaped.txt"), "ok");
  EXPECT_FALSE(std::filesystem::exists(std::filesystem::path(outside_ + L"\\escaped.txt")));
}

TEST_F(EnforcementTest, GitHooksInAnyCaseAreRefused) {
  EXPECT_NE(TryWrite(ws_ + L"\\.git\\hooks\\pre-commit"), "ok");
  EXPECT_NE(TryWrite(ws_ + L"\\.GiT\\HOOKS\\post-checkout"), "ok");
  EXPECT_NE(TryWrite(ws_ + L"\\.git\\config"), "ok");
  EXPECT_NE(TryWrite(ws_ + L"\\.git\\config:evil"), "ok");         // an alternate data stream of it
  EXPECT_NE(TryWrite(ws_ + L"\\.git::$INDEX_ALLOCATION\\hooks\\x"), "ok");
}

}  // namespace
}  // namespace cordon::windows

int main(int argc, char** argv) {
  if (cordon::windows::RunningUnderWine()) {
    std::puts("SKIPPED: Wine accepts restricted tokens and ACLs without enforcing them; run this program (or "
              "tests/windows/escape) on real Windows");
    return 77;
  }
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
