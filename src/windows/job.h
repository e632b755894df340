// The job object every sandboxed process runs in: closing its last handle kills them all (cordon holds it, so the
// sandbox dies with cordon, even on a crash), no process may break away, and the limits of winplan::JobLimits hold.
#pragma once

#include "backend/backend.h"
#include "windows/win32.h"
#include "winplan/windows_plan.h"

namespace cordon::windows {

// Parent side, before the command starts. A CPU rate the system refuses is an error (fail closed).
Result<UniqueHandle> CreateSandboxJob(const winplan::JobLimits& limits);

// CPU time and peak memory of every process the job ever held.
ResourceUsage JobUsage(HANDLE job);

}  // namespace cordon::windows
