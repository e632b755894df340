// Mounts: builds the sandbox's root from the compiled layout (fs_layout.h) in a fresh mount namespace and
// pivots into it; the old root is detached, so there is no way back. Parent side: Prepare(). Child side: Apply().
// Every bind is cloned (open_tree) before anything is mounted, so no source can be hidden by the build;
// mount targets are opened with RESOLVE_IN_ROOT|RESOLVE_NO_SYMLINKS. Nothing is mounted in the caller's
// namespace: when the sandbox's last process exits, its mounts go with it.
// Does not protect: path-named unix sockets inside readable roots can still be connect()ed (read-only mounts
// do not stop connect); only what the layout leaves out of sight is unreachable.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "linux/fs_layout.h"
#include "linux/setup_error.h"

namespace cordon::linux_backend::mounts {

struct Prepared {
  fs::Layout layout;
  std::vector<std::vector<std::pair<std::string, std::string>>> options;  // per op, key=value pairs
  mutable std::vector<int> clone_fds;                                     // per op, filled in the child
};

Prepared Prepare(fs::Layout layout);

// Child side, in the new mount namespace with CAP_SYS_ADMIN over it. Returns false and fills `failure`.
bool Apply(const Prepared& p, SetupFailure* failure);

}  // namespace cordon::linux_backend::mounts
