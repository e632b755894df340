// The secret search: what must stay hidden inside a visible root, found in one walk at launch (parent side).
#pragma once

#include <set>
#include <string>
#include <vector>

#include "linux/scan_cache.h"
#include "policy/policy.h"
#include "policy/paths.h"

namespace cordon::linux_backend::fs {

// Files named like dotenv files: ".env", ".env.*", "*.env", ".envrc".
bool IsEnvFileName(const std::string& name);

// Why a found path is hidden (the origin of its deny rule).
inline constexpr const char* kEnvFileReason = ".env outside the workspace";
inline constexpr const char* kSocketReason = "host unix socket";
inline constexpr const char* kPrivateFileReason = "private file in /etc";

// Finds what must stay hidden inside a visible root, in one walk: dotenv files, host unix sockets not named
// by the policy, and (for a root caller, under /etc) entries only their owner or group may read, which the
// sandbox would otherwise read as the host's uid 0. Never follows symlinks; skips the workspace, /proc,
// /sys, /dev, what is already denied, and tool/cache directories when looking for dotenv files.
class SecretScanner {
 public:
  struct Want {
    bool env_files = false;
    bool sockets = false;
    bool private_files = false;
  };
  SecretScanner(const std::vector<policy::PathRule>& rules, std::string workspace,
                std::vector<std::string> allowed_sockets)
      : rules_(rules), workspace_(std::move(workspace)), allowed_sockets_(std::move(allowed_sockets)) {}

  static constexpr size_t kMaxEntries = 200000;
  static constexpr int kMaxDepth = 32;

  // False when the walk hit its bound (what was found so far is kept).
  bool Scan(const std::string& root, Want want, int max_depth) {
    want_ = want;
    max_depth_ = max_depth;
    return Walk(root, 0);
  }
  std::vector<policy::PathRule>& found() { return found_; }
  // Every directory opened, with its modification time when it was read (for ScanCache).
  const std::vector<DirStamp>& dirs() const { return dirs_; }

 private:
  bool Walk(const std::string& dir, int depth);

  void Found(std::string path, const char* why) {
    found_.push_back({std::move(path), policy::Access::kDeny, {why, 0}});
  }

  const std::vector<policy::PathRule>& rules_;
  std::string workspace_;
  std::vector<std::string> allowed_sockets_;
  Want want_;
  int max_depth_ = kMaxDepth;
  size_t entries_ = 0;
  std::set<std::string> visited_;
  std::vector<policy::PathRule> found_;
  std::vector<DirStamp> dirs_;
};

}  // namespace cordon::linux_backend::fs
