// The command's stdout and stderr, on their way to cordon's own: each is a pipe the supervisor reads, passes
// through a filter (the redactor) and writes on. A reader that goes away (`cordon run … | head -1`) closes the
// pipe, so the command gets SIGPIPE as it would without cordon. Parent side only; the child dup2()s the
// write ends onto 1 and 2.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"
#include "base/unique_fd.h"

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

  int fd() const { return read_end_.get(); }  // -1 once the stream has ended
  bool holding() const { return filter_ && filter_->holding(); }
  // Reads what is there, filters it and writes it on. At EOF: finishes the filter and closes.
  void OnReadable();
  void FlushHeld();
  // Reads to end of stream (every writer is gone) and finishes.
  void Drain();

 private:
  void Emit(const std::string& bytes);
  void End();

  int target_fd_ = -1;
  UniqueFd read_end_, write_end_;
  std::unique_ptr<OutputFilter> filter_;
  std::string out_;
  bool target_gone_ = false;
};

}  // namespace cordon::linux_backend
