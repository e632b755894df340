// cordon.exe: the Windows front end. `run` on the same policy model as Linux; `setup` (elevated) creates the sandbox
// account and its firewall rules, `setup --undo` removes them and the ACEs cordon added. The one place errors are
// reported (exit 125), as in src/cli/main.cc.
#include <shlobj.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <functional>

#include "plan/launch_plan.h"
#include "policy/profiles.h"
#include "policy/toml_loader.h"
#include "windows/acl.h"
#include "windows/backend.h"
#include "windows/resolver.h"
#include "windows/setup.h"
#include "windows/win32.h"
#include "winplan/defaults.h"
#include "winplan/environment.h"

namespace cordon::windows {
namespace {

constexpr int kExitCordonError = 125;
constexpr int kExitDenied = 126;

struct RunOptions {
  std::string profile = "workspace-write";
  std::string policy_file;
  std::string workspace;
  double timeout = -1;
  std::string net;
  std::vector<std::string> allow_hosts;
  bool dry_run = false;
  bool no_redact = false;
  std::vector<std::string> command;
};

std::vector<std::string> CallerEnvironment() {
  std::vector<std::string> out;
  wchar_t* block = GetEnvironmentStringsW();
  for (const wchar_t* p = block; p != nullptr && *p != L'\0'; p += wcslen(p) + 1) out.push_back(Narrow(p));
  FreeEnvironmentStringsW(block);
  return out;
}

// A native path as the planner sees it: resolved, in plan form ("/C:/x").
Result<std::string> PlanPathOf(const std::string& native) {
  CORDON_ASSIGN_OR_RETURN(winplan::WinPath p, winplan::ParseWinPath(native));
  Win32PathResolver resolver;
  CORDON_ASSIGN_OR_RETURN(std::optional<winplan::WinPath> resolved, resolver.Resolve(p));
  if (!resolved) return MakeError(native + " does not exist");
  return resolved->PlanPath();
}

Result<plan::Facts> GatherFacts(const std::string& workspace_flag, const std::vector<std::string>& environ_list) {
  plan::Facts f;
  wchar_t cwd[32768];
  DWORD n = GetCurrentDirectoryW(32768, cwd);
  if (n == 0 || n >= 32768) return LastError("GetCurrentDirectory");
  wchar_t* profile = nullptr;
  if (FAILED(SHGetKnownFolderPath(FOLDERID_Profile, 0, nullptr, &profile))) {
    CoTaskMemFree(profile);
    return MakeError("cannot find the user's profile directory");
  }
  const std::string home = Narrow(profile);
  CoTaskMemFree(profile);
  CORDON_ASSIGN_OR_RETURN(f.home, PlanPathOf(home));
  CORDON_ASSIGN_OR_RETURN(f.cwd, PlanPathOf(Narrow(cwd)));
  if (workspace_flag.empty()) {
    f.workspace = f.cwd;
  } else {
    CORDON_ASSIGN_OR_RETURN(f.workspace, PlanPathOf(workspace_flag));
  }
  f.environ = winplan::CallerEnvironForPlan(environ_list);
  MEMORYSTATUSEX mem{};
  mem.dwLength = sizeof mem;
  if (GlobalMemoryStatusEx(&mem)) f.total_memory_bytes = mem.ullTotalPhys;
  return f;
}

// Events: a refused connection or a limit is one line on stderr (there is no event log file on Windows yet).
class StderrEvents : public audit::EventSink {
 public:
  void Emit(const std::string& type, const nlohmann::json& fields) override {
    std::fprintf(stderr, "cordon: %s %s\n", type.c_str(), fields.dump().c_str());
  }
};

Result<int> Run(RunOptions& o) {
  Result<policy::Policy> loaded =
      o.policy_file.empty() ? policy::BuiltinProfile(o.profile) : policy::LoadPolicyFile(o.policy_file);
  if (!loaded.ok()) return std::move(loaded).error();
  policy::Policy pol = std::move(*loaded);
  if (o.timeout >= 0) pol.limits.timeout_seconds = o.timeout;
  if (!pol.unrestricted) {
    CORDON_TRY(pol.network.ApplyFlags(o.net, o.allow_hosts));
    for (const std::string& p : winplan::WindowsDefaultDenyRead()) pol.fs.deny_read.push_back({p, {"windows defaults", 0}});
  }
  const policy::ExecDecision decision = policy::CheckExec(pol.exec, o.command);
  if (decision.denied()) {
    std::fprintf(stderr, "cordon: refused: %s\n", decision.Summary().c_str());
    return kExitDenied;
  }
  const std::vector<std::string> environ_list = CallerEnvironment();
  CORDON_ASSIGN_OR_RETURN(plan::Facts facts, GatherFacts(o.workspace, environ_list));
  CORDON_ASSIGN_OR_RETURN(plan::LaunchPlan lp, plan::MakePlan(pol, facts, o.command));
  if (o.dry_run) std::fputs(plan::Describe(lp).c_str(), stdout);
  // The redactor (Hyperscan) is not built for Windows: output cannot be filtered, so it is not passed on unless
  // the caller says so (fail closed, as everything else cordon cannot enforce).
  if (!o.dry_run && !lp.unrestricted && !o.no_redact) {
    Error e = MakeError("output redaction is not available on Windows yet: the command's output would reach you unfiltered");
    e.hint = "pass --no-redact to run anyway (trusted use), see docs/WINDOWS.md";
    return e;
  }
  std::unique_ptr<Backend> backend = MakeWindowsBackend(RunContext{environ_list, o.dry_run});
  StderrEvents events;
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<RunControl> control, RunControl::Create());
  CORDON_ASSIGN_OR_RETURN(RunOutcome outcome, backend->Run(lp, events, *control));
  if (!outcome.degraded.empty()) std::fprintf(stderr, "cordon: warning: not enforced: %s\n", outcome.degraded.c_str());
  if (!outcome.message.empty()) std::fprintf(stderr, "cordon: %s\n", outcome.message.c_str());
  return outcome.exit_code;
}

Result<int> Setup(bool undo) {
  CORDON_TRY(undo ? UndoSetup() : RunSetup());
  return 0;
}

}  // namespace
}  // namespace cordon::windows

