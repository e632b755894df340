// [[alert]] in policy files: reading, the built-in rules and remove_alerts, and FILE:LINE errors.
#include "policy/alert_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "policy/profiles.h"
#include "policy/toml_loader.h"

namespace cordon::policy {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

Result<Policy> Load(const std::string& text) { return LoadPolicyText(text, "p.toml"); }

std::string ErrorOf(const std::string& text) {
  Result<Policy> r = Load(text);
  EXPECT_FALSE(r.ok()) << "policy unexpectedly accepted:\n" << text;
  return r.ok() ? "" : r.error().message;
}

std::vector<std::string> Ids(const std::vector<AlertRule>& rules) {
  std::vector<std::string> ids;
  for (const AlertRule& r : rules) ids.push_back(r.id);
  return ids;
}

const AlertRule* Find(const std::vector<AlertRule>& rules, const std::string& id) {
  auto it = std::find_if(rules.begin(), rules.end(), [&](const AlertRule& r) { return r.id == id; });
  return it == rules.end() ? nullptr : &*it;
}

constexpr const char* kDefaults[] = {"denial-burst",    "secret-path", "net-denied",
                                     "output-redacted", "fork-bomb",   "memory-limit"};

TEST(AlertRulesTest, EveryProfileAndAPolicyWithoutExtendsHaveTheBuiltInRules) {
  for (const std::string& name : BuiltinProfileNames()) {
    Result<Policy> p = BuiltinProfile(name);
    ASSERT_TRUE(p.ok());
    EXPECT_THAT(Ids(p->alerts),
                ElementsAre(kDefaults[0], kDefaults[1], kDefaults[2], kDefaults[3], kDefaults[4], kDefaults[5]))
        << name;
  }
  Result<Policy> bare = Load("version = 1\n");
  ASSERT_TRUE(bare.ok()) << bare.error().message;
  EXPECT_EQ(bare->alerts.size(), std::size(kDefaults));
  EXPECT_EQ(bare->alerts[0].Where(), "default alert rules [denial-burst]");
}

TEST(AlertRulesTest, TheBuiltInRulesAreWhatTheDocsSay) {
  std::vector<AlertRule> rules = DefaultAlertRules("profile workspace-write");
  EXPECT_EQ(Find(rules, "denial-burst")->Describe(), "deny.* x20 within 10s");
  EXPECT_EQ(Find(rules, "secret-path")->Describe(), "deny.path");
  EXPECT_EQ(Find(rules, "secret-path")->severity, AlertSeverity::kCritical);
  EXPECT_EQ(Find(rules, "net-denied")->Describe(), "net.connection {decision = \"deny\"}");
  EXPECT_EQ(Find(rules, "output-redacted")->Describe(), "output.redacted");
  EXPECT_EQ(Find(rules, "fork-bomb")->Describe(), "limit.hit {limit = \"pids\"}");
  EXPECT_TRUE(Find(rules, "fork-bomb")->Has(AlertAction::kKill));
  EXPECT_EQ(Find(rules, "memory-limit")->Describe(), "limit.hit {limit = \"memory\"}");
  EXPECT_FALSE(Find(rules, "memory-limit")->Has(AlertAction::kKill));
}

TEST(AlertRulesTest, ReadsEveryKey) {
  Result<Policy> p = Load(R"(version = 1
extends = "workspace-write"
remove_alerts = ["output-redacted", "fork-bomb"]

[[alert]]
id = "prod-hosts"
on = "net.connection"
match = { decision = "deny", port = [22, 3389], host = "db.internal" }
count = 3
window = 2.5
severity = "critical"
message = "someone is knocking on production"
actions = ["log", "kill", "hook"]
hook = ["/usr/local/bin/notify", "--channel", "agents"]

[[alert]]
id = "any-denial"
on = "deny.*"
)");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_THAT(Ids(p->alerts),
              ElementsAre("denial-burst", "secret-path", "net-denied", "memory-limit", "prod-hosts", "any-denial"));
  const AlertRule& r = *Find(p->alerts, "prod-hosts");
  EXPECT_EQ(r.on, "net.connection");
  ASSERT_EQ(r.match.size(), 3u);  // in file order
  EXPECT_EQ(r.match[0].field, "decision");
  EXPECT_EQ(r.match[1].field, "port");
  EXPECT_EQ(r.match[2].field, "host");
  EXPECT_EQ(r.Describe(),
            "net.connection {decision = \"deny\", port = [22, 3389], host = \"db.internal\"} x3 within 2.5s");
  EXPECT_EQ(r.count, 3u);
  EXPECT_EQ(r.window_seconds, 2.5);
  EXPECT_EQ(r.severity, AlertSeverity::kCritical);
  EXPECT_EQ(r.message, "someone is knocking on production");
  EXPECT_THAT(r.actions, ElementsAre(AlertAction::kLog, AlertAction::kKill, AlertAction::kHook));
  EXPECT_THAT(r.hook, ElementsAre("/usr/local/bin/notify", "--channel", "agents"));
  EXPECT_EQ(r.Where(), "p.toml:5");
  const AlertRule& d = *Find(p->alerts, "any-denial");
  EXPECT_EQ(d.count, 1u);
  EXPECT_EQ(d.window_seconds, 0);
  EXPECT_EQ(d.severity, AlertSeverity::kWarning);
  EXPECT_THAT(d.actions, ElementsAre(AlertAction::kLog));
}

