// MakePlan: policy + facts -> launch plan.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "plan/launch_plan.h"
#include "policy/paths.h"
#include "policy/profiles.h"
#include "policy/toml_loader.h"

namespace cordon::plan {
namespace {

using policy::Access;
using policy::EffectiveAccess;
using ::testing::Contains;
using ::testing::HasSubstr;
using ::testing::Not;

Facts DefaultFacts() {
  Facts f;
  f.home = "/home/u";
  f.workspace = "/home/u/proj";
  f.cwd = "/home/u/proj";
  f.environ = {"PATH=/usr/bin:/bin", "HOME=/home/u", "TERM=xterm", "GITHUB_TOKEN=ghp_x", "EDITOR=vim",
               "LD_PRELOAD=/x.so"};
  f.total_memory_bytes = 64ull << 30;
  return f;
}

policy::Policy Profile(std::string_view name) {
  Result<policy::Policy> p = policy::BuiltinProfile(name);
  EXPECT_TRUE(p.ok());
  return p.ok() ? *p : policy::Policy{};
}

policy::Policy FromToml(const std::string& text) {
  Result<policy::Policy> p = policy::LoadPolicyText(text, "p.toml");
  EXPECT_TRUE(p.ok()) << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : policy::Policy{};
}

LaunchPlan MustPlan(const policy::Policy& pol, const Facts& f, std::vector<std::string> argv = {"make"}) {
  Result<LaunchPlan> r = MakePlan(pol, f, std::move(argv));
  EXPECT_TRUE(r.ok()) << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : LaunchPlan{};
}

std::string PlanError(const policy::Policy& pol, const Facts& f, std::vector<std::string> argv = {"make"}) {
  Result<LaunchPlan> r = MakePlan(pol, f, std::move(argv));
  EXPECT_FALSE(r.ok()) << "plan unexpectedly made";
  return r.ok() ? "" : r.error().message;
}

std::optional<Access> At(const LaunchPlan& p, const std::string& path) { return EffectiveAccess(p.fs, path); }

TEST(Planner, DefaultProfileAccess) {
  LaunchPlan p = MustPlan(Profile(policy::kDefaultProfile), DefaultFacts(), {"make", "-j8"});
  EXPECT_EQ(p.argv, (std::vector<std::string>{"make", "-j8"}));
  EXPECT_EQ(p.profile, "workspace-write");
  EXPECT_FALSE(p.unrestricted);
  EXPECT_EQ(p.workspace, "/home/u/proj");
  EXPECT_EQ(p.home, "/home/u");
  EXPECT_EQ(p.network.mode, policy::NetworkMode::kNone);

  EXPECT_EQ(At(p, "/home/u/proj"), Access::kWrite);
  EXPECT_EQ(At(p, "/home/u/proj/src/main.cc"), Access::kWrite);
  EXPECT_EQ(At(p, "/home/u/proj/.git"), Access::kWrite);
  EXPECT_EQ(At(p, "/home/u/proj/.git/objects/ab"), Access::kWrite);
  EXPECT_EQ(At(p, "/home/u/proj/.git/hooks"), Access::kRead);
  EXPECT_EQ(At(p, "/home/u/proj/.git/hooks/pre-commit"), Access::kRead);
  EXPECT_EQ(At(p, "/home/u/proj/.git/config"), Access::kRead);
  EXPECT_EQ(At(p, "/home/u/.ssh"), Access::kDeny);
  EXPECT_EQ(At(p, "/home/u/.ssh/id_ed25519"), Access::kDeny);
  EXPECT_EQ(At(p, "/home/u/.aws/credentials"), Access::kDeny);
  EXPECT_EQ(At(p, "/etc/shadow"), Access::kDeny);
  EXPECT_EQ(At(p, "/etc/passwd"), Access::kRead);
  EXPECT_EQ(At(p, "/usr/bin/cc"), Access::kRead);
  EXPECT_EQ(At(p, "/home/u/.cargo/bin/cargo"), Access::kRead);
  EXPECT_EQ(At(p, "/"), std::nullopt);
  EXPECT_EQ(At(p, "/home"), std::nullopt);
  EXPECT_EQ(At(p, "/home/u"), std::nullopt);
  EXPECT_EQ(At(p, "/home/u/Documents/taxes.pdf"), std::nullopt);
  EXPECT_EQ(At(p, "/home/other"), std::nullopt);
  EXPECT_EQ(At(p, "/root"), std::nullopt);
  EXPECT_EQ(At(p, "/var/lib"), std::nullopt);
}

TEST(Planner, RulesAreResolvedSortedAndUnique) {
  LaunchPlan p = MustPlan(Profile("workspace-write"), DefaultFacts());
  ASSERT_FALSE(p.fs.empty());
  for (size_t i = 0; i < p.fs.size(); ++i) {
    const policy::PathRule& r = p.fs[i];
    ASSERT_FALSE(r.path.empty());
    EXPECT_EQ(r.path.front(), '/') << r.path;
    EXPECT_EQ(policy::NormalizePath(r.path), r.path);
    EXPECT_EQ(r.path.find('~'), std::string::npos) << r.path;
    EXPECT_EQ(r.path.find("{workspace}"), std::string::npos) << r.path;
    if (i > 0) {
      EXPECT_LT(p.fs[i - 1].path, r.path);
    }
  }
}

TEST(Planner, SamePathStrongestKindWins) {
  // deny_read > deny_write > write > read on the very same path.
  policy::Policy pol;
  pol.name = "t";
  auto e = [](const char* p) { return policy::PathEntry{p, {"t", 0}}; };
  pol.fs.read = {e("/srv/a"), e("/srv/b"), e("/srv/c"), e("{workspace}")};
  pol.fs.write = {e("/srv/a"), e("/srv/b"), e("/srv/c"), e("/srv/d")};
  pol.fs.deny_write = {e("/srv/b"), e("/srv/c")};
  pol.fs.deny_read = {e("/srv/c"), e("/srv/d")};
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  EXPECT_EQ(At(p, "/srv/a"), Access::kWrite);
  EXPECT_EQ(At(p, "/srv/b"), Access::kRead);
  EXPECT_EQ(At(p, "/srv/c"), Access::kDeny);
  EXPECT_EQ(At(p, "/srv/d"), Access::kDeny);
  EXPECT_EQ(std::count_if(p.fs.begin(), p.fs.end(), [](const policy::PathRule& r) { return r.path == "/srv/c"; }), 1);
}

TEST(Planner, ReadOnlyProfile) {
  LaunchPlan p = MustPlan(Profile("read-only"), DefaultFacts());
  EXPECT_EQ(At(p, "/home/u/proj/x"), Access::kRead);
  EXPECT_EQ(At(p, "/home/u/.ssh/id_rsa"), Access::kDeny);
  EXPECT_TRUE(std::none_of(p.fs.begin(), p.fs.end(), [](const policy::PathRule& r) { return r.access == Access::kWrite; }));
}

TEST(Planner, WorkspaceRootRejected) {
  Facts f = DefaultFacts();
  f.workspace = "/";
  f.cwd = "/";
  std::string e = PlanError(Profile("workspace-write"), f);
  EXPECT_THAT(e, HasSubstr("workspace /"));
  PlanError(Profile("read-only"), f);
}

TEST(Planner, EmptyArgvRejected) {
  std::string e = PlanError(Profile("workspace-write"), DefaultFacts(), {});
  EXPECT_THAT(e, HasSubstr("no command"));
  PlanError(Profile("full"), DefaultFacts(), {});
}

TEST(Planner, DenyWriteOutsideWritableRootRejectedWithFileLine) {
  policy::Policy pol = FromToml(
      "version = 1\n"
      "extends = \"workspace-write\"\n"
      "[filesystem]\n"
      "deny_write = [\"{workspace}/vendor\", \"/etc/hosts\"]\n");
  std::string e = PlanError(pol, DefaultFacts());
  EXPECT_THAT(e, HasSubstr("p.toml:4"));
  EXPECT_THAT(e, HasSubstr("/etc/hosts"));
  EXPECT_THAT(e, Not(HasSubstr("vendor")));
}

TEST(Planner, DenyWriteInsideWritableRootFromFileAccepted) {
  policy::Policy pol = FromToml(
      "version = 1\nextends = \"workspace-write\"\n[filesystem]\nwrite = [\"/srv/out\"]\n"
      "deny_write = [\"{workspace}/vendor\", \"/srv/out/keep\"]\n");
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  EXPECT_EQ(At(p, "/home/u/proj/vendor/lib.c"), Access::kRead);
  EXPECT_EQ(At(p, "/srv/out/x"), Access::kWrite);
  EXPECT_EQ(At(p, "/srv/out/keep/y"), Access::kRead);
}

TEST(Planner, WorkspaceThatIsDeniedRejected) {
  Facts f = DefaultFacts();
  f.workspace = "/home/u/.ssh";
  f.cwd = "/home/u/.ssh";
  std::string e = PlanError(Profile("workspace-write"), f);
  EXPECT_THAT(e, HasSubstr("/home/u/.ssh"));
  PlanError(Profile("read-only"), f);

  policy::Policy pol =
      FromToml("version = 1\nextends = \"workspace-write\"\n[filesystem]\ndeny_read = [\"/home/u/proj\"]\n");
  EXPECT_THAT(PlanError(pol, DefaultFacts()), HasSubstr("/home/u/proj"));
}

TEST(Planner, RelativeExpansionRejected) {
  // A relative home makes "~/..." entries relative after expansion.
  Facts f = DefaultFacts();
  f.home = "relative/home";
  std::string e = PlanError(Profile("workspace-write"), f);
  EXPECT_THAT(e, HasSubstr("not absolute"));
}

TEST(Planner, CwdInsideWorkspaceKept) {
  Facts f = DefaultFacts();
  f.cwd = "/home/u/proj/src/lib";
  LaunchPlan p = MustPlan(Profile("workspace-write"), f);
  EXPECT_EQ(p.cwd, "/home/u/proj/src/lib");
  EXPECT_THAT(p.env, Contains("PWD=/home/u/proj/src/lib"));
}

TEST(Planner, CwdOutsideWorkspaceFallsBackToWorkspace) {
  for (const char* cwd : {"/home/u", "/home/u/other", "/tmp/x", "/home/u/.ssh", "/home/u/.ssh/keys", "/"}) {
    Facts f = DefaultFacts();
    f.cwd = cwd;
    LaunchPlan p = MustPlan(Profile("workspace-write"), f);
    EXPECT_EQ(p.cwd, "/home/u/proj") << cwd;
    EXPECT_THAT(p.env, Contains("PWD=/home/u/proj")) << cwd;
  }
}

TEST(Planner, MemoryLimitCappedAtHalfOfRam) {
  Facts f = DefaultFacts();
  f.total_memory_bytes = 4ull << 30;
  LaunchPlan small = MustPlan(Profile("workspace-write"), f);
  EXPECT_EQ(small.limits.memory_bytes, 2ull << 30);

  f.total_memory_bytes = 64ull << 30;
  LaunchPlan big = MustPlan(Profile("workspace-write"), f);
  EXPECT_EQ(big.limits.memory_bytes, policy::Limits{}.memory_bytes);

  f.total_memory_bytes = 0;  // unknown: no cap
  LaunchPlan unknown = MustPlan(Profile("workspace-write"), f);
  EXPECT_EQ(unknown.limits.memory_bytes, policy::Limits{}.memory_bytes);

  policy::Policy pol = FromToml("version = 1\nextends = \"workspace-write\"\n[limits]\nmemory = \"32GiB\"\n");
  f.total_memory_bytes = 16ull << 30;
  LaunchPlan capped = MustPlan(pol, f);
  EXPECT_EQ(capped.limits.memory_bytes, 8ull << 30);
}

TEST(Planner, OtherLimitsAndFlagsCarriedOver) {
  policy::Policy pol = FromToml(
      "version = 1\nextends = \"workspace-write\"\nbest_effort = true\n[limits]\nprocesses = 7\ntimeout = 3\n"
      "[network]\nmode = \"full\"\n");
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  EXPECT_EQ(p.limits.processes, 7u);
  EXPECT_EQ(p.limits.timeout_seconds, 3.0);
  EXPECT_TRUE(p.best_effort);
  EXPECT_EQ(p.network.mode, policy::NetworkMode::kFull);
  EXPECT_EQ(p.profile, "p.toml");
}

TEST(Planner, UnrestrictedPlanKeepsEnvironmentUntouched) {
  Facts f = DefaultFacts();
  f.cwd = "/somewhere/else";
  LaunchPlan p = MustPlan(Profile("full"), f, {"bash"});
  EXPECT_TRUE(p.unrestricted);
  EXPECT_EQ(p.env, f.environ);  // same entries, same order, secrets included
  EXPECT_TRUE(p.dropped_env.empty());
  EXPECT_EQ(p.cwd, "/somewhere/else");
  EXPECT_TRUE(p.fs.empty());
  EXPECT_THAT(Describe(p), HasSubstr("NONE"));
}

TEST(Planner, UnrestrictedAllowsWorkspaceRoot) {
  Facts f = DefaultFacts();
  f.workspace = "/";
  EXPECT_TRUE(MakePlan(Profile("full"), f, {"sh"}).ok());
}

TEST(Planner, EnvironmentScrubbedWithHomeAndPwd) {
  Facts f = DefaultFacts();
  f.environ.push_back("HOME=/elsewhere");
  LaunchPlan p = MustPlan(Profile("workspace-write"), f);
  EXPECT_TRUE(std::is_sorted(p.env.begin(), p.env.end()));
  EXPECT_THAT(p.env, Contains("TERM=xterm"));
  EXPECT_THAT(p.env, Contains("EDITOR=vim"));
  EXPECT_THAT(p.env, Contains("HOME=/home/u"));
  EXPECT_THAT(p.env, Not(Contains("HOME=/elsewhere")));
  EXPECT_THAT(p.env, Contains("PWD=/home/u/proj"));
  EXPECT_THAT(p.dropped_env, Contains("GITHUB_TOKEN"));
  EXPECT_THAT(p.dropped_env, Contains("LD_PRELOAD"));
  for (const std::string& e : p.env) {
    EXPECT_FALSE(e.starts_with("GITHUB_TOKEN=")) << e;
    EXPECT_FALSE(e.starts_with("LD_PRELOAD=")) << e;
  }
}

TEST(Planner, DefaultPathWhenCallerHasNone) {
  Facts f = DefaultFacts();
  f.environ = {"TERM=dumb"};
  LaunchPlan p = MustPlan(Profile("workspace-write"), f);
  auto path = std::find_if(p.env.begin(), p.env.end(), [](const std::string& e) { return e.starts_with("PATH="); });
  ASSERT_NE(path, p.env.end());
  EXPECT_THAT(*path, HasSubstr("/usr/bin"));
  EXPECT_TRUE(std::is_sorted(p.env.begin(), p.env.end()));
}

TEST(Planner, HiddenEnvRootsExcludeSystemWorkspaceAndBuiltinToolchains) {
  policy::Policy pol = FromToml(
      "version = 1\nextends = \"workspace-write\"\n[filesystem]\n"
      "read = [\"~/work/shared\", \"/srv/data\", \"/usr/local/share\"]\nwrite = [\"/var/cache/ccache\"]\n");
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  const auto& roots = p.hidden_env_roots;
  EXPECT_THAT(roots, Contains("/home/u/work/shared"));  // from the file, under home: scanned
  EXPECT_THAT(roots, Contains("/srv/data"));
  EXPECT_THAT(roots, Contains("/var/cache/ccache"));
  // Applications keep .env files in /etc and /usr/local: those two system roots are searched too.
  EXPECT_THAT(roots, Contains("/etc"));
  EXPECT_THAT(roots, Contains("/usr/local"));
  for (const std::string& r : roots) {
    if (r == "/etc" || r == "/usr/local") continue;
    for (const char* sys : {"/usr", "/bin", "/sbin", "/lib", "/lib64", "/etc", "/proc", "/sys", "/dev"}) {
      EXPECT_FALSE(policy::IsSameOrUnder(r, sys)) << r;
    }
    EXPECT_NE(r, "/home/u/proj") << "the workspace itself is never scanned";
    // The built-in tool chains under $HOME.
    for (const char* tc : {"/home/u/.rustup", "/home/u/.pyenv", "/home/u/.cargo/bin", "/home/u/.nvm",
                           "/home/u/.gitconfig", "/home/u/.local/bin"}) {
      EXPECT_NE(r, tc);
    }
    // Denied paths are not roots.
    EXPECT_NE(EffectiveAccess(p.fs, r), Access::kDeny) << r;
  }
}

TEST(Planner, HiddenEnvRootsEmptyWhenDisabled) {
  policy::Policy pol = FromToml(
      "version = 1\nextends = \"workspace-write\"\n[filesystem]\nread = [\"/srv/data\"]\nhide_env_files = false\n");
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  EXPECT_TRUE(p.hidden_env_roots.empty());
}

TEST(Planner, UnixSocketsExpanded) {
  policy::Policy pol = FromToml(
      "version = 1\nextends = \"workspace-write\"\n[filesystem]\nunix_sockets = [\"~/.run/agent.sock\", \"/run/x.sock\"]\n");
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  EXPECT_EQ(p.unix_sockets, (std::vector<std::string>{"/home/u/.run/agent.sock", "/run/x.sock"}));
}

TEST(Planner, DescribeListsRulesAndOrigins) {
  policy::Policy pol =
      FromToml("version = 1\nextends = \"workspace-write\"\n[filesystem]\nread = [\"/srv/data\"]\n");
  std::string d = Describe(MustPlan(pol, DefaultFacts()));
  EXPECT_THAT(d, HasSubstr("/srv/data"));
  EXPECT_THAT(d, HasSubstr("p.toml:4"));
  EXPECT_THAT(d, HasSubstr("/home/u/.ssh"));
  EXPECT_THAT(d, HasSubstr("workspace: /home/u/proj"));
  EXPECT_THAT(d, Not(HasSubstr("ghp_")));  // never values
}

TEST(Planner, NetworkSectionCarriedAndPrinted) {
  policy::Policy pol = FromToml(
      "version = 1\nextends = \"workspace-write\"\n[network]\nmode = \"allowlist\"\n"
      "allow = [\"GitHub.com:443\", \"*.example.org:*\"]\ndeny = [\"secret.example.org:*\"]\n"
      "hosts = { \"mirror.test\" = \"127.1\" }\n");
  LaunchPlan p = MustPlan(pol, DefaultFacts());
  EXPECT_EQ(p.network.mode, policy::NetworkMode::kAllowlist);
  ASSERT_EQ(p.network.allow.size(), 2u);
  ASSERT_EQ(p.network.deny.size(), 1u);
  EXPECT_TRUE(p.network.Rules().DecideName("api.example.org", 8080).allowed);

  std::string d = Describe(p);
  EXPECT_THAT(d, HasSubstr("network: allowlist\n"));
  EXPECT_THAT(d, HasSubstr("allow GitHub.com:443    # p.toml:5"));
  EXPECT_THAT(d, HasSubstr("allow *.example.org:*    # p.toml:5"));
  EXPECT_THAT(d, HasSubstr("deny  secret.example.org:*    # p.toml:6"));
  EXPECT_THAT(d, HasSubstr("host  mirror.test = 127.0.0.1"));

  std::string j = ToJson(p);
  EXPECT_THAT(j, HasSubstr("\"mode\": \"allowlist\""));
  EXPECT_THAT(j, HasSubstr("\"pattern\": \"GitHub.com:443\""));
  EXPECT_THAT(j, HasSubstr("\"origin\": \"p.toml:5\""));
  EXPECT_THAT(j, HasSubstr("\"pattern\": \"secret.example.org:*\""));
  EXPECT_THAT(j, HasSubstr("\"mirror.test\": \"127.0.0.1\""));
}

TEST(Planner, NetworkNonePrintsOnlyTheMode) {
  LaunchPlan p = MustPlan(Profile(policy::kDefaultProfile), DefaultFacts());
  EXPECT_THAT(Describe(p), HasSubstr("network: none\nfilesystem"));
  EXPECT_THAT(ToJson(p), HasSubstr("\"network\": {\n    \"mode\": \"none\",\n    \"allow\": [],\n    \"deny\": [],\n"
                                   "    \"hosts\": {}\n  }"));
}

}  // namespace
}  // namespace cordon::plan
