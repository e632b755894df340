// rlimits: process count, memory, file size, open files, no core dumps. Compiled in the parent from the
// plan's limits (never raised above the caller's hard limit); applied in the child.
// Does not protect: total memory of many processes together (only a cgroup can bound that; cordon doctor
// says whether one is delegated). RLIMIT_NPROC counts the sandbox user's processes in its user namespace.
#pragma once

#include <sys/resource.h>

#include <array>

#include "policy/policy.h"

namespace cordon::linux_backend::rlimits {

struct Entry {
  int resource;
  rlimit value;
};
using Prepared = std::array<Entry, 5>;

Prepared Prepare(const policy::Limits& limits);
// Child side. Returns 0 or an errno; `*failed` is the resource that failed.
int Apply(const Prepared& p, int* failed);

}  // namespace cordon::linux_backend::rlimits
