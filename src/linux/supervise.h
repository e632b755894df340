// The supervisor's one loop, from exec to the end of a run: init's pidfd, cordon's own signals (signalfd),
// init's report of the command's status, the proxy's epoll fd, the command's output pipes and the flush
// timer, the timeout and the run's stop requests (RunControl). Kills the sandbox (SIGKILL to init) on timeout,
// on SIGINT/SIGTERM/SIGHUP/SIGQUIT, or when a stop is requested.
// Init kills and reaps everything else before it reports, so the status is the end of the sandbox; the kernel
// finishes tearing init down without cordon waiting.
#pragma once

#include <signal.h>

#include <chrono>
#include <functional>

#include "backend/run_control.h"
#include "base/result.h"
#include "linux/child.h"
#include "linux/egress.h"
#include "linux/output.h"

namespace cordon::linux_backend {

struct WaitResult {
  siginfo_t info{};  // when reaped
  bool reaped = false;
  bool have_status = false;
  ExitReport report;  // the command's wait status and the sandbox's resource usage, from init
  bool timed_out = false;
  int interrupted_by = 0;
  bool stopped = false;  // by the RunControl
};

struct Watch {
  int pidfd = -1;
  int sigfd = -1;
  int statusfd = -1;  // -1: none (the unrestricted run); wait for the pidfd
  Egress* egress = nullptr;
  OutputPump* out = nullptr;  // stdout, stderr; nullptr when the command writes to cordon's own directly
  OutputPump* err = nullptr;
  const RunControl* control = nullptr;
  std::function<void()> tick;  // called every tick_ms while the run goes on (nullptr: never)
  int tick_ms = 0;
};

Result<WaitResult> Supervise(Watch watch, double timeout_seconds, std::chrono::steady_clock::time_point start);

// waitid on the pidfd.
Result<void> Reap(int pidfd, WaitResult& r);

}  // namespace cordon::linux_backend
