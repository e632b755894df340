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
using Prepared = std::array<Entry, 6>;

// `address_space` caps RLIMIT_AS (0: left as it is). Used when no cgroup bounds the sandbox's total memory:
// shared memory escapes RLIMIT_DATA, but not the address space. It can stop programs that reserve far more
// address space than they use (sanitizers, some JITs); raise `limits.memory` for those.
Prepared Prepare(const policy::Limits& limits, uint64_t address_space);
// Child side. Returns 0 or an errno; `*failed` is the resource that failed.
int Apply(const Prepared& p, int* failed);

}  // namespace cordon::linux_backend::rlimits
