// RunControl on Windows: no eventfd; the backend polls stop_requested() while it waits (every 100 ms).
#include "backend/run_control.h"

namespace cordon {

Result<std::unique_ptr<RunControl>> RunControl::Create() {
  return std::unique_ptr<RunControl>(new RunControl(UniqueFd()));
}

void RunControl::RequestStop(const std::string& reason) {
  std::lock_guard<std::mutex> lock(mu_);
  if (stop_.load()) return;
  reason_ = reason;
  stop_.store(true);
}

std::string RunControl::reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

}  // namespace cordon
