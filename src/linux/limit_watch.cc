#include "linux/limit_watch.h"

namespace cordon::linux_backend {

void LimitWatch::Report(const cgroups::Usage& u) {
  if (u.memory_limit_hit && !memory_reported_) {
    memory_reported_ = true;
    events_.Emit("limit.hit", {{"limit", "memory"}, {"value", limits_.memory_bytes}, {"layer", "cgroup"}});
  }
  if (u.pids_limit_hits > 0 && !pids_reported_) {
    pids_reported_ = true;
    events_.Emit("limit.hit", {{"limit", "pids"},
                               {"value", limits_.processes},
                               {"layer", "cgroup"},
                               {"count", u.pids_limit_hits}});
  }
}

void LimitWatch::Check() {
  if (cgroup_.active() && !(memory_reported_ && pids_reported_)) Report(cgroup_.ReadUsage());
}

cgroups::Usage LimitWatch::Finish(const WaitResult& w) {
  if (w.timed_out) {
    events_.Emit("limit.hit", {{"limit", "timeout"}, {"value", limits_.timeout_seconds}, {"layer", "supervisor"}});
  }
  cgroups::Usage u = cgroup_.ReadUsage();
  Report(u);
  return u;
}

}  // namespace cordon::linux_backend
