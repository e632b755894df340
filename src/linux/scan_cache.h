// A cache of the secret search's results (dotenv files, host sockets) between runs, so that a command does
// not pay for walking /etc, /usr/local and the other visible roots each time. Parent side.
//
// Valid only while every directory the search opened has the modification time it had: creating, removing
// or renaming an entry changes its directory's time, so a new .env file or socket is never missed. The key
// covers everything else the result depends on (roots, depths, rules, workspace, allowed sockets, caller).
// Not cached: the search for non-world-readable files (a chmod does not touch the directory's time).
// The cache lives in the caller's own directory ($XDG_RUNTIME_DIR/cordon, /run/cordon for root, else
// ~/.cache/cordon), which the sandbox cannot see; a file not owned by the caller or writable by others is
// ignored. At most 32 results are kept (one per workspace and policy); the least recently used go first.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace cordon::linux_backend::fs {

struct DirStamp {
  std::string path;
  int64_t sec = 0;
  int64_t nsec = 0;
};

class ScanCache {
 public:
  explicit ScanCache(const std::string& key);
  // The cached results when still valid.
  std::optional<std::vector<policy::PathRule>> Load() const;
  // Best effort: a cache that cannot be written is simply not there next time.
  void Store(const std::vector<DirStamp>& dirs, const std::vector<policy::PathRule>& found) const;

 private:
  std::string file_;
  std::string key_;
};

}  // namespace cordon::linux_backend::fs
