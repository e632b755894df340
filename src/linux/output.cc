#include "linux/output.h"

#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <string>

namespace cordon::linux_backend {
namespace {

constexpr size_t kReadSize = 64 << 10;

// SIGPIPE is blocked in the supervisor (SignalGuard); the one a failed write raised is consumed here so it
// cannot be delivered later.
void ConsumeSigpipe() {
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  timespec zero{};
  sigtimedwait(&pipe_set, nullptr, &zero);
}

}  // namespace

// A terminal gets a terminal: the command writes to a pseudo-terminal of its own (so `ls` has columns, tools
// colour and line-buffer, python flushes each line) whose other side the pump reads. Its output processing is
// off (the bytes arrive as written; the caller's terminal does its own), its size is the caller's. It is
// not the command's controlling terminal (the command runs in a session of its own).
Result<void> OutputPump::OpenTerminal(int target_fd) {
  UniqueFd master(posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!master.valid()) return ErrnoError("posix_openpt for the command's output");
  if (grantpt(master.get()) != 0 || unlockpt(master.get()) != 0) return ErrnoError("unlockpt");
  char name[64];
  if (int err = ptsname_r(master.get(), name, sizeof(name)); err != 0) return Error{"ptsname", err, {}};
  UniqueFd slave(open(name, O_RDWR | O_NOCTTY | O_CLOEXEC));
  if (!slave.valid()) return ErrnoError("open the command's terminal " + std::string(name));
  termios t{};
  if (tcgetattr(slave.get(), &t) == 0) {
    t.c_oflag &= ~static_cast<tcflag_t>(OPOST);
    tcsetattr(slave.get(), TCSANOW, &t);
  }
  winsize size{};
  if (ioctl(target_fd, TIOCGWINSZ, &size) == 0) ioctl(slave.get(), TIOCSWINSZ, &size);
  read_end_ = std::move(master);
  write_end_ = std::move(slave);
  terminal_ = true;
  return {};
}

Result<void> OutputPump::Prepare(int target_fd, std::unique_ptr<OutputFilter> filter) {
  target_fd_ = target_fd;
  filter_ = std::move(filter);
  if (isatty(target_fd)) return OpenTerminal(target_fd);
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2 for the command's output");
  read_end_.Reset(fds[0]);
  write_end_.Reset(fds[1]);
  return {};
}

// A regular file never makes a writer wait: written as it is. A pipe or a terminal gets a non-blocking file
// description of its own, so the caller's (shared with whoever else writes to it) keeps its flags. What
// cannot be reopened (a socket, a pipe of another user's) is written PIPE_BUF bytes at a time after POLLOUT,
// which a pipe guarantees to take without blocking.
void OutputPump::OpenTarget() {
  struct stat st {};
  if (fstat(target_fd_, &st) != 0) {
    target_gone_ = true;
    return;
  }
  const int flags = fcntl(target_fd_, F_GETFL);
  if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode) && (flags < 0 || !(flags & O_NONBLOCK))) {
    const std::string self = "/proc/self/fd/" + std::to_string(target_fd_);
    if (S_ISFIFO(st.st_mode) || S_ISCHR(st.st_mode)) {
      target_.Reset(open(self.c_str(), O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY));
    }
    if (target_.valid()) {
      mode_ = WriteMode::kNonBlocking;
      return;
    }
    mode_ = WriteMode::kPipeBuf;
  } else {
    mode_ = flags >= 0 && (flags & O_NONBLOCK) ? WriteMode::kNonBlocking : WriteMode::kBlocking;
  }
  target_.Reset(fcntl(target_fd_, F_DUPFD_CLOEXEC, 3));
  if (!target_.valid()) target_gone_ = true;
}

// Writes what the target takes now without waiting.
void OutputPump::WriteSome() {
  while (sent_ < pending_.size() && !target_gone_) {
    size_t want = pending_.size() - sent_;
    if (mode_ == WriteMode::kPipeBuf) {
      pollfd p{target_.get(), POLLOUT, 0};
      if (poll(&p, 1, 0) != 1 || !(p.revents & (POLLOUT | POLLERR | POLLHUP))) break;
      want = std::min<size_t>(want, PIPE_BUF);
    }
    ssize_t n = write(target_.get(), pending_.data() + sent_, want);
    if (n > 0) {
      sent_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && errno == EAGAIN) break;
    // EPIPE (nobody reads cordon's output any more) or a broken target: close the command's pipe, so it
    // learns it the usual way (SIGPIPE/EPIPE on its next write).
    if (n < 0 && errno == EPIPE) ConsumeSigpipe();
    target_gone_ = true;
    read_end_.Reset();
  }
  if (sent_ == pending_.size() || target_gone_) {
    pending_.clear();
    sent_ = 0;
  } else if (sent_ > kMaxPending) {
    pending_.erase(0, sent_);
    sent_ = 0;
  }
}

void OutputPump::Emit(const std::string& bytes) {
  if (bytes.empty() || target_gone_) return;
  if (!target_.valid()) OpenTarget();
  if (terminal_) terminal_filter_.Write(bytes, pending_);
  else pending_ += bytes;
  WriteSome();
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
  if (n <= 0) return End();  // a terminal's master reads EIO once the last writer is gone
  bytes_read_ += static_cast<uint64_t>(n);
  out_.clear();
  if (filter_) filter_->Write(std::string_view(buf, static_cast<size_t>(n)), out_);
  else out_.assign(buf, static_cast<size_t>(n));
  Emit(out_);
}

void OutputPump::OnWritable() { WriteSome(); }

void OutputPump::FlushHeld() {
  if (!read_end_.valid() || !filter_) return;
  out_.clear();
  filter_->Flush(out_);
  Emit(out_);
}

void OutputPump::Drain() {
  while (read_end_.valid()) OnReadable();
}

void OutputPump::Finish(int stop_fd) {
  while (write_fd() >= 0) {
    pollfd fds[2] = {{write_fd(), POLLOUT, 0}, {stop_fd, POLLIN, 0}};
    if (poll(fds, 2, -1) < 0 && errno != EINTR) return;
    if (fds[1].revents & POLLIN) return;  // a signal: cordon is told to stop, the rest is dropped
    if (fds[0].revents) WriteSome();
  }
}

}  // namespace cordon::linux_backend
