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
};

class Backend {
 public:
  virtual ~Backend() = default;
  // Runs the plan to completion, reporting decisions made meanwhile (network connections) to `events`, unless
  // `control` asks for a stop first (then kStopped). An Error means the sandbox could not be built: nothing ran.
  virtual Result<RunOutcome> Run(const plan::LaunchPlan& plan, audit::EventSink& events, RunControl& control) = 0;
};

std::unique_ptr<Backend> MakeLinuxBackend();

}  // namespace cordon
