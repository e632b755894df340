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

class Sandbox {
 public:
  Sandbox() = default;
  Sandbox(const Sandbox&) = delete;
  Sandbox& operator=(const Sandbox&) = delete;
  ~Sandbox();

  // Creates the sandbox's cgroups with the plan's limits; stays inactive when this caller can make none.
  Result<void> Setup(const policy::Limits& limits);
  Result<void> Enter(pid_t pid) const;
  // True when the memory limit was hit during the run.
  bool MemoryLimitHit() const;
  bool active() const { return !dirs_.empty(); }
  std::string Describe() const;

 private:
  std::vector<std::string> dirs_;  // one per hierarchy
  std::string memory_dir_;
  bool v2_ = false;
};

// Which cgroups a run of this caller gets, for `cordon doctor`; "" when none (rlimits only).
std::string Availability();

}  // namespace cordon::linux_backend::cgroups
