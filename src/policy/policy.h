// The policy: plain data that says what a sandboxed command may touch. No OS concepts, no syscalls.
// Precedence (one place: EffectiveAccess): the most specific path wins; on a tie deny > write > read.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "policy/alert_rules.h"
#include "policy/exec_rules.h"
#include "policy/net_rules.h"
#include "policy/origin.h"

namespace cordon::policy {

inline constexpr int kSchemaVersion = 1;

// Ordered by tie-break strength: a later enumerator wins a tie.
enum class Access { kRead, kWrite, kDeny };
const char* AccessName(Access a);

// none: no network at all (loopback only); allowlist: only through cordon's filtering proxy; full: the host's.
enum class NetworkMode { kNone, kAllowlist, kFull };
const char* NetworkModeName(NetworkMode m);

// A path as written in a policy: absolute, "~", "~/x", "{workspace}" or "{workspace}/x".
struct PathEntry {
  std::string path;
  Origin origin;
};

struct Limits {
  uint64_t processes = 1024;
  uint64_t memory_bytes = 4ull << 30;  // per process (RLIMIT_DATA); capped at half of RAM by the planner
  uint64_t file_size_bytes = 1ull << 30;
  uint64_t open_files = 8192;
  uint64_t tmp_size_bytes = 1ull << 30;
  double timeout_seconds = 0;  // 0: no timeout
  double cpus = 0;             // CPU time per wall second (1.5: one and a half cores; cgroup only); 0: no limit
};

struct Environment {
  std::vector<std::string> keep;           // names or NAME_* globs kept besides the base allowlist
  std::map<std::string, std::string> set;  // set (after scrubbing)
};

struct Filesystem {
  std::vector<PathEntry> read;
  std::vector<PathEntry> write;
  std::vector<PathEntry> deny_read;
  std::vector<PathEntry> deny_write;
  std::vector<PathEntry> unix_sockets;  // path sockets outside the sandbox it may connect to
  bool hide_env_files = true;           // .env files outside the workspace are unreadable
};

// The [network] section. allow/deny/hosts mean something only in allowlist mode (the loader refuses them
// otherwise). Patterns keep their origin so a decision can name the line that made it.
struct Network {
  NetworkMode mode = NetworkMode::kNone;
  std::vector<EndpointPattern> allow, deny;
  std::map<std::string, IpAddress> hosts;  // canonical name -> address, consulted before DNS
  NetRules Rules() const;
  // The command line's shortcuts over the policy: `--net MODE` ("" = as the policy says) and `--allow-host
  // PATTERN` (repeatable; implies allowlist). Contradictions are errors: allow rules with mode none or full,
  // a pattern the policy denies, a bad pattern or mode.
  Status ApplyFlags(const std::string& mode_flag, const std::vector<std::string>& allow_hosts);
};

struct Policy {
  std::string name;           // profile name, or the policy file it was loaded from
  bool unrestricted = false;  // the `full` profile: no sandbox at all
  bool best_effort = false;   // run without a layer the kernel refuses (recorded), instead of failing
  Filesystem fs;
  Environment env;
  Limits limits;
  Network network;
  ExecRules exec;  // [[exec.rule]]: checked on the command line before anything starts (exec_rules.h)
  std::vector<AlertRule> alerts;  // [[alert]]: applied to the run's events (alert_rules.h)
};

// A resolved rule: an absolute, lexically normal path.
struct PathRule {
  std::string path;
  Access access;
  Origin origin;
};

// The access a path gets under `rules`: the rule on the longest matching ancestor-or-self wins; on equal
// length deny > write > read. nullopt when no rule covers the path (not visible in the sandbox).
std::optional<Access> EffectiveAccess(const std::vector<PathRule>& rules, const std::string& path);

}  // namespace cordon::policy
