// Alert rules ([[alert]]): what in a run's event stream deserves an alert, and what then happens. Plain data
// and pure checks; the engine that applies them to events is audit/alerts.h.
//
// A rule counts the events whose type matches `on` (an event type, or a prefix glob such as "deny.*"; "*" is
// every type but `alert`) and whose fields equal every entry of `match` (one value, or any of a list). When
// `count` of them have been seen — within `window` seconds of each other when a window is set — the rule
// fires: an `alert` event, and its actions:
//   log   the alert is also one line on cordon's stderr (the `alert` event is recorded in any case)
//   kill  the run is stopped (the sandbox is killed; cordon exits with a code of its own, see backend.h)
//   hook  the alert, as JSON, is given on stdin to the `hook` command, run outside the sandbox
// Without a window a rule fires at most once per run. With one it re-arms: after firing it ignores matches for
// `window` seconds, then counts afresh.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "policy/origin.h"

namespace cordon::policy {

enum class AlertSeverity { kInfo, kWarning, kCritical };
const char* AlertSeverityName(AlertSeverity s);
std::optional<AlertSeverity> ParseAlertSeverity(const std::string& name);

enum class AlertAction { kLog, kKill, kHook };
const char* AlertActionName(AlertAction a);
std::optional<AlertAction> ParseAlertAction(const std::string& name);

// A value an event field must equal: a string, an integer or a boolean (JSON's, compared by type and value).
using AlertValue = std::variant<std::string, int64_t, bool>;
std::string AlertValueText(const AlertValue& v);  // "deny" quoted, 3, true

struct AlertMatch {
  std::string field;               // a top-level field of the event ("decision", "limit", "syscall" …)
  std::vector<AlertValue> values;  // any of them; at least one
};

struct AlertRule {
  std::string id;  // required, unique in a policy; `remove_alerts` names built-in rules by it
  std::string on;  // event type or prefix glob
  std::vector<AlertMatch> match;
  uint64_t count = 1;
  double window_seconds = 0;  // 0: no window (count over the whole run)
  AlertSeverity severity = AlertSeverity::kWarning;
  std::string message;
  std::vector<AlertAction> actions = {AlertAction::kLog};
  std::vector<std::string> hook;  // argv; required iff actions has hook
  Origin origin;

  bool Has(AlertAction a) const;
  // The rule as one line: `deny.* x20 within 10s`, `net.connection {decision = "deny"}`.
  std::string Describe() const;
  // "profile workspace-write [net-denied]", "p.toml:7".
  std::string Where() const;
};

// The event types a rule can name (docs/EVENTS.md), each with its fields. `alert` is not among them: alerts
// never count towards alerts.
struct EventTypeInfo {
  const char* type;
  std::vector<const char*> fields;
};
const std::vector<EventTypeInfo>& AlertableEventTypes();

// Whether `type` is matched by `on`: equal, or `on` ends in '*' and `type` starts with what comes before it.
// An `alert` event is matched by nothing.
bool AlertOnMatches(const std::string& on, const std::string& type);

// One thing wrong with a rule, by field ("on", "match", "hook" …) and what. The loader adds FILE:LINE.
struct AlertRuleProblem {
  std::string field;
  std::string message;
};
// Everything wrong with a rule: a bad id, an `on` that names no event type, a `match` field that no such event
// has or an empty list of values, a count of 0, a negative window, no actions or one twice, a hook without the
// hook action or the reverse, an empty hook or one whose program is a relative path. The built-in rules are
// checked by the unit tests.
std::vector<AlertRuleProblem> AlertRuleProblems(const AlertRule& rule);

// The rules every profile has (and a policy without `extends` too), with `origin` as their origin:
//   denial-burst    20 deny.* events within 10 s                  warning
//   secret-path     any deny.path (a denied path, where secrets are) critical
//   net-denied      net.connection with decision "deny"           warning
//   output-redacted any output.redacted (the command printed a secret) warning
//   fork-bomb       limit.hit with limit "pids"                   critical, kills the run
//   memory-limit    limit.hit with limit "memory"                 warning
// A policy drops one with `remove_alerts = ["id"]`.
std::vector<AlertRule> DefaultAlertRules(const std::string& origin);

}  // namespace cordon::policy
