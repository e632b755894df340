// The Win32 layer's plumbing, under Wine in CI (and on Windows): each facility is created and reads back as asked,
// and cordon.exe runs a command end to end. These tests check calls and wiring, not enforcement: Wine accepts
// restricted tokens, ACLs and job limits without enforcing them (enforcement_test.cc, tests/windows/escape).
#include <aclapi.h>
#include <gtest/gtest.h>

#include <fstream>
#include <filesystem>

#include "helpers.h"
#include "windows/acl.h"
#include "windows/desktop.h"
#include "windows/job.h"
#include "windows/resolver.h"
#include "windows/token.h"
#include "windows/win32.h"
#include "winplan/identity.h"

namespace cordon::windows {
namespace {

using testing::CordonExe;
using testing::ProbeExe;
using testing::RunCaptured;
using testing::TempDirectory;

const std::string kSid = winplan::WorkspaceSid("/C:/TEST");

TEST(TokenTest, RestrictedTokenCarriesTheWorkspaceSid) {
  winplan::TokenPlan plan;
  plan.restricting_sids = {kSid};
  Result<UniqueHandle> token = MakeSandboxToken(plan);
  ASSERT_TRUE(token.ok()) << token.error().ToString();
  DWORD size = 0;
  GetTokenInformation(token->get(), TokenRestrictedSids, nullptr, 0, &size);
  std::vector<unsigned char> buf(size);
  if (size == 0 || !GetTokenInformation(token->get(), TokenRestrictedSids, buf.data(), size, &size)) {
    GTEST_SKIP() << "this system does not report TokenRestrictedSids (Wine)";
  }
  auto* groups = reinterpret_cast<TOKEN_GROUPS*>(buf.data());
  Result<SidPtr> sid = SidFromString(kSid);
  ASSERT_TRUE(sid.ok());
  bool found = false;
  for (DWORD i = 0; i < groups->GroupCount; ++i) found |= EqualSid(groups->Groups[i].Sid, sid->get()) != 0;
  EXPECT_TRUE(found);
}

TEST(JobTest, LimitsReadBack) {
  winplan::JobLimits l;
  l.limit_flags = winplan::kJobLimitKillOnJobClose | winplan::kJobLimitActiveProcess | winplan::kJobLimitJobMemory;
  l.active_processes = 7;
  l.job_memory = 256ull << 20;
  l.ui_restrictions = winplan::kJobUiLimitAll;
  Result<UniqueHandle> job = CreateSandboxJob(l);
  ASSERT_TRUE(job.ok()) << job.error().ToString();
  JOBOBJECT_EXTENDED_LIMIT_INFORMATION info{};
  ASSERT_TRUE(QueryInformationJobObject(job->get(), JobObjectExtendedLimitInformation, &info, sizeof info, nullptr));
  if (RunningUnderWine() && info.BasicLimitInformation.LimitFlags == 0) {
    GTEST_SKIP() << "Wine accepts job limits but does not report them back";
  }
  EXPECT_EQ(info.BasicLimitInformation.LimitFlags & l.limit_flags, l.limit_flags);
  EXPECT_EQ(info.BasicLimitInformation.ActiveProcessLimit, 7u);
  EXPECT_EQ(info.JobMemoryLimit, 256ull << 20);
}

TEST(DesktopTest, PrivateStationAndDesktop) {
  Result<PrivateDesktop> d = PrivateDesktop::Create("plumbing-" + std::to_string(GetCurrentProcessId()), kSid);
  ASSERT_TRUE(d.ok()) << d.error().ToString();
  EXPECT_EQ(d->name().substr(d->name().size() - 8), L"\\sandbox");
}

TEST(AclTest, AddIsIdempotentAndRemoveTakesItAway) {
  const std::string dir = Narrow(TempDirectory(L"acl"));
  AppliedAce ace{dir, kSid, false, winplan::kWriteRights};
  Result<bool> first = AddAce(ace, true);
  ASSERT_TRUE(first.ok()) << first.error().ToString();
  EXPECT_TRUE(*first);
  Result<bool> second = AddAce(ace, true);
  ASSERT_TRUE(second.ok());
  if (*second) GTEST_SKIP() << "the ACE added was not read back (Wine does not store file ACLs)";
  ASSERT_TRUE(RemoveAce(ace).ok());
  Result<bool> again = AddAce(ace, true);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(*again);  // it was gone
  ASSERT_TRUE(RemoveAce(ace).ok());
}

TEST(ResolverTest, ExistingAndMissing) {
  Win32PathResolver r;
  const std::string dir = Narrow(TempDirectory(L"resolve"));
  Result<std::optional<winplan::WinPath>> found = r.Resolve(*winplan::ParseWinPath(dir));
  ASSERT_TRUE(found.ok()) << found.error().ToString();
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->Key(), winplan::ParseWinPath(dir)->Key());
  Result<std::optional<winplan::WinPath>> missing = r.Resolve(*winplan::ParseWinPath(dir + "\\nothing"));
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());
}

