#include "winplan/translate.h"

#include <gtest/gtest.h>

#include "fake_resolver.h"
#include "plan/launch_plan.h"
#include "policy/profiles.h"
#include "winplan/environment.h"
#include "winplan/identity.h"

namespace cordon::winplan {
namespace {

using policy::Access;

constexpr const char* kAccount = "S-1-5-21-1-2-3-1001";

class TranslateTest : public ::testing::Test {
 protected:
  TranslateTest() {
    fs_.Add("C:\\Users\\me");
    fs_.Add("C:\\Users\\me\\proj");
    fs_.Add("C:\\Users\\me\\proj\\.git");
    fs_.Add("C:\\Users\\me\\proj\\.git\\hooks");
    fs_.Add("C:\\Users\\me\\proj\\.git\\config", "", true);
    fs_.Add("C:\\Users\\me\\.ssh");
    fs_.Add("C:\\Windows\\System32\\cmd.exe", "", true);
    facts_.home = "/C:/Users/me";
    facts_.workspace = "/C:/Users/me/proj";
    facts_.cwd = "/C:/Users/me/proj";
    facts_.environ = CallerEnvironForPlan({"Path=C:\\Windows\\System32;.", "SystemRoot=C:\\Windows",
                                           "ComSpec=C:\\Windows\\System32\\cmd.exe", "GITHUB_TOKEN=ghp_x",
                                           "=C:=C:\\Users\\me"});
    options_.caller_env = {"Path=C:\\Windows\\System32", "SystemRoot=C:\\Windows", "USERPROFILE=C:\\Users\\me"};
    options_.temp_dir = "/C:/Users/me/AppData/Local/cordon/tmp/run1";
    options_.cpu_count = 4;
  }

  plan::LaunchPlan MakePlan(const std::string& profile, policy::NetworkMode net, bool best_effort = false) {
    policy::Policy pol = *policy::BuiltinProfile(profile);
    pol.network.mode = net;
    pol.best_effort = best_effort;
    Result<plan::LaunchPlan> p = plan::MakePlan(pol, facts_, {"cmd", "/c", "echo hi"});
    EXPECT_TRUE(p.ok()) << p.error().ToString();
    return *p;
  }

  void WithAccount() {
    options_.setup.sandbox_account = true;
    options_.setup.account_sid = kAccount;
    options_.setup.firewall_rules = true;
  }

  static const AceOp* FindAce(const WindowsPlan& p, const std::string& path, Trustee who, AceType type) {
    for (const AceOp& a : p.aces) {
      if (KeyOf(a.path) == KeyOf(path) && a.trustee == who && a.type == type) return &a;
    }
    return nullptr;
  }

