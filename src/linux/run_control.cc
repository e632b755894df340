#include "backend/run_control.h"

#include <sys/eventfd.h>
#include <unistd.h>

#include <cstdint>

namespace cordon {

Result<std::unique_ptr<RunControl>> RunControl::Create() {
  UniqueFd fd(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
  if (!fd.valid()) return ErrnoError("eventfd");
  return std::unique_ptr<RunControl>(new RunControl(std::move(fd)));
}

void RunControl::RequestStop(const std::string& reason) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (stop_.load()) return;
    reason_ = reason;
    stop_.store(true);
  }
  uint64_t one = 1;
  ssize_t ignored = write(fd_.get(), &one, sizeof(one));  // cannot fail short of a counter overflow
  (void)ignored;
}

std::string RunControl::reason() const {
  std::lock_guard<std::mutex> lock(mu_);
  return reason_;
}

}  // namespace cordon
