// The run.start/run.end events: no secret in the arguments, a digest that names the policy and not the command.
#include "cli/run_events.h"

#include <gtest/gtest.h>

namespace cordon::cli {
namespace {

TEST(RunEvents, ArgumentsThatHoldASecretAreRedacted) {
  const std::string key = "ghp_Zq8Rw2Lk5Vn1Tb7Yc3Xm9Pd4Hs6Jf0Ga2Ue8";
  std::vector<std::string> argv = {"curl", "-H", "Authorization: token " + key, "https://api.github.com/"};
  std::vector<std::string> out = RedactedArgv(argv, {});
  ASSERT_EQ(out.size(), 4u);
  EXPECT_EQ(out[0], "curl");
  EXPECT_EQ(out[3], "https://api.github.com/");
  EXPECT_EQ(out[2].find(key), std::string::npos) << out[2];
  EXPECT_NE(out[2].find("[REDACTED:"), std::string::npos) << out[2];
}

TEST(RunEvents, CallerSecretValuesAreRedactedWhereverTheyAre) {
  std::vector<std::string> out =
      RedactedArgv({"sh", "-c", "echo s3cr3t-value-1234 | mysql -u root"}, {"s3cr3t-value-1234", "short"});
  EXPECT_EQ(out[2], "echo [REDACTED:secret-value] | mysql -u root");
}

TEST(RunEvents, PlainCommandsAreUnchanged) {
  std::vector<std::string> argv = {"git", "commit", "-m", "fix: the parser", "--author=A <a@b.c>"};
  EXPECT_EQ(RedactedArgv(argv, {}), argv);
  argv = {"bash", "-c", "cd src && make -j2 && ./run_tests --filter=parser_long_test_name"};
  EXPECT_EQ(RedactedArgv(argv, {}), argv);
}

TEST(RunEvents, UrlWithPasswordIsRedacted) {
  std::vector<std::string> out = RedactedArgv({"git", "clone", "https://bob:Hunter2Hunter2@git.example.org/r.git"}, {});
  EXPECT_EQ(out[2].find("Hunter2Hunter2"), std::string::npos) << out[2];
}

TEST(RunEvents, DigestNamesThePolicyNotTheCommand) {
  plan::LaunchPlan a;
  a.argv = {"true"};
  a.workspace = "/w";
  a.limits.processes = 10;
  plan::LaunchPlan b = a;
  b.argv = {"false"};
  b.env = {"LANG=C"};
  EXPECT_EQ(PlanDigest(a), PlanDigest(b));
  EXPECT_EQ(PlanDigest(a).size(), 64u);
  b.limits.processes = 11;
  EXPECT_NE(PlanDigest(a), PlanDigest(b));
}

TEST(RunEvents, EndEventCarriesUsage) {
  RunOutcome o;
  o.kind = RunOutcome::Kind::kTimedOut;
  o.exit_code = 124;
  o.usage.cpu_user = 1.5;
  o.usage.peak_memory = 4096;
  o.usage.peak_memory_of = "sandbox";
  nlohmann::json e = RunEndEvent(o);
  EXPECT_EQ(e["outcome"], "timed_out");
  EXPECT_EQ(e["exit_code"], 124);
  EXPECT_EQ(e["cpu_user"], 1.5);
  EXPECT_EQ(e["peak_memory"], 4096);
  EXPECT_TRUE(e["output_bytes"].is_null());  // not counted: --no-redact
  o.usage.output_counted = true;
  o.usage.stdout_bytes = 10;
  EXPECT_EQ(RunEndEvent(o)["output_bytes"]["stdout"], 10);
}

}  // namespace
}  // namespace cordon::cli
