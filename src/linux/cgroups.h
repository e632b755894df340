// cgroups: a total process count and a total memory limit for the whole sandbox, where the caller may make
// cgroups — cgroup v2 when this process's cgroup delegates the pids and memory controllers, else cgroup v1
// hierarchies it can write (root). Without one, only rlimits hold (per user namespace processes, per
// process memory); `cordon doctor` says which. Parent side only: the sandbox's init is moved in right after
// clone, before it runs anything, so everything it starts is counted.
// The directories are removed when the run ends (or, if the kernel still holds one, by the next run, as
// are those of a cordon that was killed).
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

#include "base/result.h"
#include "policy/policy.h"

namespace cordon::linux_backend::cgroups {

// What a cgroup counted over a run (read at its end).
struct Usage {
  bool known = false;             // a cgroup counted the run
  uint64_t peak_memory = 0;       // bytes, the whole sandbox at once; 0 when the kernel does not say
  bool memory_limit_hit = false;  // the OOM killer acted inside (v2 memory.events, v1 memory.oom_control)
  uint64_t pids_limit_hits = 0;   // forks refused at pids.max (pids.events)
};

// The same from the files of a cgroup's directories (v2: both the same), for the tests.
Usage ReadUsage(bool v2, const std::string& memory_dir, const std::string& pids_dir);

class Sandbox {
 public:
  Sandbox() = default;
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  ~Sandbox();

  // Creates the sandbox's cgroups with the plan's limits; stays inactive when this caller can make none. A CPU
  // limit needs a cgroup with the cpu controller: without one it is an error, or under best effort it is left
  // out and named in `degraded`.
  Result<void> Setup(const policy::Limits& limits, bool best_effort, std::string* degraded);
  Result<void> Enter(pid_t pid) const;
  Usage ReadUsage() const;
  bool active() const { return !dirs_.empty(); }
  std::string Describe() const;

 private:
  std::vector<std::string> dirs_;  // one per hierarchy
  std::string memory_dir_, pids_dir_;
  bool v2_ = false;
};

// Which cgroups a run of this caller gets, for `cordon doctor`; "" when none (rlimits only).
std::string Availability();

}  // namespace cordon::linux_backend::cgroups
