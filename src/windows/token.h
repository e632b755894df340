// The sandboxed command's token: the caller's, restricted (CreateRestrictedToken with DISABLE_MAX_PRIVILEGE and
// WRITE_RESTRICTED). Every write access check then also needs an ACE for one of the restricting SIDs (only the
// workspace's): writes succeed only where acl.cc put one. Reads are checked as for the caller.
// Not protected: reads (see winplan/translate.h), objects whose DACL grants Everyone or the workspace SID write.
#pragma once

#include "windows/win32.h"
#include "winplan/windows_plan.h"

namespace cordon::windows {

// Parent side. The token's default DACL grants the caller, SYSTEM and the workspace SID full access, so that what the
// sandbox creates (processes, threads, pipes, files without an inherited DACL) stays usable to it.
Result<UniqueHandle> MakeSandboxToken(const winplan::TokenPlan& plan);

}  // namespace cordon::windows
