// Raw syscalls that glibc 2.36 does not wrap (Landlock, clone3, pivot_root, pidfd_send_signal).
// Each returns -1 and sets errno like libc; EINTR-prone ones are retried by the callers that block.
#pragma once

#include <linux/sched.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>

namespace cordon::sys {

inline long Clone3(struct clone_args* args) { return ::syscall(SYS_clone3, args, sizeof(*args)); }
inline int PivotRoot(const char* new_root, const char* put_old) {
  return static_cast<int>(::syscall(SYS_pivot_root, new_root, put_old));
}
inline int PidfdSendSignal(int pidfd, int sig) {
  return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd, sig, nullptr, 0));
}
inline int LandlockCreateRuleset(const void* attr, size_t size, uint32_t flags) {
  return static_cast<int>(::syscall(444, attr, size, flags));
}
inline int LandlockAddRule(int ruleset_fd, int rule_type, const void* attr, uint32_t flags) {
  return static_cast<int>(::syscall(445, ruleset_fd, rule_type, attr, flags));
}
inline int LandlockRestrictSelf(int ruleset_fd, uint32_t flags) {
  return static_cast<int>(::syscall(446, ruleset_fd, flags));
}

// Retries a libc-style call while it fails with EINTR.
template <typename F>
auto RetryEintr(F f) -> decltype(f()) {
  decltype(f()) r;
  do {
    r = f();
  } while (r == -1 && errno == EINTR);
  return r;
}

}  // namespace cordon::sys
