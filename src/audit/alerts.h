// Alert rules applied to a run's events (the rules and their meaning: policy/alert_rules.h). An EventSink in
// front of another: every event passes on unchanged, then the rules see it; a rule that fires emits an `alert`
// event into the same sink and runs its actions — `kill` through the stop callback, `hook` through a
// HookRunner — so this stays pure logic (no processes, no signals; the clock can be given).
//
// An alert names the rule, its severity and message, the type of the event that completed it and a few fields
// of that event that are never secret (`detail`: syscall, host, port, rule ids, limit …; strings cut at 256
// bytes). Alert events are not counted by any rule. Not thread-safe: events come from one thread (the CLI's
// before the run, the supervisor's loop during it).
#pragma once

#include <deque>
#include <functional>
#include <limits>
#include <string>
#include <vector>

#include "audit/event_log.h"
#include "policy/alert_rules.h"

namespace cordon::audit {

// Runs a hook command with the alert JSON on its stdin. HookProcesses (hook_runner.h) is the real one.
class HookRunner {
 public:
  virtual ~HookRunner() = default;
  // Starts `argv` with `input` on stdin and returns without waiting for it.
  virtual void Start(const std::vector<std::string>& argv, const std::string& input) = 0;
};

class AlertEngine : public EventSink {
 public:
  using StopCallback = std::function<void(const std::string& reason)>;
  using Clock = std::function<double()>;  // monotonic seconds

  // `stop`: called once, by the first rule with the kill action that fires, with "alert ID: MESSAGE".
  // `hooks` may be null when no rule has the hook action. `run_id` goes into the hooks' JSON ("" for none).
  // `clock`: for tests; the steady clock by default.
  AlertEngine(std::vector<policy::AlertRule> rules, EventSink& next, StopCallback stop, HookRunner* hooks,
              std::string run_id = "", Clock clock = {});

  void Emit(const std::string& type, const nlohmann::json& fields) override;

  // How many alerts were raised so far.
  size_t alerts() const { return alerts_; }

 private:
  struct State {
    std::deque<double> times;  // matches within the window (with one), or only their number (without)
    uint64_t seen = 0;
    double quiet_until = -std::numeric_limits<double>::infinity();  // with a window: matches before this are
                                                                    // ignored (the rule fired)
    bool fired = false;
  };
  void Fire(const policy::AlertRule& rule, const std::string& type, const nlohmann::json& fields);

  std::vector<policy::AlertRule> rules_;
  std::vector<State> states_;
  EventSink& next_;
  StopCallback stop_;
  HookRunner* hooks_;
  std::string run_id_;
  Clock clock_;
  bool stopped_ = false;
  size_t alerts_ = 0;
};

// Whether every entry of `match` has a value equal to the event's field (same JSON type; numbers by value).
bool AlertFieldsMatch(const std::vector<policy::AlertMatch>& match, const nlohmann::json& fields);

// The fields of an `alert` event for `rule`, completed by an event of `type` with `fields`.
nlohmann::json AlertFields(const policy::AlertRule& rule, const std::string& type, const nlohmann::json& fields);

}  // namespace cordon::audit