TEST(AlertRulesTest, ABuiltInRuleIsRedefinedAfterRemovingIt) {
  Result<Policy> p = Load(R"(version = 1
remove_alerts = ["output-redacted"]

[[alert]]
id = "output-redacted"
on = "output.redacted"
actions = ["kill"]
)");
  ASSERT_TRUE(p.ok()) << p.error().message;
  EXPECT_THAT(Find(p->alerts, "output-redacted")->actions, ElementsAre(AlertAction::kKill));
  EXPECT_EQ(p->alerts.size(), std::size(kDefaults));
}

TEST(AlertRulesTest, ProblemsAreReportedWithTheirLines) {
  std::string e = ErrorOf(R"(version = 1
remove_alerts = ["no-such-rule"]

[[alert]]
id = "a"
on = "net.conection"
colour = "red"

[[alert]]
id = "b"
on = "limit.hit"
match = { limt = "pids" }
count = 0
window = -1
severity = "urgent"

[[alert]]
id = "c"
on = "deny.*"
match = { syscall = 1.5 }
actions = ["log", "page"]

[[alert]]
id = "d"
on = "net.connection"
actions = ["hook"]

[[alert]]
id = "e"
on = "net.connection"
hook = ["/bin/true"]

[[alert]]
id = "f"
on = "net.connection"
actions = ["hook", "hook"]
hook = ["./notify.sh"]

[[alert]]
id = "net-denied"
on = "net.connection"

[[alert]]
on = "net.connection"

[[alert]]
id = "bad id!"
on = "dns*query"
)");
  EXPECT_THAT(e, HasSubstr("p.toml:2: `remove_alerts` names \"no-such-rule\", which is not an inherited alert rule "
                           "(known: denial-burst,"));
  EXPECT_THAT(e, HasSubstr("p.toml:6: `alert.on` \"net.conection\" names no event type"));
  EXPECT_THAT(e, HasSubstr("p.toml:7: unknown key `alert.colour`"));
  EXPECT_THAT(e, HasSubstr("p.toml:12: `alert.match` field `limt` is not a field of limit.hit events"));
  EXPECT_THAT(e, HasSubstr("p.toml:13: `alert.count` must be a positive integer"));
  EXPECT_THAT(e, HasSubstr("p.toml:14: `alert.window` must be a number of seconds above 0"));
  EXPECT_THAT(e, HasSubstr("p.toml:15: `alert.severity` must be \"info\", \"warning\" or \"critical\""));
  EXPECT_THAT(e, HasSubstr("p.toml:20: `alert.match.syscall` values must be strings, integers or booleans"));
  EXPECT_THAT(e, HasSubstr("p.toml:21: `alert.actions` entries must be \"log\", \"kill\" or \"hook\""));
  EXPECT_THAT(e, HasSubstr("p.toml:23: the \"hook\" action needs `hook = "));
  EXPECT_THAT(e, HasSubstr("p.toml:31: `alert.hook` is set but `actions` has no \"hook\""));
  EXPECT_THAT(e, HasSubstr("p.toml:36: `alert.actions` lists \"hook\" twice"));
  EXPECT_THAT(e, HasSubstr("p.toml:37: `alert.hook` program \"./notify.sh\" is a relative path"));
  EXPECT_THAT(e, HasSubstr("p.toml:40: `alert.id` \"net-denied\" is already used (default alert rules [net-denied]; "
                           "drop it first with remove_alerts)"));
  EXPECT_THAT(e, HasSubstr("p.toml:43: `alert` needs an `id`"));
  EXPECT_THAT(e, HasSubstr("p.toml:47: `alert.id` must be a name of letters"));
  EXPECT_THAT(e, HasSubstr("p.toml:48: `alert.on` \"dns*query\" names no event type"));
  EXPECT_EQ(std::count(e.begin(), e.end(), '\n') + 1, 17) << e;
}