int main(int argc, char** argv) {
  using namespace cordon::windows;  // NOLINT(google-build-using-namespace)
  CLI::App app{"cordon.exe: a sandbox for the commands an AI coding agent runs (Windows)"};
  app.require_subcommand(1);
  std::function<cordon::Result<int>()> action;
  RunOptions run;
  CLI::App* run_cmd = app.add_subcommand("run", "run a command in the sandbox");
  auto* profile = run_cmd->add_option("--profile", run.profile, "built-in profile (read-only, workspace-write)");
  run_cmd->add_option("--policy", run.policy_file, "policy file (TOML)")->excludes(profile);
  run_cmd->add_option("-w,--workspace", run.workspace, "the project directory (default: the current one)");
  run_cmd->add_option("--timeout", run.timeout, "seconds");
  run_cmd->add_option("--net", run.net, "none, allowlist or full");
  run_cmd->add_option("--allow-host", run.allow_hosts, "HOST:PORT pattern (implies allowlist)");
  run_cmd->add_flag("--dry-run", run.dry_run, "print the plan and the Windows plan, run nothing");
  run_cmd->add_flag("--no-redact", run.no_redact, "pass the output on unfiltered (required: no redactor on Windows yet)");
  run_cmd->add_option("command", run.command, "the command")->required();
  run_cmd->callback([&] { action = [&] { return Run(run); }; });
  bool undo = false;
  CLI::App* setup_cmd = app.add_subcommand("setup", "one-time elevated setup: the sandbox account and its firewall rules; --undo removes them");
  setup_cmd->add_flag("--undo", undo, "remove what setup and earlier runs added: the account, its password, the firewall rules, the WFP filters, the ACEs");
  setup_cmd->callback([&] { action = [&] { return Setup(undo); }; });
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::fprintf(stderr, "cordon: error: %s (see cordon.exe --help)\n", e.what());
    return kExitCordonError;
  }
  if (!action) return kExitCordonError;
  cordon::Result<int> result = action();
  if (!result.ok()) {
    std::fprintf(stderr, "cordon: error: %s\n", result.error().ToString().c_str());
    return kExitCordonError;
  }
  return *result;
}
