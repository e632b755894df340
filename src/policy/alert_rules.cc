#include "policy/alert_rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

namespace cordon::policy {
namespace {

bool ValidId(const std::string& id) {
  return !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
  });
}

std::string Seconds(double s) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%g", s);
  return buf;
}

AlertRule Rule(std::string id, std::string on, std::vector<AlertMatch> match, uint64_t count, double window,
               AlertSeverity severity, std::string message, std::vector<AlertAction> actions,
               const std::string& origin) {
  AlertRule r;
  r.id = std::move(id);
  r.on = std::move(on);
  r.match = std::move(match);
  r.count = count;
  r.window_seconds = window;
  r.severity = severity;
  r.message = std::move(message);
  r.actions = std::move(actions);
  r.origin = {origin, 0};
  return r;
}

}  // namespace

const char* AlertSeverityName(AlertSeverity s) {
  switch (s) {
    case AlertSeverity::kInfo: return "info";
    case AlertSeverity::kWarning: return "warning";
    case AlertSeverity::kCritical: return "critical";
  }
  return "?";
}

std::optional<AlertSeverity> ParseAlertSeverity(const std::string& name) {
  for (AlertSeverity s : {AlertSeverity::kInfo, AlertSeverity::kWarning, AlertSeverity::kCritical}) {
    if (name == AlertSeverityName(s)) return s;
  }
  return std::nullopt;
}

const char* AlertActionName(AlertAction a) {
  switch (a) {
    case AlertAction::kLog: return "log";
    case AlertAction::kKill: return "kill";
    case AlertAction::kHook: return "hook";
  }
  return "?";
}

std::optional<AlertAction> ParseAlertAction(const std::string& name) {
  for (AlertAction a : {AlertAction::kLog, AlertAction::kKill, AlertAction::kHook}) {
    if (name == AlertActionName(a)) return a;
  }
  return std::nullopt;
}

std::string AlertValueText(const AlertValue& v) {
  if (const auto* s = std::get_if<std::string>(&v)) return "\"" + *s + "\"";
  if (const auto* i = std::get_if<int64_t>(&v)) return std::to_string(*i);
  return std::get<bool>(v) ? "true" : "false";
}

bool AlertRule::Has(AlertAction a) const { return std::find(actions.begin(), actions.end(), a) != actions.end(); }

std::string AlertRule::Describe() const {
  std::string out = on;
  if (!match.empty()) {
    out += " {";
    for (size_t i = 0; i < match.size(); ++i) {
      out += (i == 0 ? "" : ", ") + match[i].field + " = ";
      const std::vector<AlertValue>& vs = match[i].values;
      if (vs.size() == 1) {
        out += AlertValueText(vs[0]);
        continue;
      }
      out += "[";
      for (size_t k = 0; k < vs.size(); ++k) out += (k == 0 ? "" : ", ") + AlertValueText(vs[k]);
      out += "]";
    }
    out += "}";
  }
  if (count > 1) out += " x" + std::to_string(count);
  if (window_seconds > 0) out += " within " + Seconds(window_seconds) + "s";
  return out;
}

std::string AlertRule::Where() const {
  return origin.line > 0 ? origin.ToString() : origin.ToString() + " [" + id + "]";
}

const std::vector<EventTypeInfo>& AlertableEventTypes() {
  // docs/EVENTS.md; deny.path is reserved for the monitor of denied path attempts.
  static const std::vector<EventTypeInfo> kTypes = {
      {"run.start", {"caller", "argv", "workspace", "cwd", "profile", "policy_digest", "network", "layers", "version"}},
      {"exec.decision", {"decision", "rule", "rule_id", "origin", "reason", "program", "via", "commands_checked"}},
      {"deny.syscall", {"layer", "syscall", "nr", "errno", "pid"}},
      {"deny.path", {"path", "access", "layer", "pid"}},
      {"net.connection",
       {"host", "port", "address", "decision", "rule", "reason", "protocol", "error", "bytes_up", "bytes_down",
        "duration"}},
      {"output.redacted", {"stream", "rule", "count"}},
      {"output.unfiltered", {"reason"}},
      {"limit.hit", {"limit", "value", "layer"}},
      {"guard.repair", {"path", "what"}},
      {"audit.error", {"sink", "error"}},
      {"run.end",
       {"outcome", "exit_code", "signal", "duration", "cpu_user", "cpu_system", "peak_memory", "output_bytes"}},
  };
  return kTypes;
}

bool AlertOnMatches(const std::string& on, const std::string& type) {
  if (type == "alert") return false;
  if (!on.empty() && on.back() == '*') return type.compare(0, on.size() - 1, on, 0, on.size() - 1) == 0;
  return on == type;
}

