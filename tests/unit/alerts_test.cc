// The alert engine (audit/alerts.h): counts, windows, globs, match lists, once per run, kill and hook actions,
// and what an alert may copy from its event. Synthetic events, a fake clock, no processes.
#include "audit/alerts.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "policy/alert_rules.h"

namespace cordon::audit {
namespace {

using policy::AlertAction;
using policy::AlertRule;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

struct Recorded {
  std::string type;
  nlohmann::json fields;
};

class RecordingSink : public EventSink {
 public:
  void Emit(const std::string& type, const nlohmann::json& fields) override { events.push_back({type, fields}); }
  std::vector<nlohmann::json> Alerts() const {
    std::vector<nlohmann::json> out;
    for (const Recorded& e : events) {
      if (e.type == "alert") out.push_back(e.fields);
    }
    return out;
  }
  std::vector<Recorded> events;
};

class FakeHooks : public HookRunner {
 public:
  void Start(const std::vector<std::string>& argv, const std::string& input) override {
    started.push_back({argv, input});
  }
  std::vector<std::pair<std::vector<std::string>, std::string>> started;
};

AlertRule MakeRule(std::string id, std::string on, uint64_t count = 1, double window = 0) {
  AlertRule r;
  r.id = std::move(id);
  r.on = std::move(on);
  r.count = count;
  r.window_seconds = window;
  r.message = "message of " + r.id;
  r.origin = {"test", 0};
  return r;
}

class AlertEngineTest : public ::testing::Test {
 protected:
  AlertEngine Make(std::vector<AlertRule> rules) {
    return AlertEngine(
        std::move(rules), sink_, [this](const std::string& reason) { stops_.push_back(reason); }, &hooks_,
        "0123456789abcdef", [this] { return now_; });
  }
  RecordingSink sink_;
  FakeHooks hooks_;
  std::vector<std::string> stops_;
  double now_ = 1000;
};

TEST_F(AlertEngineTest, EveryEventPassesOnAndTheAlertFollowsItsTrigger) {
  AlertEngine engine = Make({MakeRule("redacted", "output.redacted")});
  engine.Emit("run.start", {{"cwd", "/w"}});
  engine.Emit("output.redacted", {{"stream", "stdout"}, {"rule", "github-pat"}, {"count", 2}});
  ASSERT_EQ(sink_.events.size(), 3u);
  EXPECT_EQ(sink_.events[0].type, "run.start");
  EXPECT_EQ(sink_.events[1].type, "output.redacted");
  EXPECT_EQ(sink_.events[1].fields["rule"], "github-pat");
  ASSERT_EQ(sink_.events[2].type, "alert");
  const nlohmann::json& a = sink_.events[2].fields;
  EXPECT_EQ(a["rule"], "redacted");
  EXPECT_EQ(a["severity"], "warning");
  EXPECT_EQ(a["message"], "message of redacted");
  EXPECT_EQ(a["trigger"], "output.redacted");
  EXPECT_EQ(a["count"], 1);
  EXPECT_EQ(a["window"], 0);
  EXPECT_EQ(a["actions"], nlohmann::json::array({"log"}));
  EXPECT_EQ(a["detail"]["rule"], "github-pat");
  EXPECT_EQ(a["detail"]["stream"], "stdout");
  EXPECT_EQ(engine.alerts(), 1u);
}

TEST_F(AlertEngineTest, WithoutAWindowARuleFiresOncePerRunWhenItsCountIsReached) {
  AlertEngine engine = Make({MakeRule("three", "net.connection", 3)});
  for (int i = 0; i < 2; ++i) engine.Emit("net.connection", {{"decision", "deny"}});
  EXPECT_TRUE(sink_.Alerts().empty());
  engine.Emit("net.connection", {{"decision", "deny"}});
  EXPECT_EQ(sink_.Alerts().size(), 1u);
  for (int i = 0; i < 10; ++i) engine.Emit("net.connection", {{"decision", "deny"}});
  EXPECT_EQ(sink_.Alerts().size(), 1u);
}

TEST_F(AlertEngineTest, AWindowCountsOnlyRecentMatchesAndReArmsAfterAQuietWindow) {
  AlertEngine engine = Make({MakeRule("burst", "deny.*", 3, 10)});
  auto at = [&](double t) {
    now_ = 1000 + t;
    engine.Emit("deny.syscall", {{"syscall", "ptrace"}});
  };
  at(0);
  at(5);
  at(11);  // the first has left the window: two in it
  EXPECT_TRUE(sink_.Alerts().empty());
  at(12);  // 5, 11, 12
  ASSERT_EQ(sink_.Alerts().size(), 1u);
  EXPECT_EQ(sink_.Alerts()[0]["window"], 10);
  EXPECT_EQ(sink_.Alerts()[0]["count"], 3);
  for (double t = 13; t < 22; t += 0.5) at(t);  // within 10 s of the alert: not counted
  EXPECT_EQ(sink_.Alerts().size(), 1u);
  at(22);
  at(23);
  EXPECT_EQ(sink_.Alerts().size(), 1u);
  at(24);
  EXPECT_EQ(sink_.Alerts().size(), 2u);
}

TEST_F(AlertEngineTest, AWindowIncludesMatchesExactlyWindowSecondsApart) {
  AlertEngine engine = Make({MakeRule("pair", "deny.path", 2, 10)});
  now_ = 0;
  engine.Emit("deny.path", {{"path", "/h/.ssh/id_rsa"}});
  now_ = 10;
  engine.Emit("deny.path", {{"path", "/h/.ssh/id_rsa"}});
  EXPECT_EQ(sink_.Alerts().size(), 1u);
}

TEST_F(AlertEngineTest, OnIsAnExactTypeOrAPrefixGlob) {
  EXPECT_TRUE(policy::AlertOnMatches("deny.*", "deny.syscall"));
  EXPECT_TRUE(policy::AlertOnMatches("deny.*", "deny.path"));
  EXPECT_FALSE(policy::AlertOnMatches("deny.*", "denyx"));
  EXPECT_FALSE(policy::AlertOnMatches("deny.*", "net.connection"));
  EXPECT_TRUE(policy::AlertOnMatches("net.connection", "net.connection"));
  EXPECT_FALSE(policy::AlertOnMatches("net.connection", "net.connection2"));
  EXPECT_FALSE(policy::AlertOnMatches("net", "net.connection"));
  EXPECT_TRUE(policy::AlertOnMatches("*", "run.start"));
  EXPECT_FALSE(policy::AlertOnMatches("*", "alert"));
  EXPECT_FALSE(policy::AlertOnMatches("alert", "alert"));
}

TEST_F(AlertEngineTest, AlertsAreNeverCounted) {
  AlertEngine engine = Make({MakeRule("everything", "*", 2)});
  engine.Emit("alert", {{"rule", "x"}});
  engine.Emit("alert", {{"rule", "y"}});
  EXPECT_EQ(sink_.events.size(), 2u);  // passed on, not counted
  engine.Emit("run.start", nlohmann::json::object());
  engine.Emit("exec.decision", {{"decision", "allow"}});
  EXPECT_EQ(sink_.Alerts().size(), 3u);  // the two passed on, and one raised
}

TEST_F(AlertEngineTest, MatchNeedsEveryFieldAndAcceptsAnyValueOfAList) {
  std::vector<policy::AlertMatch> match = {{"limit", {std::string("pids"), std::string("memory")}},
                                           {"layer", {std::string("cgroup")}}};
  EXPECT_TRUE(AlertFieldsMatch(match, {{"limit", "pids"}, {"layer", "cgroup"}, {"value", 1024}}));
  EXPECT_TRUE(AlertFieldsMatch(match, {{"limit", "memory"}, {"layer", "cgroup"}}));
  EXPECT_FALSE(AlertFieldsMatch(match, {{"limit", "timeout"}, {"layer", "cgroup"}}));
  EXPECT_FALSE(AlertFieldsMatch(match, {{"limit", "pids"}, {"layer", "rlimit"}}));
  EXPECT_FALSE(AlertFieldsMatch(match, {{"limit", "pids"}}));  // a missing field does not match
  EXPECT_FALSE(AlertFieldsMatch(match, nlohmann::json::array()));
  EXPECT_TRUE(AlertFieldsMatch({}, nlohmann::json::object()));
}

TEST_F(AlertEngineTest, MatchComparesByJsonType) {
  std::vector<policy::AlertMatch> port = {{"port", {int64_t{22}, int64_t{3389}}}};
  EXPECT_TRUE(AlertFieldsMatch(port, {{"port", 22}}));
  EXPECT_TRUE(AlertFieldsMatch(port, {{"port", 3389u}}));
  EXPECT_TRUE(AlertFieldsMatch(port, {{"port", 22.0}}));
  EXPECT_FALSE(AlertFieldsMatch(port, {{"port", "22"}}));
  EXPECT_FALSE(AlertFieldsMatch(port, {{"port", 443}}));
  std::vector<policy::AlertMatch> negative = {{"errno", {int64_t{-1}}}};
  EXPECT_FALSE(AlertFieldsMatch(negative, {{"errno", UINT64_MAX}}));
  std::vector<policy::AlertMatch> flag = {{"cached", {true}}};
  EXPECT_TRUE(AlertFieldsMatch(flag, {{"cached", true}}));
  EXPECT_FALSE(AlertFieldsMatch(flag, {{"cached", 1}}));
  std::vector<policy::AlertMatch> text = {{"decision", {std::string("deny")}}};
  EXPECT_FALSE(AlertFieldsMatch(text, {{"decision", "denied"}}));
}

TEST_F(AlertEngineTest, KillStopsTheRunOnceWithTheRuleAndMessage) {
  AlertRule bomb = MakeRule("fork-bomb", "limit.hit");
  bomb.match = {{"limit", {std::string("pids")}}};
  bomb.actions = {AlertAction::kLog, AlertAction::kKill};
  AlertRule other = MakeRule("any-limit", "limit.hit");
  other.actions = {AlertAction::kKill};
  AlertEngine engine = Make({bomb, other});
  engine.Emit("limit.hit", {{"limit", "memory"}, {"value", 1}, {"layer", "cgroup"}});
  ASSERT_THAT(stops_, ElementsAre("alert any-limit: message of any-limit"));
  engine.Emit("limit.hit", {{"limit", "pids"}, {"value", 1024}, {"layer", "cgroup"}});
  EXPECT_EQ(sink_.Alerts().size(), 2u);
  EXPECT_EQ(stops_.size(), 1u);  // the first stop is the one
}

TEST_F(AlertEngineTest, LogOnlyRulesNeverStopTheRun) {
  AlertEngine engine = Make({MakeRule("log-only", "net.connection")});
  engine.Emit("net.connection", {{"decision", "deny"}});
  EXPECT_EQ(sink_.Alerts().size(), 1u);
  EXPECT_TRUE(stops_.empty());
  EXPECT_TRUE(hooks_.started.empty());
}

TEST_F(AlertEngineTest, HookGetsTheAlertAsOneJsonLine) {
  AlertRule r = MakeRule("notify", "net.connection");
  r.match = {{"decision", {std::string("deny")}}};
  r.actions = {AlertAction::kHook};
  r.hook = {"/usr/local/bin/notify", "--channel", "agents"};
  r.severity = policy::AlertSeverity::kCritical;
  AlertEngine engine = Make({r});
  engine.Emit("net.connection", {{"decision", "allow"}, {"host", "pypi.org"}});
  EXPECT_TRUE(hooks_.started.empty());
  engine.Emit("net.connection", {{"decision", "deny"}, {"host", "evil.example"}, {"port", 443}});
  ASSERT_EQ(hooks_.started.size(), 1u);
  EXPECT_THAT(hooks_.started[0].first, ElementsAre("/usr/local/bin/notify", "--channel", "agents"));
  const std::string& input = hooks_.started[0].second;
  ASSERT_FALSE(input.empty());
  EXPECT_EQ(input.back(), '\n');
  EXPECT_EQ(std::count(input.begin(), input.end(), '\n'), 1);
  nlohmann::json j = nlohmann::json::parse(input);
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["type"], "alert");
  EXPECT_EQ(j["run"], "0123456789abcdef");
  EXPECT_EQ(j["rule"], "notify");
  EXPECT_EQ(j["severity"], "critical");
  EXPECT_EQ(j["trigger"], "net.connection");
  EXPECT_EQ(j["actions"], nlohmann::json::array({"hook"}));
  EXPECT_EQ(j["detail"]["host"], "evil.example");
  EXPECT_EQ(j["detail"]["port"], 443);
  EXPECT_TRUE(stops_.empty());
}

TEST_F(AlertEngineTest, AnAlertCopiesNoFreeFormField) {
  AlertEngine engine = Make({MakeRule("all", "*", 1, 0.001)});
  const std::string secret = "AKIAWQ937KUHF6W0D4D8";
  engine.Emit("exec.decision", {{"decision", "deny"},
                                {"rule_id", "no-privilege-escalation"},
                                {"program", "sudo"},
                                {"reason", "token " + secret},
                                {"argv", {"curl", "-H", "Authorization: " + secret}}});
  now_ += 1;
  engine.Emit("net.connection", {{"decision", "deny"},
                                 {"host", "evil.example"},
                                 {"error", "bad request: " + secret},
                                 {"headers", {{"Authorization", secret}}},
                                 {"protocol", "http"}});
  now_ += 1;
  engine.Emit("run.start", {{"argv", {"sh", "-c", "echo " + secret}}, {"caller", {{"user", "me"}}}});
  ASSERT_EQ(sink_.Alerts().size(), 3u);
  for (const nlohmann::json& a : sink_.Alerts()) EXPECT_THAT(a.dump(), Not(HasSubstr(secret)));
  for (const auto& [argv, input] : hooks_.started) EXPECT_THAT(input, Not(HasSubstr(secret)));
  const nlohmann::json exec = sink_.Alerts()[0]["detail"];
  EXPECT_EQ(exec, nlohmann::json({{"decision", "deny"}, {"rule_id", "no-privilege-escalation"}, {"program", "sudo"}}));
  const nlohmann::json net = sink_.Alerts()[1]["detail"];
  EXPECT_EQ(net, nlohmann::json({{"decision", "deny"}, {"host", "evil.example"}, {"protocol", "http"}}));
  EXPECT_EQ(sink_.Alerts()[2]["detail"], nlohmann::json::object());
}

TEST_F(AlertEngineTest, LongDetailStringsAreCut) {
  AlertEngine engine = Make({MakeRule("path", "deny.path")});
  engine.Emit("deny.path", {{"path", "/" + std::string(1000, 'a')}});
  ASSERT_EQ(sink_.Alerts().size(), 1u);
  EXPECT_EQ(sink_.Alerts()[0]["detail"]["path"].get<std::string>().size(), 256u);
}

TEST_F(AlertEngineTest, AMessageDefaultsToTheRule) {
  AlertRule r = MakeRule("bare", "net.connection");
  r.message.clear();
  r.match = {{"decision", {std::string("deny")}}};
  AlertEngine engine = Make({r});
  engine.Emit("net.connection", {{"decision", "deny"}});
  ASSERT_EQ(sink_.Alerts().size(), 1u);
  EXPECT_EQ(sink_.Alerts()[0]["message"], "rule bare matched: net.connection {decision = \"deny\"}");
}

// The built-in rules on synthetic attacks (the events the sandbox produces for them), and on a benign run.
class DefaultRulesTest : public AlertEngineTest {
 protected:
  AlertEngine MakeDefault() { return Make(policy::DefaultAlertRules("profile workspace-write")); }
  std::vector<std::string> Fired() const {
    std::vector<std::string> ids;
    for (const nlohmann::json& a : sink_.Alerts()) ids.push_back(a["rule"]);
    return ids;
  }
};

TEST_F(DefaultRulesTest, HaveNoProblems) {
  for (const AlertRule& r : policy::DefaultAlertRules("profile x")) {
    EXPECT_TRUE(policy::AlertRuleProblems(r).empty()) << r.id << ": " << policy::AlertRuleProblems(r)[0].message;
    EXPECT_FALSE(r.message.empty()) << r.id;
  }
}

TEST_F(DefaultRulesTest, StayQuietOnABenignRun) {
  AlertEngine engine = MakeDefault();
  engine.Emit("exec.decision", {{"decision", "allow"}, {"program", "make"}});
  engine.Emit("run.start", {{"network", "allowlist"}});
  for (int i = 0; i < 50; ++i) {
    engine.Emit("net.connection", {{"decision", "allow"}, {"host", "pypi.org"}, {"port", 443}});
  }
  engine.Emit("output.unfiltered", {{"reason", "--no-redact"}});
  engine.Emit("limit.hit", {{"limit", "timeout"}, {"value", 600}, {"layer", "supervisor"}});
  engine.Emit("guard.repair", {{"path", ".git/hooks"}, {"what", "removed"}});
  engine.Emit("run.end", {{"outcome", "exited"}, {"exit_code", 0}});
  EXPECT_THAT(Fired(), ElementsAre());
  EXPECT_TRUE(stops_.empty());
}

TEST_F(DefaultRulesTest, ADenialBurstIsAWarning) {
  AlertEngine engine = MakeDefault();
  for (int i = 0; i < 19; ++i) {
    now_ += 0.1;
    engine.Emit("deny.syscall", {{"layer", "seccomp"}, {"syscall", "ptrace"}, {"nr", 101}, {"errno", 1}, {"pid", 2}});
  }
  EXPECT_THAT(Fired(), ElementsAre());
  engine.Emit("deny.syscall", {{"layer", "seccomp"}, {"syscall", "mount"}, {"nr", 165}, {"errno", 1}, {"pid", 2}});
  ASSERT_THAT(Fired(), ElementsAre("denial-burst"));
  EXPECT_EQ(sink_.Alerts()[0]["severity"], "warning");
  EXPECT_EQ(sink_.Alerts()[0]["detail"]["syscall"], "mount");
  EXPECT_TRUE(stops_.empty());
}

TEST_F(DefaultRulesTest, SlowDenialsAreNoBurst) {
  AlertEngine engine = MakeDefault();
  for (int i = 0; i < 100; ++i) {
    now_ += 1;  // 10 in any 10 s
    engine.Emit("deny.syscall", {{"syscall", "ptrace"}});
  }
  EXPECT_THAT(Fired(), ElementsAre());
}

TEST_F(DefaultRulesTest, ASecretPathAttemptIsCritical) {
  AlertEngine engine = MakeDefault();
  engine.Emit("deny.path", {{"path", "/home/u/.ssh/id_ed25519"}, {"access", "read"}});
  ASSERT_THAT(Fired(), ElementsAre("secret-path"));
  EXPECT_EQ(sink_.Alerts()[0]["severity"], "critical");
  EXPECT_EQ(sink_.Alerts()[0]["detail"]["path"], "/home/u/.ssh/id_ed25519");
}

TEST_F(DefaultRulesTest, ADeniedConnectionAndARedactionAreWarnings) {
  AlertEngine engine = MakeDefault();
  engine.Emit("net.connection", {{"decision", "deny"}, {"host", "10.1.2.3"}, {"port", 80}, {"reason", "not allowed"}});
  engine.Emit("output.redacted", {{"stream", "stdout"}, {"rule", "aws-access-key-id"}, {"count", 1}});
  EXPECT_THAT(Fired(), ElementsAre("net-denied", "output-redacted"));
  EXPECT_TRUE(stops_.empty());
}

TEST_F(DefaultRulesTest, AForkBombStopsTheRunAndMemoryIsAWarning) {
  AlertEngine engine = MakeDefault();
  engine.Emit("limit.hit", {{"limit", "memory"}, {"value", 4294967296}, {"layer", "cgroup"}});
  EXPECT_THAT(Fired(), ElementsAre("memory-limit"));
  EXPECT_TRUE(stops_.empty());
  engine.Emit("limit.hit", {{"limit", "pids"}, {"value", 1024}, {"layer", "cgroup"}});
  EXPECT_THAT(Fired(), ElementsAre("memory-limit", "fork-bomb"));
  EXPECT_EQ(sink_.Alerts()[1]["severity"], "critical");
  EXPECT_THAT(stops_, ElementsAre("alert fork-bomb: the command hit the process limit (a fork bomb?)"));
}

}  // namespace
}  // namespace cordon::audit
