#include "winplan/translate.h"

#include <algorithm>
#include <cstdio>
#include <limits>
#include <map>

#include "policy/paths.h"
#include "winplan/environment.h"
#include "winplan/identity.h"
#include "winplan/program_search.h"

namespace cordon::winplan {
namespace {

using policy::Access;

constexpr const char* kSetupHint =
    "run `cordon.exe setup` once as administrator (it creates the sandbox account and its firewall rules)";

struct Rule {
  WinPath path;
  Access access;
  policy::Origin origin;
};

Result<WinPath> ResolveRule(const std::string& plan_path, PathResolver& resolver) {
  CORDON_ASSIGN_OR_RETURN(WinPath p, ParseWinPath(plan_path));
  CORDON_ASSIGN_OR_RETURN(std::optional<WinPath> resolved, resolver.Resolve(p));
  if (resolved) return *resolved;
  if (p.has_short_names) {
    return MakeError("\"" + p.Native() + "\" looks like an 8.3 short name and names nothing: write the long name");
  }
  return p;
}

// The plan's rules as Windows paths, resolved, one per object (the strongest when two spellings meet).
Result<std::vector<Rule>> ResolveRules(const plan::LaunchPlan& plan, PathResolver& resolver, WindowsPlan& out) {
  std::map<std::string, Rule> by_key;
  for (const policy::PathRule& r : plan.fs) {
    if (!IsDrivePlanPath(r.path)) {
      out.notes.push_back("left out " + r.path + " (" + r.origin.ToString() + "): not a Windows path");
      continue;
    }
    Result<WinPath> p = ResolveRule(r.path, resolver);
    if (!p.ok()) return std::move(p).error().With("filesystem rule from " + r.origin.ToString());
    auto [it, inserted] = by_key.emplace(p->Key(), Rule{*p, r.access, r.origin});
    if (!inserted && r.access > it->second.access) it->second = Rule{*p, r.access, r.origin};
  }
  std::vector<Rule> rules;
  for (auto& [key, rule] : by_key) rules.push_back(std::move(rule));
  return rules;
}

// The access `rule` would have without its own entry: what it inherits from its closest ancestor rule.
std::optional<Access> InheritedAccess(const std::vector<Rule>& rules, const Rule& self) {
  std::vector<policy::PathRule> others;
  for (const Rule& r : rules) {
    if (&r != &self) others.push_back({r.path.Key(), r.access, r.origin});
  }
  return policy::EffectiveAccess(others, self.path.Key());
}

AceOp Ace(const WinPath& path, Trustee who, AceType type, uint32_t mask, const policy::Origin& origin) {
  AceOp a;
  a.path = path.PlanPath();
  a.trustee = who;
  a.type = type;
  a.mask = mask;
  a.reason = origin.ToString();
  return a;
}

Status CheckNetwork(const plan::LaunchPlan& plan, const SetupState& setup) {
  const char* mode = policy::NetworkModeName(plan.network.mode);
  switch (plan.network.mode) {
    case policy::NetworkMode::kFull:
      return {};
    case policy::NetworkMode::kNone:
    case policy::NetworkMode::kAllowlist:
      if (!setup.sandbox_account || !setup.firewall_rules) {
        Error e = MakeError(std::string("network mode ") + mode +
                            " needs the sandbox account's firewall rules, which are not installed");
        e.hint = std::string(kSetupHint) + ", or run with --net full to share the host's network";
        return e;
      }
      if (plan.network.mode == policy::NetworkMode::kAllowlist) {
        Error e = MakeError("network mode allowlist needs cordon's proxy, which is not ported to Windows yet");
        e.hint = "use --net none or --net full (see docs/WINDOWS.md)";
        return e;
      }
      return {};
  }
  return {};
}

Status TranslateFiles(const plan::LaunchPlan& plan, const TranslateOptions& opts, const WinPath& home,
                      PathResolver& resolver, WindowsPlan& out) {
  CORDON_ASSIGN_OR_RETURN(std::vector<Rule> rules, ResolveRules(plan, resolver, out));
  const bool account = opts.setup.sandbox_account;
  std::vector<std::string> unenforceable;
  for (const Rule& r : rules) {
    const std::optional<Access> inherited = InheritedAccess(rules, r);
    switch (r.access) {
      case Access::kWrite:
        out.aces.push_back(Ace(r.path, Trustee::kWorkspace, AceType::kAllow, kReadRights | kWriteRights, r.origin));
        if (account) {
          out.aces.push_back(Ace(r.path, Trustee::kSandboxAccount, AceType::kAllow, kReadRights | kWriteRights, r.origin));
        }
        break;
      case Access::kRead:
        if (inherited == Access::kWrite) {  // deny_write inside a writable root (.git/hooks, .cordon)
          out.aces.push_back(Ace(r.path, Trustee::kWorkspace, AceType::kDeny, kDenyWriteRights, r.origin));
        } else if (account && policy::IsSameOrUnder(r.path.Key(), home.Key())) {
          // The account cannot read the caller's profile; a tool chain there must be granted.
          out.aces.push_back(Ace(r.path, Trustee::kSandboxAccount, AceType::kAllow, kReadRights, r.origin));
        }
        break;
      case Access::kDeny:
        if (inherited == Access::kWrite) {
          out.aces.push_back(Ace(r.path, Trustee::kWorkspace, AceType::kDeny, kDenyWriteRights, r.origin));
        }
        if (account) {
          out.aces.push_back(Ace(r.path, Trustee::kSandboxAccount, AceType::kDeny, kDenyAllRights, r.origin));
        } else {
          unenforceable.push_back(r.path.Native());
        }
        break;
    }
  }
  if (!unenforceable.empty()) {
    const std::string what = "deny_read of " + std::to_string(unenforceable.size()) + " path(s) (" +
                             unenforceable.front() + (unenforceable.size() > 1 ? ", ..." : "") +
                             ") needs the sandbox account";
    if (!plan.best_effort) {
      Error e = MakeError(what);
      e.hint = std::string(kSetupHint) + ", or set best_effort = true to run with only writes confined";
      return e;
    }
    out.unenforced.push_back(what + ": reads are not confined");
  }
  if (!opts.temp_dir.empty()) {
    CORDON_ASSIGN_OR_RETURN(WinPath temp, ParseWinPath(opts.temp_dir));
    const policy::Origin origin{"the run's TEMP", 0};
    for (Trustee who : {Trustee::kWorkspace, Trustee::kSandboxAccount}) {
      if (who == Trustee::kSandboxAccount && !account) continue;
      AceOp a = Ace(temp, who, AceType::kAllow, kReadRights | kWriteRights, origin);
      a.lifetime = Lifetime::kRun;
      a.if_missing = IfMissing::kFail;
      out.aces.push_back(a);
    }
  }
  return {};
}

JobLimits TranslateLimits(const policy::Limits& l, unsigned cpu_count, WindowsPlan& out) {
  JobLimits j;
  j.limit_flags = kJobLimitKillOnJobClose | kJobLimitDieOnUnhandledException | kJobLimitActiveProcess |
                  kJobLimitProcessMemory | kJobLimitJobMemory;
  j.ui_restrictions = kJobUiLimitAll;
  j.active_processes = static_cast<uint32_t>(std::min<uint64_t>(l.processes, std::numeric_limits<uint32_t>::max()));
  j.process_memory = l.memory_bytes;
  j.job_memory = l.memory_bytes;
  if (l.cpus > 0) {
    const double rate = l.cpus * 10000.0 / std::max(1u, cpu_count);
    j.cpu_rate = static_cast<uint32_t>(std::clamp(rate, 1.0, 10000.0));
  }
  j.timeout_seconds = l.timeout_seconds;
  out.unenforced.push_back("limits.open_files: Windows has no per-process handle limit");
  out.unenforced.push_back("limits.file_size: Windows has no per-process file size limit");
  out.unenforced.push_back("limits.tmp_size: TEMP is a directory, not a size-capped file system");
  return j;
}

}  // namespace

Result<WindowsPlan> Translate(const plan::LaunchPlan& plan, const TranslateOptions& opts, PathResolver& resolver) {
  if (plan.unrestricted) return MakeError("the full profile (no sandbox) is not offered by cordon.exe");
  WindowsPlan out;
  CORDON_TRY(CheckNetwork(plan, opts.setup));
  out.network = plan.network.mode;
  out.run_as_sandbox_account = opts.setup.sandbox_account;
  Result<WinPath> ws = ResolveRule(plan.workspace, resolver);
  if (!ws.ok()) return std::move(ws).error().With("workspace");
  out.workspace_sid = WorkspaceSid(ws->Key());
  out.token.restricting_sids = {out.workspace_sid};
  Result<WinPath> home = ParseWinPath(plan.home);
  if (!home.ok()) return std::move(home).error().With("home directory");
  CORDON_TRY(TranslateFiles(plan, opts, *home, resolver, out));
  out.job = TranslateLimits(plan.limits, opts.cpu_count, out);

  Result<WinPath> cwd = ParseWinPath(plan.cwd);
  if (!cwd.ok()) return std::move(cwd).error().With("working directory");
  out.cwd = cwd->Native();
  std::string temp_native;
  if (!opts.temp_dir.empty()) temp_native = ParseWinPath(opts.temp_dir)->Native();  // parsed by TranslateFiles
  out.env = WindowsEnvironment(plan.env, opts.caller_env, temp_native);

  ProgramSearch search{FindVariable(out.env, "Path"), FindVariable(out.env, "PATHEXT"), {}};
  for (const AceOp& a : out.aces) {
    if (a.type == AceType::kAllow && a.trustee == Trustee::kWorkspace) search.writable_keys.push_back(KeyOf(a.path));
  }
  if (plan.argv.empty()) return MakeError("no command given");
  Result<std::optional<WinPath>> program = FindProgram(plan.argv[0], *cwd, search, resolver);
  if (!program.ok()) return std::move(program).error().With("command " + plan.argv[0]);
  if (*program) out.program = (*program)->Native();  // empty: not found (the backend reports 127)
  out.argv = plan.argv;
  return out;
}

std::string Describe(const WindowsPlan& p) {
  auto trustee = [](Trustee t) { return t == Trustee::kWorkspace ? "workspace-sid" : "sandbox-account"; };
  std::string out = "windows plan\n";
  out += "  identity: " + std::string(p.run_as_sandbox_account ? "sandbox account" : "the caller") +
         ", write-restricted token, restricting SID " + p.workspace_sid + "\n";
  out += "  program: " + (p.program.empty() ? std::string("(not found)") : p.program) + "\n";
  out += "  cwd: " + p.cwd + "\n";
  out += "  network: " + std::string(policy::NetworkModeName(p.network)) + "\n";
  for (const AceOp& a : p.aces) {
    char mask[16];
    std::snprintf(mask, sizeof mask, "0x%08x", a.mask);
    out += std::string("  ace ") + (a.type == AceType::kAllow ? "allow" : "deny ") + " " + trustee(a.trustee) + " " +
           mask + (a.lifetime == Lifetime::kRun ? " run " : " kept ") + a.path + "    # " + a.reason + "\n";
  }
  out += "  job: processes " + std::to_string(p.job.active_processes) + ", memory " +
         std::to_string(p.job.job_memory) + " (each process " + std::to_string(p.job.process_memory) + ")" +
         (p.job.cpu_rate ? ", cpu " + std::to_string(p.job.cpu_rate / 100.0) + "%" : "") +
         ", kill on close, no breakaway, UI restricted, private desktop: " + (p.private_desktop ? "yes" : "no") + "\n";
  for (const std::string& u : p.unenforced) out += "  not enforced: " + u + "\n";
  for (const std::string& n : p.notes) out += "  note: " + n + "\n";
  return out;
}

}  // namespace cordon::winplan
