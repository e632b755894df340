// User namespace: the caller's uid and gid map to themselves inside, nothing else is mapped, and setgroups
// is denied. Parent side only; the child waits on the sync pipe until the maps are written.
#pragma once

#include <sys/types.h>

#include "base/result.h"

namespace cordon::linux_backend::userns {

Result<void> WriteMaps(pid_t child, uid_t uid, gid_t gid);

// A hint for the error when clone() refuses CLONE_NEWUSER, naming the setting that is in the way.
std::string WhyUnavailable(int err);

}  // namespace cordon::linux_backend::userns