TEST(AlertRulesTest, DuplicateIdsInOneFile) {
  std::string e = ErrorOf(R"(version = 1
[[alert]]
id = "x"
on = "deny.*"

[[alert]]
id = "x"
on = "deny.path"
)");
  EXPECT_THAT(e, HasSubstr("p.toml:7: `alert.id` \"x\" is already used (p.toml:2)"));
}

TEST(AlertRulesTest, WrongTypes) {
  std::string e = ErrorOf(R"(version = 1
remove_alerts = "fork-bomb"
[[alert]]
id = 3
on = ["net.connection"]
match = "deny"
count = "3"
window = "10s"
actions = "kill"
hook = "/bin/notify"
message = 1
)");
  EXPECT_THAT(e, HasSubstr("p.toml:2: `remove_alerts` must be an array of alert rule ids"));
  EXPECT_THAT(e, HasSubstr("p.toml:4: `alert.id` must be a string"));
  EXPECT_THAT(e, HasSubstr("p.toml:5: `alert.on` must be a string"));
  EXPECT_THAT(e, HasSubstr("p.toml:6: `alert.match` must be a table"));
  EXPECT_THAT(e, HasSubstr("p.toml:7: `alert.count` must be a positive integer"));
  EXPECT_THAT(e, HasSubstr("p.toml:8: `alert.window` must be a number of seconds"));
  EXPECT_THAT(e, HasSubstr("p.toml:9: `alert.actions` must be an array"));
  EXPECT_THAT(e, HasSubstr("p.toml:10: `alert.hook` must be the command as a non-empty array of strings"));
  EXPECT_THAT(e, HasSubstr("p.toml:11: `alert.message` must be a string"));
}

TEST(AlertRulesTest, MatchFieldsAreCheckedAgainstEveryTypeAGlobNames) {
  EXPECT_TRUE(Load("version = 1\n[[alert]]\nid = \"a\"\non = \"deny.*\"\nmatch = { path = \"/x\" }\n").ok());
  EXPECT_TRUE(Load("version = 1\n[[alert]]\nid = \"a\"\non = \"deny.*\"\nmatch = { syscall = \"ptrace\" }\n").ok());
  EXPECT_THAT(ErrorOf("version = 1\n[[alert]]\nid = \"a\"\non = \"deny.*\"\nmatch = { host = \"x\" }\n"),
              HasSubstr("p.toml:5: `alert.match` field `host` is not a field of the events `deny.*` names"));
  EXPECT_THAT(ErrorOf("version = 1\n[[alert]]\nid = \"a\"\non = \"net.connection\"\nmatch = { decision = [] }\n"),
              HasSubstr("p.toml:5: `alert.match.decision` needs at least one value"));
  EXPECT_THAT(ErrorOf("version = 1\n[[alert]]\nid = \"a\"\non = \"alert\"\n"), HasSubstr("names no event type"));
}

TEST(AlertRulesTest, RemoveAlertsAfterARuleIsAKeyOfThatRule) {
  EXPECT_THAT(ErrorOf("version = 1\n[[alert]]\nid = \"a\"\non = \"deny.*\"\nremove_alerts = [\"fork-bomb\"]\n"),
              HasSubstr("p.toml:5: unknown key `alert.remove_alerts` (known: id, on, match, count, window, severity, "
                        "message, actions, hook): remove_alerts goes at the top, before any [section]"));
}

TEST(AlertRulesTest, TheShapeCheckKnowsTheArray) {
  EXPECT_THAT(ErrorOf("version = 1\nalert = []\n[[alert]]\nid = \"a\"\non = \"deny.*\"\n"),
              HasSubstr("p.toml:2:1: `alert` is an array of tables: write [[alert]]"));
  EXPECT_THAT(ErrorOf("version = 1\n[[alerts]]\nid = \"a\"\n"),
              HasSubstr("unknown array of tables [[alerts]] (known: [[exec.rule]], [[alert]])"));
  EXPECT_THAT(ErrorOf("version = 1\n[[alert]]\nid = \"a\"\non = \"deny.*\"\n[alert.match]\npath = \"/x\"\n"),
              HasSubstr("unknown section [alert.match]"));
}

}  // namespace
}  // namespace cordon::policy
