#include "linux/seccomp_notify.h"

#include <fcntl.h>
#include <linux/audit.h>
#include <linux/seccomp.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "base/syscalls.h"
#include "linux/fd_passing.h"

namespace cordon::linux_backend {
namespace {

constexpr int kX32Bit = 0x40000000;
// Linux 6.6, newer than Debian 12's headers: wake the waiting caller on the supervisor's CPU when answering
// (a synchronous switch, no cross-CPU wake-up: the round trip is several times shorter).
constexpr unsigned long kNotifSetFlags = SECCOMP_IOW(4, uint64_t);
constexpr uint64_t kSyncWakeUp = 1;

std::string_view ArchName(uint32_t arch, int nr) {
  switch (arch) {
    case AUDIT_ARCH_X86_64:
      return (nr & kX32Bit) != 0 ? "x32" : "x86_64";
    case AUDIT_ARCH_I386:
      return "x86";
    case AUDIT_ARCH_AARCH64:
      return "aarch64";
    case AUDIT_ARCH_ARM:
      return "arm";
  }
  return "other";
}

// The calling thread's id in the sandbox's pid namespace (the last NSpid field), 0 when unknown. The thread is
// waiting for our answer, so `host_tid` cannot have been reused meanwhile.
int SandboxTid(uint32_t host_tid) {
  char path[64];
  std::snprintf(path, sizeof(path), "/proc/%u/status", host_tid);
  UniqueFd fd(open(path, O_RDONLY | O_CLOEXEC));
  if (!fd.valid()) return 0;
  char buf[4096];
  ssize_t n = sys::RetryEintr([&] { return read(fd.get(), buf, sizeof(buf) - 1); });
  if (n <= 0) return 0;
  buf[n] = '\0';
  const char* line = std::strstr(buf, "\nNSpid:");
  if (line == nullptr) return 0;
  const char* end = std::strchr(line + 1, '\n');
  if (end == nullptr) return 0;
  int last = 0;
  for (const char* p = line + 7; p < end;) {  // "\tHOST\t...\tINNERMOST"
    char* next = nullptr;
    long v = std::strtol(p, &next, 10);
    if (next == p) break;
    last = static_cast<int>(v);
    p = next;
  }
  return last;
}

}  // namespace

bool DenialCounter::Count(const Key& key) {
  Counts& c = counts_[key];
  ++c.count;
  if (c.count <= kPerSyscall && reported_ < kTotal) {
    ++reported_;
    return true;
  }
  ++c.suppressed;
  return false;
}

namespace seccomp_notify {

int Install(const seccomp::Program& notify, const seccomp::Program& plain, int channel) {
  int listener = -1;
  if (int refused = seccomp::ApplyWithListener(notify, listener); refused != 0) {
    if (int err = seccomp::Apply(plain)) return err;
    return fd_passing::Send(channel, -1, refused);
  }
  int err = fd_passing::Send(channel, listener, 0);
  close(listener);
  return err;
}

}  // namespace seccomp_notify

Result<void> SyscallDenials::Prepare() {
  const char* env = std::getenv("CORDON_SECCOMP_NOTIFY");
  if (env != nullptr && std::strcmp(env, "0") == 0) {
    requested_ = false;
    return {};
  }
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, fds) != 0) {
    return ErrnoError("socketpair for the seccomp listener");
  }
  parent_end_.Reset(fds[0]);
  child_end_.Reset(fds[1]);
  return {};
}

void SyscallDenials::Start(audit::EventSink& events) {
  events_ = &events;
  if (!requested_) return Degraded("CORDON_SECCOMP_NOTIFY=0", 0);
  if (!parent_end_.valid()) return;
  // The command sent it before execve, and exec (or its failure) came first: it is there, or never will be.
  auto received = fd_passing::Receive(parent_end_.get(), MSG_DONTWAIT);
  parent_end_.Reset();
  if (!received.ok()) return;  // the command failed before its seccomp step; that failure is reported
  if (!received->fd.valid()) return Degraded("the kernel refused a seccomp listener", received->value);
  listener_ = std::move(received->fd);
  (void)ioctl(listener_.get(), kNotifSetFlags, kSyncWakeUp);  // older kernels: EINVAL, and the plain wake-up
  seccomp_notif_sizes sizes{};
  if (syscall(SYS_seccomp, SECCOMP_GET_NOTIF_SIZES, 0, &sizes) != 0) sizes = {};
  request_.assign(std::max<size_t>(sizes.seccomp_notif, sizeof(seccomp_notif)), 0);
  response_.assign(std::max<size_t>(sizes.seccomp_notif_resp, sizeof(seccomp_notif_resp)), 0);
}

void SyscallDenials::OnPoll(short revents) {
  if ((revents & POLLIN) != 0) return Answer();
  // No process uses the filter any more (POLLHUP): nothing will come.
  if ((revents & (POLLHUP | POLLERR | POLLNVAL)) != 0) listener_.Reset();
}

void SyscallDenials::Answer() {
  std::fill(request_.begin(), request_.end(), 0);  // the kernel wants it zeroed
  auto* req = reinterpret_cast<seccomp_notif*>(request_.data());
  // ENOENT: the caller was killed after the poll; the call is gone.
  if (ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_RECV, req) != 0) return;
  const char* name = seccomp::NameOf(req->data.arch, req->data.nr);
  const std::string_view arch = ArchName(req->data.arch, req->data.nr);
  const bool report = counter_.Count({arch, name != nullptr ? name : "unknown"});
  const int tid = report ? SandboxTid(req->pid) : 0;

  std::fill(response_.begin(), response_.end(), 0);
  auto* resp = reinterpret_cast<seccomp_notif_resp*>(response_.data());
  resp->id = req->id;
  resp->error = -EPERM;
  (void)ioctl(listener_.get(), SECCOMP_IOCTL_NOTIF_SEND, resp);  // ENOENT: the caller is gone meanwhile
  if (!report) return;
  events_->Emit("deny.syscall", {{"layer", "seccomp"},
                                 {"syscall", name != nullptr ? name : "unknown"},
                                 {"nr", req->data.nr},
                                 {"arch", arch},
                                 {"errno", "EPERM"},
                                 {"pid", tid}});
}

void SyscallDenials::Finish() {
  listener_.Reset();
  if (events_ == nullptr) return;
  for (const auto& [key, c] : counter_.counts()) {
    if (c.suppressed == 0) continue;  // each of these had an event of its own
    events_->Emit("deny.syscall", {{"layer", "seccomp"},
                                   {"summary", true},
                                   {"syscall", key.syscall},
                                   {"arch", key.arch},
                                   {"errno", "EPERM"},
                                   {"count", c.count},
                                   {"suppressed", c.suppressed}});
  }
}

void SyscallDenials::Degraded(const std::string& reason, int err) {
  nlohmann::json fields = {{"layer", "seccomp"}, {"missing", "deny.syscall"}, {"reason", reason}};
  if (err != 0) fields["errno"] = strerrorname_np(err) != nullptr ? strerrorname_np(err) : std::to_string(err);
  events_->Emit("audit.degraded", fields);
}

}  // namespace cordon::linux_backend
