// The command's stdout and stderr, on their way to cordon's own: each is a pipe the supervisor reads, passes
// through a filter (the redactor) and writes on. A reader that goes away (`cordon run … | head -1`) closes the
// pipe, so the command gets SIGPIPE as it would without cordon. Parent side only; the child dup2()s the
// write ends onto 1 and 2.
// Writing never blocks the supervisor (its loop also runs the timeout, signals and the proxy): what the
// caller has not taken yet waits in a bounded buffer, and while that is full the pump stops reading, so a
// slow reader slows the command down (its pipe fills) exactly as it would without cordon. cordon's stdout is
// written through a non-blocking file description of its own (reopened through /proc/self/fd, so the
// caller's stays as it was); where that is impossible (a socket), at most PIPE_BUF bytes go per POLLOUT.
// When cordon's own output is a terminal, the command's is a pseudo-terminal instead of a pipe (OpenTerminal).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"
#include "linux/terminal_filter.h"

namespace cordon::linux_backend {

// What the output passes through. Write() appends to `out` what may leave now and may hold back bytes that
// could still turn out to be part of a secret; Flush() releases what is held (on the flush timer); Finish()
// at end of stream.
class OutputFilter {
 public:
  virtual ~OutputFilter() = default;
  virtual void Write(std::string_view in, std::string& out) = 0;
  virtual void Flush(std::string& out) = 0;
  virtual void Finish(std::string& out) = 0;
  virtual bool holding() const = 0;
};

class OutputPump {
 public:
  // Before clone: the pipe for the command's `target_fd` (1 or 2).
  Result<void> Prepare(int target_fd, std::unique_ptr<OutputFilter> filter);
  int child_end() const { return write_end_.get(); }
  void CloseChildEnd() { write_end_.Reset(); }

  int fd() const { return read_end_.get(); }  // the pipe's read end; -1 once the stream has ended
  // For poll(): the pipe to read (POLLIN), -1 once the stream has ended or while the buffer is full; the
  // target to write (POLLOUT), -1 when nothing waits.
  int read_fd() const { return pending_.size() - sent_ < kMaxPending ? read_end_.get() : -1; }
  int write_fd() const { return sent_ < pending_.size() && !target_gone_ ? target_.get() : -1; }
  bool holding() const { return filter_ && filter_->holding(); }
  uint64_t bytes_read() const { return bytes_read_; }  // what the command wrote
  uint64_t escapes_removed() const { return terminal_filter_.removed(); }  // terminal only (terminal_filter.h)
  // Reads what is there, filters it and writes on what the target takes. At EOF: finishes the filter.
  void OnReadable();
  void OnWritable();
  void FlushHeld();
  // Reads to end of stream (every writer is gone) and finishes; the rest is left for Finish().
  void Drain();
  // Waits (blocking) until the caller took everything, the caller went away, or `stop_fd` is readable.
  void Finish(int stop_fd);

  static constexpr size_t kMaxPending = 1 << 20;

 private:
  enum class WriteMode { kNonBlocking, kBlocking, kPipeBuf };
  Result<void> OpenTerminal(int target_fd);
  void OpenTarget();
  void Emit(const std::string& bytes);
  void WriteSome();
  void End();

  UniqueFd read_end_, write_end_;
  int target_fd_ = -1;
  UniqueFd target_;  // cordon's stdout/stderr as the pump writes it; opened at the first output (after clone)
  WriteMode mode_ = WriteMode::kBlocking;
  std::unique_ptr<OutputFilter> filter_;
  std::string out_;
  std::string pending_;  // [sent_, size) waits for the caller
  size_t sent_ = 0;
  uint64_t bytes_read_ = 0;
  bool target_gone_ = false;
  bool terminal_ = false;  // the command writes to a pseudo-terminal (cordon's own output is one)
  TerminalFilter terminal_filter_;  // then its output also passes this
};

}  // namespace cordon::linux_backend
