#include "linux/fd_passing.h"

#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "base/syscalls.h"

namespace cordon::linux_backend::fd_passing {
namespace {

// The value and room for one descriptor, on the stack.
struct Message {
  int32_t value = 0;
  iovec iov{&value, sizeof(value)};
  alignas(cmsghdr) char control[CMSG_SPACE(sizeof(int))] = {};
  msghdr msg{};
  Message() {
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof(control);
  }
  Message(const Message&) = delete;
  Message& operator=(const Message&) = delete;
};

}  // namespace

int Send(int channel, int fd, int32_t value) {
  Message m;
  m.value = value;
  if (fd >= 0) {
    cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    std::memcpy(CMSG_DATA(c), &fd, sizeof(int));
  } else {
    m.msg.msg_control = nullptr;
    m.msg.msg_controllen = 0;
  }
  ssize_t n = sys::RetryEintr([&] { return sendmsg(channel, &m.msg, MSG_NOSIGNAL); });
  if (n < 0) return errno;
  return n == sizeof(m.value) ? 0 : EPIPE;
}

Result<Received> Receive(int channel, int flags) {
  Message m;
  ssize_t n = sys::RetryEintr([&] { return recvmsg(channel, &m.msg, flags | MSG_CMSG_CLOEXEC); });
  if (n < 0) return ErrnoError("recvmsg");
  Received out;
  cmsghdr* c = CMSG_FIRSTHDR(&m.msg);
  if (c != nullptr) {
    if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS || c->cmsg_len != CMSG_LEN(sizeof(int))) {
      return MakeError("an unexpected control message");
    }
    int fd = -1;
    std::memcpy(&fd, CMSG_DATA(c), sizeof(int));
    out.fd.Reset(fd);
  }
  if ((m.msg.msg_flags & MSG_CTRUNC) != 0) return MakeError("a truncated control message");
  if (n != sizeof(m.value)) return MakeError(n == 0 ? "the other end closed" : "a short message");
  out.value = m.value;
  return out;
}

}  // namespace cordon::linux_backend::fd_passing
