// Limits the run runs into, as `limit.hit` events (docs/EVENTS.md): the cgroup's OOM kills and refused forks,
// read while the run goes on (every kTickMs: cgroup v1 does not notify pids.events), so that an alert rule can
// stop a fork bomb as it happens; and at the end the timeout. Without a cgroup, rlimits refuse quietly and
// there is nothing to read.
#pragma once

#include "audit/event_log.h"
#include "linux/cgroups.h"
#include "linux/supervise.h"
#include "policy/policy.h"

namespace cordon::linux_backend {

class LimitWatch {
 public:
  static constexpr int kTickMs = 200;

  LimitWatch(const cgroups::Sandbox& cgroup, const policy::Limits& limits, audit::EventSink& events)
      : cgroup_(cgroup), limits_(limits), events_(events) {}
  bool active() const { return cgroup_.active(); }
  // Reads the cgroup's counters; each limit is reported the first time it is hit.
  void Check();
  // At the end: the timeout, and what the last reading shows. Returns that reading.
  cgroups::Usage Finish(const WaitResult& w);

 private:
  void Report(const cgroups::Usage& u);

  const cgroups::Sandbox& cgroup_;
  const policy::Limits& limits_;
  audit::EventSink& events_;
  bool memory_reported_ = false;
  bool pids_reported_ = false;
};

}  // namespace cordon::linux_backend