std::vector<AlertRuleProblem> AlertRuleProblems(const AlertRule& rule) {
  std::vector<AlertRuleProblem> out;
  auto problem = [&](const char* field, std::string message) { out.push_back({field, std::move(message)}); };
  if (!ValidId(rule.id)) problem("id", "`alert.id` must be a name of letters, digits, '-', '_' and '.'");
  std::vector<const EventTypeInfo*> types;
  for (const EventTypeInfo& t : AlertableEventTypes()) {
    if (AlertOnMatches(rule.on, t.type)) types.push_back(&t);
  }
  if (rule.on.empty() || rule.on.find('*') < rule.on.size() - 1 || types.empty()) {
    std::string known;
    for (const EventTypeInfo& t : AlertableEventTypes()) known += std::string(known.empty() ? "" : ", ") + t.type;
    problem("on", "`alert.on` \"" + rule.on + "\" names no event type (types: " + known +
                      "; a prefix ending in '*', such as \"deny.*\", names several)");
  }
  for (const AlertMatch& m : rule.match) {
    if (m.values.empty()) problem("match", "`alert.match." + m.field + "` needs at least one value");
    if (types.empty()) continue;
    bool known = std::any_of(types.begin(), types.end(), [&](const EventTypeInfo* t) {
      return std::any_of(t->fields.begin(), t->fields.end(), [&](const char* f) { return m.field == f; });
    });
    if (!known) {
      problem("match", "`alert.match` field `" + m.field + "` is not a field of " +
                           (types.size() == 1 ? std::string(types[0]->type) : "the events `" + rule.on + "` names") +
                           " events (see docs/EVENTS.md)");
    }
  }
  if (rule.count == 0) problem("count", "`alert.count` must be a positive integer");
  if (!(rule.window_seconds >= 0) || !std::isfinite(rule.window_seconds)) {
    problem("window", "`alert.window` must be a number of seconds above 0");
  }
  if (rule.actions.empty()) problem("actions", "`alert.actions` needs at least one of \"log\", \"kill\", \"hook\"");
  for (size_t i = 0; i < rule.actions.size(); ++i) {
    if (std::find(rule.actions.begin(), rule.actions.begin() + static_cast<long>(i), rule.actions[i]) !=
        rule.actions.begin() + static_cast<long>(i)) {
      problem("actions", std::string("`alert.actions` lists \"") + AlertActionName(rule.actions[i]) + "\" twice");
    }
  }
  if (rule.Has(AlertAction::kHook) && rule.hook.empty()) {
    problem("hook", "the \"hook\" action needs `hook = [\"/path/to/program\", \"arg\" …]`");
  }
  if (!rule.Has(AlertAction::kHook) && !rule.hook.empty()) {
    problem("hook", "`alert.hook` is set but `actions` has no \"hook\": add it, or drop the hook");
  }
  if (!rule.hook.empty()) {
    const std::string& program = rule.hook[0];
    if (program.empty()) {
      problem("hook", "`alert.hook` needs a program: an absolute path, or a name looked up in PATH");
    } else if (program[0] != '/' && program.find('/') != std::string::npos) {
      problem("hook", "`alert.hook` program \"" + program +
                          "\" is a relative path: the hook runs outside the sandbox, so give an absolute path (or a "
                          "name looked up in PATH)");
    }
  }
  return out;
}

std::vector<AlertRule> DefaultAlertRules(const std::string& origin) {
  using S = AlertSeverity;
  const std::vector<AlertAction> log = {AlertAction::kLog};
  std::vector<AlertRule> rules;
  rules.push_back(Rule("denial-burst", "deny.*", {}, 20, 10, S::kWarning,
                       "20 denials within 10 seconds: the command may be probing the sandbox", log, origin));
  rules.push_back(Rule("secret-path", "deny.path", {}, 1, 0, S::kCritical,
                       "an attempt on a denied path (where credentials are)", log, origin));
  rules.push_back(Rule("net-denied", "net.connection", {{"decision", {std::string("deny")}}}, 1, 0, S::kWarning,
                       "a connection the network policy refuses", log, origin));
  rules.push_back(Rule("output-redacted", "output.redacted", {}, 1, 0, S::kWarning,
                       "the command printed a secret (it was redacted)", log, origin));
  // A run at its process limit makes no progress, and there is no timeout by default.
  rules.push_back(Rule("fork-bomb", "limit.hit", {{"limit", {std::string("pids")}}}, 1, 0, S::kCritical,
                       "the command hit the process limit (a fork bomb?)", {AlertAction::kLog, AlertAction::kKill},
                       origin));
  rules.push_back(Rule("memory-limit", "limit.hit", {{"limit", {std::string("memory")}}}, 1, 0, S::kWarning,
                       "the command hit the memory limit", log, origin));
  return rules;
}

}  // namespace cordon::policy