// cordon.exe end to end: a workspace with a best-effort policy (no setup exists under Wine).
class CordonExeTest : public ::testing::Test {
 protected:
  CordonExeTest() : ws_(TempDirectory(L"ws")) {
    std::ofstream(std::filesystem::path(ws_ + L"\\policy.toml"))
        << "version = 1\nextends = \"workspace-write\"\nbest_effort = true\n[network]\nmode = \"full\"\n";
  }
  testing::Ran Cordon(const std::wstring& args) {
    return RunCaptured(L"\"" + CordonExe() + L"\" run --no-redact --policy \"" + ws_ + L"\\policy.toml\" -w \"" + ws_ +
                       L"\" " + args);
  }
  std::wstring ws_;
};

TEST_F(CordonExeTest, ExitCodeAndOutputPassThrough) {
  testing::Ran r = Cordon(L"-- \"" + ProbeExe() + L"\" say hello-from-sandbox");
  EXPECT_EQ(r.exit_code, 0u) << r.output;
  EXPECT_NE(r.output.find("hello-from-sandbox"), std::string::npos) << r.output;
  r = Cordon(L"-- \"" + ProbeExe() + L"\" exit 7");
  EXPECT_EQ(r.exit_code, 7u) << r.output;
  EXPECT_NE(r.output.find("not enforced: deny_read"), std::string::npos) << r.output;  // said, not silent
}

TEST_F(CordonExeTest, NetworkNoneWithoutSetupFailsClosed) {
  testing::Ran r = RunCaptured(L"\"" + CordonExe() + L"\" run --no-redact -w \"" + ws_ + L"\" -- cmd /c echo ran");
  EXPECT_EQ(r.exit_code, 125u) << r.output;
  EXPECT_NE(r.output.find("network mode none needs"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("ran\r\n"), std::string::npos) << r.output;
}

TEST_F(CordonExeTest, OutputWithoutARedactorFailsClosed) {
  testing::Ran r = RunCaptured(L"\"" + CordonExe() + L"\" run --policy \"" + ws_ + L"\\policy.toml\" -w \"" + ws_ +
                               L"\" -- cmd /c echo ran");
  EXPECT_EQ(r.exit_code, 125u) << r.output;
  EXPECT_NE(r.output.find("output redaction is not available on Windows"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("ran\r\n"), std::string::npos) << r.output;
}

TEST_F(CordonExeTest, TimeoutEndsTheWholeJob) {
  testing::Ran r = Cordon(L"--timeout 1 -- \"" + ProbeExe() + L"\" sleep 30");
  EXPECT_EQ(r.exit_code, 124u) << r.output;
  EXPECT_LT(r.seconds, 20);
}

TEST_F(CordonExeTest, MissingProgramIs127) {
  testing::Ran r = Cordon(L"-- no-such-program-cordon");
  EXPECT_EQ(r.exit_code, 127u) << r.output;
}

TEST_F(CordonExeTest, StubInTheWorkspaceIsNotRunForABareName) {
  // A "cmd.exe" planted in the workspace (the current directory) prints STUB; the search must skip it.
  ASSERT_TRUE(CopyFileW(ProbeExe().c_str(), (ws_ + L"\\cmd.exe").c_str(), FALSE));
  testing::Ran r = Cordon(L"-- cmd /c echo real-cmd");
  EXPECT_NE(r.output.find("real-cmd"), std::string::npos) << r.output;
}

TEST_F(CordonExeTest, DryRunPrintsTheWindowsPlan) {
  testing::Ran r = Cordon(L"--dry-run -- cmd /c echo x");
  EXPECT_EQ(r.exit_code, 0u) << r.output;
  EXPECT_NE(r.output.find("write-restricted token"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("ace allow workspace-sid"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace cordon::windows

// A suite whose tests were skipped (Wine cannot show what they check) exits 77: ctest reports it "Skipped", with
// the reason above, instead of counting it as passed.
int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  const int rc = RUN_ALL_TESTS();
  if (rc == 0 && ::testing::UnitTest::GetInstance()->skipped_test_count() > 0) return 77;
  return rc;
}
