// seccomp (libseccomp): refuses the kernel's dangerous corners with EPERM so tools fail cleanly.
// Compiled to BPF in the parent; installed in the child as the last step before execve.
// Does not protect: anything reached through an allowed syscall (that is the other layers' job); clone3
// is refused with ENOSYS as a whole because seccomp cannot read its flags, so libc falls back to clone().
#pragma once

#include <linux/filter.h>

#include <vector>

#include "base/result.h"

namespace cordon::linux_backend::seccomp {

struct Program {
  std::vector<sock_filter> filter;
  sock_fprog prog{};  // points into `filter`; valid while Program lives and is not moved
};

// The names of the syscalls refused outright (for docs and tests).
const std::vector<const char*>& RefusedSyscalls();

Result<void> Compile(Program& out);

// Child side: installs the filter on the calling thread. Returns 0 or an errno.
int Apply(const Program& p);

}  // namespace cordon::linux_backend::seccomp
