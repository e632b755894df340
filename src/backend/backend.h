// The one interface between the platform-neutral plan and a platform's enforcement. The Linux backend
// lives in src/linux; a Windows backend implements the same interface on the same LaunchPlan.
#pragma once

#include <memory>
#include <string>

#include "audit/event_log.h"
#include "backend/run_control.h"
#include "base/result.h"
#include "plan/launch_plan.h"

namespace cordon {

// What the run used, for the audit trail's run.end.
struct ResourceUsage {
  double cpu_user = 0;    // seconds, every process of the sandbox together
  double cpu_system = 0;
  uint64_t peak_memory = 0;  // bytes: the cgroup's peak (whole sandbox) or else the largest process's RSS
  std::string peak_memory_of;  // "sandbox" (a cgroup counted it), "largest process", "" (unknown)
  bool output_counted = false;  // the output went through cordon (not --no-redact)
  uint64_t stdout_bytes = 0;    // as the command wrote them, before redaction
  uint64_t stderr_bytes = 0;
};

// cordon's exit code when a RunControl stopped the run (an alert rule's kill action): the sandbox was killed.
inline constexpr int kExitStopped = 123;

struct RunOutcome {
  enum class Kind { kExited, kSignaled, kTimedOut, kNotFound, kNotExecutable, kInterrupted, kStopped };
  Kind kind = Kind::kExited;
  int exit_code = 0;  // what cordon exits with: the command's own, 128+N, 124, 126, 127, kExitStopped
  int signal = 0;
  double wall_seconds = 0;
  std::string message;  // for the caller's stderr when not a plain exit ("timed out after 2s")
  std::string degraded;  // layers skipped under best_effort, empty when none
  ResourceUsage usage;
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Runs the plan to completion, reporting decisions made meanwhile (network connections, redactions, limits
  // hit) to `events`, unless `control` asks for a stop (then kStopped). An Error means the sandbox could not be
  // built: nothing ran.
  virtual Result<RunOutcome> Run(const plan::LaunchPlan& plan, audit::EventSink& events, RunControl& control) = 0;
};

std::unique_ptr<Backend> MakeLinuxBackend();

}  // namespace cordon
