#include "linux/output.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>
#include <ctime>

namespace cordon::linux_backend {
namespace {

constexpr size_t kReadSize = 64 << 10;

// Writes everything unless the reader is gone (EPIPE). SIGPIPE is blocked in the supervisor (SignalGuard);
// a pending one is consumed here so it cannot be delivered later.
bool WriteAll(int fd, const char* data, size_t size) {
  while (size > 0) {
    ssize_t n = write(fd, data, size);
    if (n > 0) {
      data += n;
      size -= static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) {  // the caller's stdout is non-blocking: wait until it drains
      pollfd p{fd, POLLOUT, 0};
      poll(&p, 1, -1);
      continue;
    }
    if (n < 0 && errno == EPIPE) {
      sigset_t pipe_set;
      sigemptyset(&pipe_set);
      sigaddset(&pipe_set, SIGPIPE);
      timespec zero{};
      sigtimedwait(&pipe_set, nullptr, &zero);
    }
    return false;
  }
  return true;
}

}  // namespace

Result<void> OutputPump::Prepare(int target_fd, std::unique_ptr<OutputFilter> filter) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2 for the command's output");
  read_end_.Reset(fds[0]);
  write_end_.Reset(fds[1]);
  target_fd_ = target_fd;
  filter_ = std::move(filter);
  return {};
}

void OutputPump::Emit(const std::string& bytes) {
  if (bytes.empty() || target_gone_) return;
  if (!WriteAll(target_fd_, bytes.data(), bytes.size())) {
    // Nobody reads cordon's output any more: close the pipe, so the command learns it the usual way.
    target_gone_ = true;
    read_end_.Reset();
  }
}

void OutputPump::End() {
  out_.clear();
  if (filter_) filter_->Finish(out_);
  Emit(out_);
  read_end_.Reset();
}

void OutputPump::OnReadable() {
  if (!read_end_.valid()) return;
  char buf[kReadSize];
  ssize_t n = read(read_end_.get(), buf, sizeof(buf));
  if (n < 0 && (errno == EINTR || errno == EAGAIN)) return;
  if (n <= 0) return End();
  out_.clear();
  if (filter_) filter_->Write(std::string_view(buf, static_cast<size_t>(n)), out_);
  else out_.assign(buf, static_cast<size_t>(n));
  Emit(out_);
}

void OutputPump::FlushHeld() {
  if (!read_end_.valid() || !filter_) return;
  out_.clear();
  filter_->Flush(out_);
  Emit(out_);
}

void OutputPump::Drain() {
  while (read_end_.valid()) OnReadable();
}

}  // namespace cordon::linux_backend
