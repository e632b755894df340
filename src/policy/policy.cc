#include "policy/policy.h"

#include "policy/paths.h"

namespace cordon::policy {

const char* AccessName(Access a) {
  switch (a) {
    case Access::kRead: return "read";
    case Access::kWrite: return "write";
    case Access::kDeny: return "deny";
  }
  return "?";
}

const char* NetworkModeName(NetworkMode m) {
  switch (m) {
    case NetworkMode::kNone: return "none";
    case NetworkMode::kAllowlist: return "allowlist";
    case NetworkMode::kFull: return "full";
  }
  return "?";
}

NetRules Network::Rules() const { return NetRules(allow, deny, hosts); }

std::string Origin::ToString() const {
  if (line == 0) return file;
  return file + ":" + std::to_string(line);
}

std::optional<Access> EffectiveAccess(const std::vector<PathRule>& rules, const std::string& path) {
  std::optional<Access> best;
  size_t best_len = 0;
  for (const PathRule& r : rules) {
    if (!IsSameOrUnder(path, r.path)) continue;
    size_t len = r.path.size();
    if (!best || len > best_len || (len == best_len && r.access > *best)) {
      best = r.access;
      best_len = len;
    }
  }
  return best;
}

}  // namespace cordon::policy
