#include "windows/backend.h"

#include <chrono>
#include <cstdio>

#include "windows/acl.h"
#include "windows/desktop.h"
#include "windows/job.h"
#include "windows/process.h"
#include "windows/resolver.h"
#include "windows/token.h"
#include "windows/win32.h"
#include "winplan/command_line.h"

namespace cordon::windows {
namespace {

using winplan::AceOp;

HANDLE g_job_for_interrupt = nullptr;  // the console handler's only view of the run

BOOL WINAPI OnConsoleSignal(DWORD) {
  if (g_job_for_interrupt != nullptr) TerminateJobObject(g_job_for_interrupt, 130);
  return TRUE;
}

std::string RunId() {
  LARGE_INTEGER t{};
  QueryPerformanceCounter(&t);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lx-%llx", GetCurrentProcessId(), static_cast<unsigned long long>(t.QuadPart));
  return buf;
}

// ACEs added for this run only, removed (and the TEMP directory deleted) when it ends.
class RunCleanup {
 public:
  ~RunCleanup() {
    for (const AppliedAce& a : run_aces_) (void)RemoveAce(a);
    if (!temp_.empty()) {
      // Only the directory itself when empty; what the command left there stays for the user to see.
      RemoveDirectoryW(temp_.c_str());
    }
  }
  void AddRunAce(AppliedAce a) { run_aces_.push_back(std::move(a)); }
  void SetTemp(std::wstring t) { temp_ = std::move(t); }

 private:
  std::vector<AppliedAce> run_aces_;
  std::wstring temp_;
};

Status ApplyAces(const winplan::WindowsPlan& wp, const winplan::SetupState& setup, RunCleanup& cleanup) {
  for (const AceOp& op : wp.aces) {
    const winplan::WinPath path = *winplan::ParseWinPath(op.path);
    AppliedAce a{path.Native(), op.trustee == winplan::Trustee::kWorkspace ? wp.workspace_sid : setup.account_sid,
                 op.type == winplan::AceType::kDeny, op.mask};
    if (GetFileAttributesW(Widen(path.Extended()).c_str()) == INVALID_FILE_ATTRIBUTES) {
      if (op.if_missing == winplan::IfMissing::kFail) return MakeError(a.path + " does not exist");
      continue;  // nothing to protect or grant yet
    }
    Result<bool> added = AddAce(a, op.inherit);
    if (!added.ok()) return std::move(added).error().With("rule from " + op.reason);
    if (!*added) continue;
    if (op.lifetime == winplan::Lifetime::kRun) {
      cleanup.AddRunAce(a);
    } else {
      CORDON_TRY(AppendAceRecord(a));
    }
  }
  return {};
}

// Waits for the command's exit, the timeout (WAIT_TIMEOUT) or a stop request (WAIT_ABANDONED), in 100 ms slices.
DWORD Wait(HANDLE process, double timeout_seconds, RunControl& control) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_seconds);
  while (true) {
    if (control.stop_requested()) return WAIT_ABANDONED;
    if (WaitForSingleObject(process, 100) == WAIT_OBJECT_0) return WAIT_OBJECT_0;
    if (timeout_seconds > 0 && std::chrono::steady_clock::now() >= deadline) return WAIT_TIMEOUT;
  }
}

class WindowsBackend : public Backend {
 public:
  explicit WindowsBackend(RunContext c) : context_(std::move(c)) {}

