#include "cli/run_events.h"

#include <pwd.h>
#include <sodium.h>
#include <unistd.h>

#include <algorithm>

#include "redact/redactor.h"

namespace cordon::cli {
namespace {

std::string OutcomeName(RunOutcome::Kind k) {
  switch (k) {
    case RunOutcome::Kind::kExited: return "exited";
    case RunOutcome::Kind::kSignaled: return "signaled";
    case RunOutcome::Kind::kTimedOut: return "timed_out";
    case RunOutcome::Kind::kNotFound: return "not_found";
    case RunOutcome::Kind::kNotExecutable: return "not_executable";
    case RunOutcome::Kind::kInterrupted: return "interrupted";
    case RunOutcome::Kind::kStopped: return "stopped";
  }
  return "unknown";
}

// Whether an argument may hold a secret the rules would find: a run of 16 or more token characters (keys are
// long and unbroken), or a URL with a password. Most commands (`git status`, `npm test`) have neither, and
// skip loading the rules (≈ 1 ms).
bool MayHoldSecret(const std::string& arg) {
  size_t run = 0;
  for (char c : arg) {
    bool token = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-' ||
                 c == '+' || c == '=' || c == '.';
    run = token ? run + 1 : 0;
    if (run >= 16) return true;
  }
  size_t scheme = arg.find("://");
  return scheme != std::string::npos && arg.find('@', scheme) != std::string::npos;
}

}  // namespace

std::string PlanDigest(const plan::LaunchPlan& plan) {
  plan::LaunchPlan rules = plan;  // what the sandbox allows, not what runs in it
  rules.argv.clear();
  rules.cwd.clear();
  rules.env.clear();
  rules.dropped_env.clear();
  rules.secret_values.clear();
  const std::string json = plan::ToJson(rules);
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(json.data()), json.size());
  static const char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char b : hash) {
    hex += kHex[b >> 4];
    hex += kHex[b & 15];
  }
  return hex;
}

std::vector<std::string> RedactedArgv(const std::vector<std::string>& argv,
                                      const std::vector<std::string>& secret_values) {
  std::vector<std::string> out = argv;
  for (std::string& arg : out) {
    for (const std::string& value : secret_values) {
      if (value.size() < 8) continue;
      for (size_t at = arg.find(value); at != std::string::npos; at = arg.find(value, at)) {
        arg.replace(at, value.size(), "[REDACTED:secret-value]");
      }
    }
  }
  if (std::none_of(out.begin(), out.end(), MayHoldSecret)) return out;
  auto redactor = redact::Redactor::Create(redact::BuiltinRuleSet(), {});
  if (!redactor.ok()) return {"[REDACTED: the arguments could not be checked]"};
  for (std::string& arg : out) {
    if (MayHoldSecret(arg)) arg = (*redactor)->RedactAll(arg);
  }
  return out;
}

nlohmann::json RunStartEvent(const plan::LaunchPlan& plan) {
  const uid_t uid = getuid();
  std::string user;
  if (const passwd* pw = getpwuid(uid)) user = pw->pw_name;
  return {{"caller", {{"uid", uid}, {"user", user}, {"pid", getpid()}}},
          {"argv", RedactedArgv(plan.argv, plan.secret_values)},
          {"workspace", plan.workspace},
          {"cwd", plan.cwd},
          {"profile", plan.profile},
          {"policy_digest", PlanDigest(plan)},
          {"network", plan.unrestricted ? "full" : policy::NetworkModeName(plan.network.mode)},
          {"unrestricted", plan.unrestricted},
          {"version", CORDON_VERSION}};
}

nlohmann::json RunEndEvent(const RunOutcome& o) {
  const ResourceUsage& u = o.usage;
  nlohmann::json output = nullptr;
  if (u.output_counted) output = {{"stdout", u.stdout_bytes}, {"stderr", u.stderr_bytes}};
  return {{"outcome", OutcomeName(o.kind)},
          {"exit_code", o.exit_code},
          {"signal", o.signal},
          {"duration", o.wall_seconds},
          {"cpu_user", u.cpu_user},
          {"cpu_system", u.cpu_system},
          {"peak_memory", u.peak_memory},
          {"peak_memory_of", u.peak_memory_of},
          {"output_bytes", output},
          {"degraded", o.degraded},
          {"message", o.message}};
}

nlohmann::json RunSetupFailedEvent(const Error& error) {
  return {{"outcome", "setup_failed"}, {"exit_code", 125}, {"message", error.ToString()}};
}

nlohmann::json GuardRepairEvent(const guard::Repair& repair) { return {{"path", repair.path}, {"what", repair.what}}; }

}  // namespace cordon::cli
