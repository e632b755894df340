// The platform-neutral plan every backend consumes: what to run, where, with which paths at which access,
// which environment and which limits. Pure data; printable with `cordon run --dry-run`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "base/result.h"
#include "policy/policy.h"

namespace cordon::plan {

// Facts about the caller and the machine that the plan depends on, gathered by the CLI.
struct Facts {
  std::string home;       // absolute
  std::string workspace;  // absolute, symlinks resolved
  std::string cwd;        // absolute; where the command starts (the workspace unless inside it)
  std::vector<std::string> environ;  // the caller's "NAME=value" list
  uint64_t total_memory_bytes = 0;
  std::vector<std::string> git_dirs;   // ".git" directories in the workspace (guard/workspace_guard.h)
  std::vector<std::string> git_files;  // ".git" files ("gitdir:" pointers) in the workspace
};

struct LaunchPlan {
  std::vector<std::string> argv;
  std::string cwd;
  std::vector<std::string> env;                  // "NAME=value", sorted
  std::vector<std::string> dropped_env;          // names removed by scrubbing (for the log; never values)
  std::vector<policy::PathRule> fs;              // resolved, deduplicated, sorted by path
  std::vector<std::string> unix_sockets;         // absolute
  std::vector<std::string> pinned;               // writable directories mounted on themselves: cannot be renamed
  std::vector<std::string> scan_roots;           // visible roots searched for things to hide (.env, sockets)
  std::map<std::string, int> scan_depth;         // a shallower search for some roots (/usr/local)
  std::vector<std::string> hidden_env_roots;     // the scan roots whose .env files are hidden
  policy::Limits limits;
  policy::Network network;                       // mode, and in allowlist mode the proxy's rules
  bool filter_output = true;                     // stdout/stderr through cordon's redactor; false: inherited
  std::vector<std::string> redact_rule_files;    // user redaction rules, on top of the built-in ones
  std::vector<std::string> secret_values;        // the caller's secret-looking environment values (never printed)
  uint16_t proxy_port = 0;                       // allowlist mode: the proxy's port on the sandbox's 127.0.0.1
  bool unrestricted = false;
  bool best_effort = false;
  std::string workspace;
  std::string home;
  std::string profile;
};

// Policy + facts -> plan. Fails on contradictions that need the facts to see (deny_write outside any
// writable root, a workspace that is itself denied, relative paths after expansion).
Result<LaunchPlan> MakePlan(const policy::Policy& policy, const Facts& facts, std::vector<std::string> argv);

// The scrubbed environment: the base allowlist plus `keep`, minus secret-looking names not kept by exact
// name, plus `set`. Names it removed go to `dropped`.
std::vector<std::string> ScrubEnvironment(const std::vector<std::string>& environ, const policy::Environment& rules,
                                          std::vector<std::string>* dropped);
bool LooksLikeSecretName(const std::string& name);
bool LooksLikeSecretValue(const std::string& value);

// The port the proxy listens on inside the sandbox (its own loopback, so it collides with nothing outside).
inline constexpr uint16_t kProxyPort = 3128;
// The variables that point HTTP clients, git, pip, npm and language runtimes at the proxy (both spellings).
std::vector<std::string> ProxyEnvironment(uint16_t port);

// Human-readable rendering, used by `policy show` and `run --dry-run`.
std::string Describe(const LaunchPlan& plan);
// The same as JSON (schema 1); names of environment variables only, never their values.
std::string ToJson(const LaunchPlan& plan);

}  // namespace cordon::plan
