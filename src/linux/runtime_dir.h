// Where cordon keeps its caches between runs: a directory of the caller's own, which the sandbox cannot see.
// Parent side.
#pragma once

#include <string>

namespace cordon::linux_backend {

// $XDG_RUNTIME_DIR/cordon when XDG_RUNTIME_DIR is an absolute path the caller may write, else /run/cordon for
// root: the runtime directories, memory-backed by convention (a tmpfs), where a cache of secrets may go. With
// `allow_home`, ~/.cache/cordon when neither applies (on disk: for caches that hold no secrets). Empty when there
// is none. The directory may not exist yet.
std::string CacheDir(bool allow_home);

// Creates `dir` with mode 0700 when it is missing (its parent must exist). True when it is then a directory (not
// a symlink) owned by the caller that gives group and others no access.
bool EnsurePrivateDir(const std::string& dir);

}  // namespace cordon::linux_backend
