// Handing a file descriptor from the sandbox to cordon over a unix socket (SCM_RIGHTS): init's listening socket
// for the proxy (network.h), the command's seccomp listener (seccomp_notify.h). One message carries at most
// one descriptor and a 32-bit value (what the receiver needs to know when there is no descriptor).
#pragma once

#include <cstdint>

#include "base/result.h"
#include "base/unique_fd.h"

namespace cordon::linux_backend::fd_passing {

// Child side, no allocation: sends `fd` (none when -1) with `value`. The sender keeps its copy. Returns 0 or an
// errno.
int Send(int channel, int fd, int32_t value);

struct Received {
  UniqueFd fd;  // invalid when the message carried none
  int32_t value = 0;
};

// Parent side: one message (`flags` for recvmsg, e.g. MSG_DONTWAIT). The descriptor is close-on-exec. An error
// when nothing or something else came (EOF, a short message, a stray control message).
Result<Received> Receive(int channel, int flags);

}  // namespace cordon::linux_backend::fd_passing
