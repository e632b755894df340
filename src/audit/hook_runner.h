// Alert hooks as processes: the hook command runs outside the sandbox, as the caller, in cordon's environment
// and working directory, in a process group of its own, with the alert JSON on stdin, stdout on /dev/null and
// stderr on cordon's. Start() returns once the program is exec'd; a thread per hook writes its input and waits
// for it, killing the group after the timeout. A hook that cannot start, fails or times out is one warning line
// on stderr: it never changes the run's outcome. Hooks are not a security boundary: whatever the hook runs has
// the caller's rights, so it must not be a file the sandbox can write.
#pragma once

#include <cstddef>
#include <string>
#include <thread>
#include <vector>

#include "audit/alerts.h"

namespace cordon::audit {

class HookProcesses : public HookRunner {
 public:
  static constexpr double kTimeoutSeconds = 10;
  static constexpr size_t kMaxHooks = 32;  // per run; later ones are skipped with a warning

  explicit HookProcesses(double timeout_seconds = kTimeoutSeconds) : timeout_seconds_(timeout_seconds) {}
  HookProcesses(const HookProcesses&) = delete;
  HookProcesses& operator=(const HookProcesses&) = delete;
  ~HookProcesses() override { Wait(); }

  void Start(const std::vector<std::string>& argv, const std::string& input) override;
  // Waits for every hook started (each at most its timeout from its start).
  void Wait();

 private:
  double timeout_seconds_;
  size_t started_ = 0;
  std::vector<std::thread> waiters_;
};

}  // namespace cordon::audit
