#include "audit/alerts.h"

#include <chrono>
#include <cmath>

namespace cordon::audit {
namespace {

// The fields an alert copies from the event that completed it: names, numbers and decisions the schema never
// fills with a secret (docs/EVENTS.md); `rule` is a policy's rule or a redaction rule's id. Not copied: reasons,
// errors, argv, anything free-form.
constexpr const char* kDetailFields[] = {"syscall",  "nr",      "errno",    "pid",   "layer",   "host",
                                         "port",     "address", "decision", "rule",  "rule_id", "program",
                                         "protocol", "stream",  "limit",    "value", "path",    "access"};
constexpr size_t kMaxDetailBytes = 256;

double SteadySeconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

bool ValueEquals(const policy::AlertValue& want, const nlohmann::json& have) {
  if (const auto* s = std::get_if<std::string>(&want)) {
    return have.is_string() && have.get_ref<const std::string&>() == *s;
  }
  if (const auto* i = std::get_if<int64_t>(&want)) {
    if (have.is_number_unsigned()) return *i >= 0 && have.get<uint64_t>() == static_cast<uint64_t>(*i);
    if (have.is_number_integer()) return have.get<int64_t>() == *i;
    return have.is_number_float() && have.get<double>() == static_cast<double>(*i);
  }
  return have.is_boolean() && have.get<bool>() == std::get<bool>(want);
}

// Whole seconds as an integer (10, not 10.0).
nlohmann::json Seconds(double s) {
  if (s == std::floor(s) && s < 1e15) return static_cast<uint64_t>(s);
  return s;
}

}  // namespace

bool AlertFieldsMatch(const std::vector<policy::AlertMatch>& match, const nlohmann::json& fields) {
  for (const policy::AlertMatch& m : match) {
    if (!fields.is_object()) return false;
    auto it = fields.find(m.field);
    if (it == fields.end()) return false;
    bool any = false;
    for (const policy::AlertValue& v : m.values) any = any || ValueEquals(v, *it);
    if (!any) return false;
  }
  return true;
}

nlohmann::json AlertFields(const policy::AlertRule& rule, const std::string& type, const nlohmann::json& fields) {
  nlohmann::json actions = nlohmann::json::array();
  for (policy::AlertAction a : rule.actions) actions.push_back(policy::AlertActionName(a));
  nlohmann::json detail = nlohmann::json::object();
  if (fields.is_object()) {
    for (const char* key : kDetailFields) {
      auto it = fields.find(key);
      if (it == fields.end() || !it->is_primitive() || it->is_null() || (it->is_string() && it->empty())) continue;
      if (it->is_string() && it->get_ref<const std::string&>().size() > kMaxDetailBytes) {
        detail[key] = it->get_ref<const std::string&>().substr(0, kMaxDetailBytes);
      } else {
        detail[key] = *it;
      }
    }
  }
  return {{"rule", rule.id},
          {"severity", policy::AlertSeverityName(rule.severity)},
          {"message", rule.message.empty() ? "rule " + rule.id + " matched: " + rule.Describe() : rule.message},
          {"trigger", type},
          {"count", rule.count},
          {"window", Seconds(rule.window_seconds)},
          {"actions", actions},
          {"origin", rule.Where()},
          {"detail", detail}};
}

AlertEngine::AlertEngine(std::vector<policy::AlertRule> rules, EventSink& next, StopCallback stop, HookRunner* hooks,
                         std::string run_id, Clock clock)
    : rules_(std::move(rules)),
      states_(rules_.size()),
      next_(next),
      stop_(std::move(stop)),
      hooks_(hooks),
      run_id_(std::move(run_id)),
      clock_(clock ? std::move(clock) : Clock(SteadySeconds)) {}

void AlertEngine::Emit(const std::string& type, const nlohmann::json& fields) {
  next_.Emit(type, fields);
  if (type == "alert") return;
  double now = -1;
  for (size_t i = 0; i < rules_.size(); ++i) {
    const policy::AlertRule& rule = rules_[i];
    State& s = states_[i];
    if (s.fired && rule.window_seconds <= 0) continue;
    if (!policy::AlertOnMatches(rule.on, type) || !AlertFieldsMatch(rule.match, fields)) continue;
    if (rule.window_seconds <= 0) {
      if (++s.seen < rule.count) continue;
    } else {
      if (now < 0) now = clock_();
      if (now < s.quiet_until) continue;
      s.times.push_back(now);
      while (!s.times.empty() && now - s.times.front() > rule.window_seconds) s.times.pop_front();
      if (s.times.size() < rule.count) continue;
      s.times.clear();
      s.quiet_until = now + rule.window_seconds;
    }
    s.fired = true;
    Fire(rule, type, fields);
  }
}

void AlertEngine::Fire(const policy::AlertRule& rule, const std::string& type, const nlohmann::json& fields) {
  ++alerts_;
  nlohmann::json alert = AlertFields(rule, type, fields);
  next_.Emit("alert", alert);
  if (rule.Has(policy::AlertAction::kHook) && hooks_ != nullptr && !rule.hook.empty()) {
    nlohmann::json line = {{"v", kEventSchemaVersion}, {"type", "alert"}};
    if (!run_id_.empty()) line["run"] = run_id_;
    for (const auto& [key, value] : alert.items()) line[key] = value;
    hooks_->Start(rule.hook, line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n");
  }
  if (rule.Has(policy::AlertAction::kKill) && !stopped_ && stop_) {
    stopped_ = true;
    stop_("alert " + rule.id + ": " + alert["message"].get<std::string>());
  }
}

}  // namespace cordon::audit
