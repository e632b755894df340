// seccomp (libseccomp): refuses the kernel's dangerous corners with EPERM so tools fail cleanly.
// Compiled to BPF by libseccomp at build time (seccomp_gen writes the program into the binary, so a run pays
// no compilation); installed in the child as the last step before execve. Two variants: one answers EPERM
// itself, the other hands each refused call to cordon's supervisor, which answers EPERM and records the
// denial (seccomp_notify.h).
// Does not protect: anything reached through an allowed syscall (that is the other layers' job); clone3
// is refused with ENOSYS as a whole because seccomp cannot read its flags, so libc falls back to clone().
#pragma once

#include <linux/filter.h>

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"

namespace cordon::linux_backend::seccomp {

struct Program {
  std::vector<sock_filter> filter;
};

// How a refused call is answered: EPERM by the filter (kErrno), or by cordon's supervisor after a user
// notification (kNotify, SECCOMP_RET_USER_NOTIF). The ENOSYS answers (clone3, openat2: libc falls back) are
// compatibility, not refusals, and are the filter's own in both.
enum class Refusal { kErrno, kNotify };

// The names of the syscalls refused outright (for docs and tests).
const std::vector<const char*>& RefusedSyscalls();

// Builds the filter with libseccomp (build time, and tests).
Result<void> Compile(Program& out, Refusal refusal);

// The filter Compile() built when cordon was built (seccomp_program.cc).
const Program& Prebuilt(Refusal refusal);

// A syscall number's name on one ABI. `arch` is the AUDIT_ARCH_* value seccomp reports; x32 calls come with
// AUDIT_ARCH_X86_64 and the x32 bit (0x40000000) in `nr`.
struct SyscallName {
  uint32_t arch;
  int nr;
  std::string name;
};

// Every syscall libseccomp knows on the native ABI and on the foreign ABIs the filter refuses whole (x86 and x32
// on x86_64), sorted by arch, then nr (build time).
std::vector<SyscallName> ResolveSyscallNames();

// From the table ResolveSyscallNames() built when cordon was built: the name, or nullptr when unknown.
const char* NameOf(uint32_t arch, int nr);

// Child side: installs the filter on the calling thread. Returns 0 or an errno.
int Apply(const Program& p);

// Child side: installs a Refusal::kNotify filter and puts its listener (close-on-exec) in `listener`. Returns 0
// or an errno: EBUSY when a filter already in force has a listener (cordon inside another sandbox that uses
// one), EINVAL on kernels without user notification (before 5.0).
int ApplyWithListener(const Program& p, int& listener);

}  // namespace cordon::linux_backend::seccomp
