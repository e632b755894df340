// A request to stop a run early, made from outside the backend: an alert rule's kill action, or anything else
// that decides the run must not go on (a failing audit sink). The backend kills the whole sandbox and reports
// RunOutcome::Kind::kStopped, exit code kExitStopped, with the reason as its message. The first request wins;
// later ones are ignored. Thread-safe. A request made before the run starts stops it before anything runs.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <string>

#include "base/result.h"
#include "base/unique_fd.h"

namespace cordon {

class RunControl {
 public:
  static Result<std::unique_ptr<RunControl>> Create();

  // `reason`: one line without "cordon: ", as "alert fork-bomb: the command hit the process limit".
  void RequestStop(const std::string& reason);
  bool stop_requested() const { return stop_.load(); }
  std::string reason() const;
  // Readable once a stop was requested (Linux: an eventfd), for the supervisor's poll().
  int fd() const { return fd_.get(); }

 private:
  explicit RunControl(UniqueFd fd) : fd_(std::move(fd)) {}
  UniqueFd fd_;
  std::atomic<bool> stop_{false};
  mutable std::mutex mu_;
  std::string reason_;
};

}  // namespace cordon
