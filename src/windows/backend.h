// The Windows backend: LaunchPlan -> winplan::Translate -> ACEs, token, job, private desktop, process; then waits.
// Order (all in cordon.exe; nothing runs in the sandbox until the last step):
//   1. translate (fails closed: network none/allowlist or deny_read without the sandbox account)
//   2. the run's TEMP directory; ACEs (persistent ones recorded for `setup --undo`, the run's removed at the end)
//   3. restricted token, job object, private window station + desktop
//   4. CreateProcessAsUser suspended -> job -> resume; wait (timeout: the whole job is terminated)
//   5. when the command exits, the job is terminated too: nothing it started survives it
// A RunControl stop request terminates the job (kStopped). Not yet: running as the sandbox account (setup), the
// proxy (allowlist mode). See docs/WINDOWS.md.
#pragma once

#include <memory>

#include "backend/backend.h"
#include "winplan/translate.h"

namespace cordon::windows {

// What Run needs besides the plan.
struct RunContext {
  std::vector<std::string> caller_env;
  bool dry_run = false;  // print the Windows plan and stop
};

std::unique_ptr<Backend> MakeWindowsBackend(RunContext context);

}  // namespace cordon::windows