  FakeResolver fs_;
  plan::Facts facts_;
  TranslateOptions options_;
};

TEST_F(TranslateTest, NetworkNoneWithoutSetupIsRefused) {
  Result<WindowsPlan> r = Translate(MakePlan("workspace-write", policy::NetworkMode::kNone), options_, fs_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("network mode none"), std::string::npos) << r.error().ToString();
  EXPECT_NE(r.error().hint.find("cordon.exe setup"), std::string::npos);
}

TEST_F(TranslateTest, AllowlistIsRefusedEvenWithSetup) {
  WithAccount();
  policy::Policy pol = *policy::BuiltinProfile("workspace-write");
  ASSERT_TRUE(pol.network.ApplyFlags("", {"example.com:443"}).ok());
  Result<plan::LaunchPlan> p = plan::MakePlan(pol, facts_, {"cmd"});
  ASSERT_TRUE(p.ok());
  Result<WindowsPlan> r = Translate(*p, options_, fs_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("proxy"), std::string::npos);
}

TEST_F(TranslateTest, DenyReadWithoutTheAccountIsRefusedUnlessBestEffort) {
  Result<WindowsPlan> r = Translate(MakePlan("workspace-write", policy::NetworkMode::kFull), options_, fs_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("deny_read"), std::string::npos) << r.error().ToString();

  r = Translate(MakePlan("workspace-write", policy::NetworkMode::kFull, true), options_, fs_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_FALSE(r->unenforced.empty());
  EXPECT_NE(r->unenforced.front().find("deny_read"), std::string::npos);
  EXPECT_EQ(FindAce(*r, "/C:/Users/me/.ssh", Trustee::kSandboxAccount, AceType::kDeny), nullptr);
}

TEST_F(TranslateTest, WorkspaceWriteWithoutTheAccount) {
  Result<WindowsPlan> r = Translate(MakePlan("workspace-write", policy::NetworkMode::kFull, true), options_, fs_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const WindowsPlan& p = *r;
  EXPECT_EQ(p.workspace_sid, WorkspaceSid(KeyOf("/C:/Users/me/proj")));
  EXPECT_EQ(p.token.restricting_sids, std::vector<std::string>{p.workspace_sid});
  EXPECT_TRUE(p.token.write_restricted);
  EXPECT_FALSE(p.run_as_sandbox_account);
  const AceOp* ws = FindAce(p, "/C:/Users/me/proj", Trustee::kWorkspace, AceType::kAllow);
  ASSERT_NE(ws, nullptr);
  EXPECT_EQ(ws->mask & kWriteRights, kWriteRights);
  EXPECT_EQ(ws->mask & (kWriteDac | kWriteOwner), 0u);  // never the right to edit the ACL
  EXPECT_TRUE(ws->inherit);
  EXPECT_EQ(ws->lifetime, Lifetime::kPersistent);
  for (const char* protected_path : {"/C:/Users/me/proj/.git/hooks", "/C:/Users/me/proj/.git/config",
                                     "/C:/Users/me/proj/.cordon", "/C:/Users/me/proj/.cordon.toml"}) {
    const AceOp* deny = FindAce(p, protected_path, Trustee::kWorkspace, AceType::kDeny);
    ASSERT_NE(deny, nullptr) << protected_path;
    EXPECT_EQ(deny->mask, kDenyWriteRights);
  }
  // Linux defaults are not Windows paths: left out, and said so.
  bool noted = false;
  for (const std::string& n : p.notes) noted |= n.find("/etc/shadow") != std::string::npos;
  EXPECT_TRUE(noted);
  const AceOp* temp = FindAce(p, options_.temp_dir, Trustee::kWorkspace, AceType::kAllow);
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->lifetime, Lifetime::kRun);
}

TEST_F(TranslateTest, WithTheAccountReadsAreConfinedToo) {
  WithAccount();
  Result<WindowsPlan> r = Translate(MakePlan("workspace-write", policy::NetworkMode::kNone), options_, fs_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const WindowsPlan& p = *r;
  EXPECT_TRUE(p.run_as_sandbox_account);
  const AceOp* ssh = FindAce(p, "/C:/Users/me/.ssh", Trustee::kSandboxAccount, AceType::kDeny);
  ASSERT_NE(ssh, nullptr);
  EXPECT_EQ(ssh->mask & kFileReadData, kFileReadData);
  EXPECT_NE(FindAce(p, "/C:/Users/me/proj", Trustee::kSandboxAccount, AceType::kAllow), nullptr);
  EXPECT_NE(FindAce(p, "/C:/Users/me/proj", Trustee::kWorkspace, AceType::kAllow), nullptr);
  // A tool chain in the caller's profile is granted to the account, read only.
  const AceOp* gitconfig = FindAce(p, "/C:/Users/me/.gitconfig", Trustee::kSandboxAccount, AceType::kAllow);
  ASSERT_NE(gitconfig, nullptr);
  EXPECT_EQ(gitconfig->mask & kWriteRights, 0u);
  for (const std::string& u : p.unenforced) EXPECT_EQ(u.find("deny_read"), std::string::npos) << u;
}

TEST_F(TranslateTest, RulesLandOnTheObjectALinkOrShortNameLeadsTo) {
  fs_.Add("C:\\Users\\me\\proj\\.GIT\\HOOKS~1", "C:\\Users\\me\\proj\\.git\\hooks");
  fs_.Add("C:\\Users\\me\\keys", "D:\\vault\\keys");  // a junction out of the profile
  WithAccount();
  policy::Policy pol = *policy::BuiltinProfile("workspace-write");
  pol.fs.deny_read.push_back({"~/keys", {"p.toml", 3}});
  pol.fs.deny_write.push_back({"{workspace}/.GIT/HOOKS~1", {"p.toml", 4}});
  Result<plan::LaunchPlan> plan = plan::MakePlan(pol, facts_, {"cmd"});
  ASSERT_TRUE(plan.ok()) << plan.error().ToString();
  Result<WindowsPlan> r = Translate(*plan, options_, fs_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_NE(FindAce(*r, "/D:/vault/keys", Trustee::kSandboxAccount, AceType::kDeny), nullptr);
  int hooks = 0;
  for (const AceOp& a : r->aces) hooks += KeyOf(a.path) == KeyOf("/C:/Users/me/proj/.git/hooks") ? 1 : 0;
  EXPECT_EQ(hooks, 1);  // both spellings name one object: one ACE
}

TEST_F(TranslateTest, UnresolvableShortNameIsRefused) {
  WithAccount();
  policy::Policy pol = *policy::BuiltinProfile("workspace-write");
  pol.fs.deny_read.push_back({"~/SECRET~1", {"p.toml", 3}});
  Result<plan::LaunchPlan> plan = plan::MakePlan(pol, facts_, {"cmd"});
  ASSERT_TRUE(plan.ok());
  Result<WindowsPlan> r = Translate(*plan, options_, fs_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().ToString().find("8.3"), std::string::npos) << r.error().ToString();
}

TEST_F(TranslateTest, AlternateDataStreamInAPolicyIsRefused) {
  WithAccount();
  policy::Policy pol = *policy::BuiltinProfile("workspace-write");
  pol.fs.write.push_back({"/C:/Users/me/notes.txt:hidden", {"p.toml", 5}});
  Result<plan::LaunchPlan> plan = plan::MakePlan(pol, facts_, {"cmd"});
  ASSERT_TRUE(plan.ok());
  Result<WindowsPlan> r = Translate(*plan, options_, fs_);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().ToString().find("p.toml:5"), std::string::npos) << r.error().ToString();
}

TEST_F(TranslateTest, JobLimits) {
  WithAccount();
  policy::Policy pol = *policy::BuiltinProfile("workspace-write");
  pol.limits.processes = 64;
  pol.limits.memory_bytes = 1ull << 30;
  pol.limits.cpus = 2;
  pol.limits.timeout_seconds = 30;
  Result<plan::LaunchPlan> plan = plan::MakePlan(pol, facts_, {"cmd"});
  ASSERT_TRUE(plan.ok());
  Result<WindowsPlan> r = Translate(*plan, options_, fs_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  const JobLimits& j = r->job;
  EXPECT_EQ(j.active_processes, 64u);
  EXPECT_EQ(j.job_memory, 1ull << 30);
  EXPECT_EQ(j.process_memory, 1ull << 30);
  EXPECT_EQ(j.cpu_rate, 5000u);  // 2 of 4 cores
  EXPECT_EQ(j.timeout_seconds, 30);
  EXPECT_NE(j.limit_flags & kJobLimitKillOnJobClose, 0u);
  EXPECT_NE(j.limit_flags & kJobLimitActiveProcess, 0u);
  EXPECT_NE(j.limit_flags & kJobLimitJobMemory, 0u);
  EXPECT_EQ(j.limit_flags & 0x1800u, 0u);  // neither BREAKAWAY_OK nor SILENT_BREAKAWAY_OK
  EXPECT_EQ(j.ui_restrictions, kJobUiLimitAll);
  EXPECT_TRUE(r->private_desktop);
}

TEST_F(TranslateTest, EnvironmentAndProgram) {
  WithAccount();
  Result<WindowsPlan> r = Translate(MakePlan("workspace-write", policy::NetworkMode::kNone), options_, fs_);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->program, "C:\\Windows\\System32\\cmd.exe");
  EXPECT_EQ(r->cwd, "C:\\Users\\me\\proj");
  EXPECT_EQ(FindVariable(r->env, "PATH"), "C:\\Windows\\System32");  // "." dropped
  EXPECT_EQ(FindVariable(r->env, "SystemRoot"), "C:\\Windows");
  EXPECT_EQ(FindVariable(r->env, "TEMP"), "C:\\Users\\me\\AppData\\Local\\cordon\\tmp\\run1");
  EXPECT_EQ(FindVariable(r->env, "NoDefaultCurrentDirectoryInExePath"), "1");
  EXPECT_EQ(FindVariable(r->env, "GITHUB_TOKEN"), "");  // scrubbed by the planner, not re-added
  EXPECT_NE(Describe(*r).find("write-restricted token"), std::string::npos);
}

TEST(WorkspaceSidTest, StableAndDistinct) {
  const std::string a = WorkspaceSid(KeyOf("/C:/Users/me/proj"));
  EXPECT_EQ(a, WorkspaceSid(KeyOf("/c:/users/ME/PROJ")));
  EXPECT_NE(a, WorkspaceSid(KeyOf("/C:/Users/me/proj2")));
  EXPECT_TRUE(a.starts_with("S-1-15-3-1024-"));
  EXPECT_EQ(std::count(a.begin(), a.end(), '-'), 2 + 2 + 8);
}

}  // namespace
}  // namespace cordon::winplan