  Result<RunOutcome> Run(const plan::LaunchPlan& plan, audit::EventSink& events, RunControl& control) override {
    const auto start = std::chrono::steady_clock::now();
    const std::string run_id = RunId();
    RunCleanup cleanup;
    winplan::TranslateOptions options;
    options.caller_env = context_.caller_env;
    SYSTEM_INFO si{};
    GetSystemInfo(&si);
    options.cpu_count = si.dwNumberOfProcessors;
    // `cordon.exe setup` records the sandbox account, but `run` has no runner that logs on as it yet
    // (CreateProcessWithLogonW): options.setup stays empty, so the plans that need the account are refused.
    CORDON_ASSIGN_OR_RETURN(std::wstring state, StateDirectory());
    const std::wstring temp_root = state + L"\\tmp";
    CreateDirectoryW(temp_root.c_str(), nullptr);
    const std::wstring temp = temp_root + L"\\" + Widen(run_id);
    options.temp_dir = winplan::ParseWinPath(Narrow(temp)).ok() ? winplan::ParseWinPath(Narrow(temp))->PlanPath() : "";
    Win32PathResolver resolver;
    Result<winplan::WindowsPlan> translated = winplan::Translate(plan, options, resolver);
    if (!translated.ok()) return std::move(translated).error().With("windows plan");
    const winplan::WindowsPlan& wp = *translated;
    if (context_.dry_run) {
      std::fputs(winplan::Describe(wp).c_str(), stdout);
      return RunOutcome{};
    }
    RunOutcome outcome;
    for (const std::string& u : wp.unenforced) outcome.degraded += (outcome.degraded.empty() ? "" : "; ") + u;
    if (wp.program.empty()) {
      outcome.kind = RunOutcome::Kind::kNotFound;
      outcome.exit_code = 127;
      outcome.message = plan.argv[0] + ": not found (PATH directories the sandbox can write, and the current "
                        "directory, are not searched: give the path)";
      return outcome;
    }
    if (wp.run_as_sandbox_account) {
      return MakeError("this policy needs the sandbox account, and cordon.exe cannot run commands as it yet "
                       "(see docs/WINDOWS.md)");
    }
    CORDON_ASSIGN_OR_RETURN(std::string command_line, winplan::CommandLine(wp.argv, winplan::IsBatchFile(wp.program)));

    if (!CreateDirectoryW(temp.c_str(), nullptr)) return LastError("creating the run's TEMP " + Narrow(temp));
    cleanup.SetTemp(temp);
    CORDON_TRY(ApplyAces(wp, options.setup, cleanup));
    CORDON_ASSIGN_OR_RETURN(UniqueHandle token, MakeSandboxToken(wp.token));
    CORDON_ASSIGN_OR_RETURN(UniqueHandle job, CreateSandboxJob(wp.job));
    PrivateDesktop desktop;
    if (wp.private_desktop) {
      CORDON_ASSIGN_OR_RETURN(desktop, PrivateDesktop::Create(run_id, wp.workspace_sid));
    }
    g_job_for_interrupt = job.get();
    SetConsoleCtrlHandler(OnConsoleSignal, TRUE);
    ProcessSpec spec{token.get(), job.get(), Widen(wp.program), Widen(command_line), Widen(wp.cwd), wp.env,
                     desktop.name()};
    Result<StartedProcess> started = StartInJob(spec);
    if (!started.ok()) {
      g_job_for_interrupt = nullptr;
      return std::move(started).error();
    }
    const DWORD waited = Wait(started->process.get(), wp.job.timeout_seconds, control);
    DWORD code = 0;
    GetExitCodeProcess(started->process.get(), &code);
    TerminateJobObject(job.get(), 137);  // what the command started does not outlive it
    g_job_for_interrupt = nullptr;
    outcome.usage = JobUsage(job.get());
    outcome.wall_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (control.stop_requested()) {
      outcome.kind = RunOutcome::Kind::kStopped;
      outcome.exit_code = kExitStopped;
      outcome.message = control.reason();
    } else if (waited == WAIT_TIMEOUT) {
      outcome.kind = RunOutcome::Kind::kTimedOut;
      outcome.exit_code = 124;
      outcome.message = "timed out after " + std::to_string(wp.job.timeout_seconds) + "s";
      events.Emit("limit.hit", {{"limit", "timeout"}, {"seconds", wp.job.timeout_seconds}});
    } else if (code > 255) {  // an NTSTATUS (0xC0000005 access violation, ...), Windows' nearest thing to a signal
      outcome.kind = RunOutcome::Kind::kSignaled;
      outcome.exit_code = 128 + 9;
      char buf[64];
      std::snprintf(buf, sizeof buf, "terminated with status 0x%08lX", code);
      outcome.message = buf;
    } else {
      outcome.exit_code = static_cast<int>(code);
    }
    return outcome;
  }

 private:
  RunContext context_;
};

}  // namespace

std::unique_ptr<Backend> MakeWindowsBackend(RunContext context) {
  return std::make_unique<WindowsBackend>(std::move(context));
}

}  // namespace cordon::windows
