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

Status Network::ApplyFlags(const std::string& mode_flag, const std::vector<std::string>& allow_hosts) {
  if (!mode_flag.empty()) {
    if (mode_flag == "none") mode = NetworkMode::kNone;
    else if (mode_flag == "allowlist") mode = NetworkMode::kAllowlist;
    else if (mode_flag == "full") mode = NetworkMode::kFull;
    else return MakeError("--net must be none, allowlist or full, not \"" + mode_flag + "\"");
  }
  if (allow_hosts.empty()) return {};
  if (mode_flag.empty() && mode == NetworkMode::kNone) mode = NetworkMode::kAllowlist;
  if (mode != NetworkMode::kAllowlist) {
    return MakeError(std::string("--allow-host needs network mode allowlist, but it is ") + NetworkModeName(mode));
  }
  for (const std::string& text : allow_hosts) {
    Result<EndpointPattern> p = ParseEndpointPattern(text);
    if (!p.ok()) return std::move(p).error().With("--allow-host " + text);
    p->origin = {"--allow-host", 0};
    for (const EndpointPattern& d : deny) {
      if (d.Covers(*p)) {
        return MakeError("--allow-host " + text + " contradicts the policy's deny rule " + d.text + " (" +
                         d.origin.ToString() + ")");
      }
    }
    allow.push_back(std::move(*p));
  }
  return {};
}

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
