// seccomp (libseccomp): refuses the kernel's dangerous corners with EPERM so tools fail cleanly.
// Compiled to BPF by libseccomp at build time (seccomp_gen writes the program into the binary, so a run pays
// no compilation); installed in the child as the last step before execve.
// Does not protect: anything reached through an allowed syscall (that is the other layers' job); clone3
// is refused with ENOSYS as a whole because seccomp cannot read its flags, so libc falls back to clone().
#pragma once

#include <linux/filter.h>

#include <vector>

#include "base/result.h"

namespace cordon::linux_backend::seccomp {

struct Program {
  std::vector<sock_filter> filter;
};

// The names of the syscalls refused outright (for docs and tests).
const std::vector<const char*>& RefusedSyscalls();

// Builds the filter with libseccomp (build time, and tests).
Result<void> Compile(Program& out);

// The filter Compile() built when cordon was built (seccomp_program.cc).
const Program& Prebuilt();

// Child side: installs the filter on the calling thread. Returns 0 or an errno.
int Apply(const Program& p);

}  // namespace cordon::linux_backend::seccomp
