// The Linux backend: compiles every layer in the parent, clones into new namespaces, writes the id maps,
// waits for the child to report (setup error, exec error, or a clean exec), then supervises the run:
// timeout, cordon's own signals, and the command's exit status.
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "backend/backend.h"
#include "base/syscalls.h"
#include "base/unique_fd.h"
#include "linux/cgroups.h"
#include "linux/egress.h"
#include "linux/redaction.h"
#include "linux/supervise.h"
#include "linux/child.h"
#include "linux/fs_layout.h"
#include "linux/limit_watch.h"
#include "linux/userns.h"

namespace cordon::linux_backend {
namespace {

using Clock = std::chrono::steady_clock;

struct Pipe {
  UniqueFd read, write;
};

Result<Pipe> MakePipe() {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return ErrnoError("pipe2");
  return Pipe{UniqueFd(fds[0]), UniqueFd(fds[1])};
}

// Blocks cordon's terminating signals and returns a signalfd for them, so one poll() sees them with the child.
// SIGPIPE is blocked too (not watched): a caller that stops reading shows up as EPIPE on the output pumps.
// The command gets the original mask back before exec.
class SignalGuard {
 public:
  Result<void> Install() {
    sigset_t set;
    sigemptyset(&set);
    for (int s : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&set, s);
    sigset_t blocked = set;
    sigaddset(&blocked, SIGPIPE);
    if (sigprocmask(SIG_BLOCK, &blocked, &original_) != 0) return ErrnoError("sigprocmask");
    installed_ = true;
    fd_.Reset(signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
    if (!fd_.valid()) return ErrnoError("signalfd");
    return {};
  }
  ~SignalGuard() {
    if (installed_) sigprocmask(SIG_SETMASK, &original_, nullptr);
  }
  const sigset_t& original() const { return original_; }
  int fd() const { return fd_.get(); }

 private:
  sigset_t original_{};
  bool installed_ = false;
  UniqueFd fd_;
};

std::vector<char*> CStrings(const std::vector<std::string>& v) {
  std::vector<char*> out;
  for (const std::string& s : v) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

std::string PathOf(const std::vector<std::string>& env) {
  for (const std::string& e : env) {
    if (e.starts_with("PATH=")) return e.substr(5);
  }
  return "/usr/local/bin:/usr/bin:/bin";
}

bool SameTerminal(int a, int b) {
  struct stat sa {}, sb {};
  return isatty(a) && isatty(b) && fstat(a, &sa) == 0 && fstat(b, &sb) == 0 && sa.st_rdev == sb.st_rdev;
}

RunOutcome FromStatus(int status) {
  RunOutcome o;
  if (WIFSIGNALED(status)) {
    o.kind = RunOutcome::Kind::kSignaled;
    o.signal = WTERMSIG(status);
    o.exit_code = 128 + o.signal;
  } else {
    o.exit_code = WEXITSTATUS(status);
  }
  return o;
}

double Seconds(const timeval& t) { return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) * 1e-6; }

ResourceUsage Usage(const WaitResult& w, const cgroups::Usage& cgroup) {
  ResourceUsage u;
  if (!w.have_status) return u;  // init was killed: it reported nothing
  u.cpu_user = Seconds(w.report.usage.ru_utime);
  u.cpu_system = Seconds(w.report.usage.ru_stime);
  if (cgroup.known && cgroup.peak_memory > 0) {
    u.peak_memory = cgroup.peak_memory;
    u.peak_memory_of = "sandbox";
  } else if (w.report.usage.ru_maxrss > 0) {
    u.peak_memory = static_cast<uint64_t>(w.report.usage.ru_maxrss) * 1024;
    u.peak_memory_of = "largest process";
  }
  return u;
}

class LinuxBackend : public Backend {
 public:
  Result<RunOutcome> Run(const plan::LaunchPlan& plan, audit::EventSink& events, RunControl& control) override {
    if (control.stop_requested()) return Stopped(control);
    if (plan.unrestricted) return RunUnrestricted(plan, control);
    return RunSandboxed(plan, events, control);
  }

 private:
  static RunOutcome Stopped(const RunControl& control) {
    RunOutcome o;
    o.kind = RunOutcome::Kind::kStopped;
    o.exit_code = kExitStopped;
    o.message = control.reason() + ": run stopped";
    return o;
  }

  Result<RunOutcome> RunSandboxed(const plan::LaunchPlan& plan, audit::EventSink& events, RunControl& control) {
    Clock::time_point start = Clock::now();
    std::string degraded;  // layers skipped under best_effort
    landlock::Support ll = landlock::Probe();
    if (ll.abi == 0) {
      if (!plan.best_effort) {
        return Error{"Landlock is not available in this kernel", ll.error, {},
                     "the filesystem rules need two layers: boot with lsm=...,landlock, or set best_effort = true "
                     "in the policy to run on the mount layer alone"};
      }
      degraded = "landlock";
    }
    // Parent side of every layer: all allocation happens here.
    CORDON_ASSIGN_OR_RETURN(fs::Layout layout, fs::Compile(plan));
    mounts::Prepared mounts = mounts::Prepare(std::move(layout));
    landlock::Prepared landlock = landlock::Prepare(ll.abi, mounts.layout.landlock);
    std::vector<char*> argv = CStrings(plan.argv);
    std::vector<char*> envp = CStrings(plan.env);
    std::string path = PathOf(plan.env);

    cgroups::Sandbox cgroup;
    if (auto r = cgroup.Setup(plan.limits, plan.best_effort, &degraded); !r.ok()) {
      return std::move(r).error().With("setting up the sandbox's cgroup");
    }
    CORDON_ASSIGN_OR_RETURN(Pipe sync, MakePipe());
    CORDON_ASSIGN_OR_RETURN(Pipe errors, MakePipe());
    CORDON_ASSIGN_OR_RETURN(Pipe status, MakePipe());
    CORDON_ASSIGN_OR_RETURN(Pipe parent_ready, MakePipe());
    UniqueFd ruleset;
    if (ll.abi > 0) {
      CORDON_ASSIGN_OR_RETURN(ruleset, landlock::CreateRuleset(landlock));
    }
    Egress egress;
    CORDON_TRY(egress.Prepare(plan));
    // The command's output through the supervisor (and its filter), unless the plan says to inherit.
    OutputPump out_pump, err_pump;
    Redaction redaction;
    if (plan.filter_output) {
      CORDON_TRY(redaction.Start(plan, mounts.layout.hidden_env_files, events));
      CORDON_TRY(out_pump.Prepare(STDOUT_FILENO, redaction.Filter("stdout")));
      // Both on one terminal: one pseudo-terminal for both, so their lines keep their order.
      if (!SameTerminal(STDOUT_FILENO, STDERR_FILENO)) {
        CORDON_TRY(err_pump.Prepare(STDERR_FILENO, redaction.Filter("stderr")));
      }
    }
    SyscallDenials denials;
    CORDON_TRY(denials.Prepare());
    SignalGuard signals;
    CORDON_TRY(signals.Install());

    ChildSpec spec;
    spec.own_network = plan.network.mode != policy::NetworkMode::kFull;
    spec.proxy_port = plan.proxy_port;
    spec.proxy_channel = egress.child_end();
    spec.stdout_fd = out_pump.child_end();
    spec.stderr_fd = err_pump.child_end() >= 0 ? err_pump.child_end() : out_pump.child_end();
    spec.mounts = &mounts;
    spec.landlock = ll.abi > 0 ? &landlock : nullptr;
    spec.landlock_ruleset = ruleset.get();
    spec.parent_ready = parent_ready.read.get();
    spec.seccomp = &seccomp::Prebuilt(seccomp::Refusal::kErrno);
    if (denials.enabled()) {
      spec.seccomp_notify = &seccomp::Prebuilt(seccomp::Refusal::kNotify);
      spec.seccomp_channel = denials.child_end();
    }
    spec.rlimits = rlimits::Prepare(plan.limits, cgroup.active() ? 0 : 2 * plan.limits.memory_bytes);
    spec.argv = argv.data();
    spec.envp = envp.data();
    spec.cwd = plan.cwd.c_str();
    spec.path = path.c_str();
    std::vector<char> command_stack(256 << 10);
    spec.command_stack = command_stack.data();
    spec.command_stack_size = command_stack.size() & ~size_t{15};
    spec.original_mask = signals.original();
    spec.sync_read = sync.read.get();
    spec.error_write = errors.write.get();
    spec.status_write = status.write.get();
    int parent_ends[] = {sync.write.get(),         errors.read.get(), status.read.get(),  parent_ready.write.get(),
                         signals.fd(),             egress.parent_end(), out_pump.fd(),     err_pump.fd(),
                         denials.parent_end()};
    static_assert(std::size(parent_ends) <= std::size(ChildSpec{}.parent_fds));
    std::copy(std::begin(parent_ends), std::end(parent_ends), spec.parent_fds);

    int pidfd = -1;
    clone_args args{};
    args.flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWCGROUP |
                 CLONE_PIDFD | (spec.own_network ? CLONE_NEWNET : 0);
    args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
    args.exit_signal = SIGCHLD;
    long pid = sys::Clone3(&args);
    if (pid < 0) {
      int err = errno;
      return Error{"cannot create the sandbox's namespaces", err, {}, userns::WhyUnavailable(err)};
    }
    if (pid == 0) RunInit(spec);
    UniqueFd child(pidfd);
    sync.read.Reset();
    errors.write.Reset();
    status.write.Reset();
    parent_ready.read.Reset();
    egress.CloseChildEnd();
    out_pump.CloseChildEnd();
    err_pump.CloseChildEnd();
    denials.CloseChildEnd();

    auto kill_and_reap = [&] {
      sys::PidfdSendSignal(child.get(), SIGKILL);
      siginfo_t info{};
      sys::RetryEintr([&] { return waitid(P_PIDFD, static_cast<id_t>(child.get()), &info, WEXITED); });
    };
    if (auto r = userns::WriteMaps(static_cast<pid_t>(pid), getuid(), getgid()); !r.ok()) {
      kill_and_reap();
      return std::move(r).error().With("setting up the user namespace");
    }
    char go = 1;
    if (write(sync.write.get(), &go, 1) != 1) {
      int err = errno;
      kill_and_reap();
      return Error{"waking the sandbox", err, {}};
    }
    sync.write.Reset();
    // While init builds its mounts: the host-path Landlock rules, and init into the cgroup (a cgroup v1 move
    // can wait for an RCU grace period, milliseconds). Init waits for both before it starts the command.
    if (auto r = cgroup.Enter(static_cast<pid_t>(pid)); !r.ok()) {
      kill_and_reap();
      return std::move(r).error();
    }
    if (ruleset.valid()) {
      if (auto r = landlock::AddHostRules(ruleset.get(), landlock); !r.ok()) {
        kill_and_reap();
        return std::move(r).error().With("building the sandbox");
      }
      ruleset.Reset();
    }
    if (write(parent_ready.write.get(), &go, 1) != 1) {
      int err = errno;
      kill_and_reap();
      return Error{"waking the sandbox's command", err, {}};
    }
    parent_ready.write.Reset();

    // The proxy starts once init hands over its listening socket (or fails, and then says why below).
    // What a command puts in a host name must not leave through cordon's own lines and events either.
    std::function<std::string(const std::string&)> scrub;
    if (plan.filter_output) scrub = [&redaction](const std::string& text) { return redaction.Scrub(text); };
    Status proxy = egress.Start(events, std::move(scrub));

    // EOF here means the command was exec'd; a record means a step failed.
    SetupFailure failure;
    ssize_t n = sys::RetryEintr([&] { return read(errors.read.get(), &failure, sizeof(failure)); });
    if (!proxy.ok() && n != static_cast<ssize_t>(sizeof(failure))) {
      kill_and_reap();
      return std::move(proxy).error().With("building the sandbox");
    }
    if (n == static_cast<ssize_t>(sizeof(failure)) && !failure.exec_failed) {
      kill_and_reap();
      std::string what = std::string(failure.step) + (failure.detail[0] ? std::string(" ") + failure.detail : "");
      return Error{what, failure.err, {"building the sandbox"}};
    }

    denials.Start(events);
    Watch watch{child.get(), signals.fd(), status.read.get(), &egress};
    watch.control = &control;
    LimitWatch limits(cgroup, plan.limits, events);
    if (limits.active()) {
      watch.tick = [&limits] { limits.Check(); };
      watch.tick_ms = LimitWatch::kTickMs;
    }
    watch.denials = &denials;
    if (plan.filter_output) {
      watch.out = &out_pump;
      watch.err = &err_pump;
    }
    CORDON_ASSIGN_OR_RETURN(WaitResult w, Supervise(watch, plan.limits.timeout_seconds, start));
    redaction.Report();
    for (const auto& [name, pump] : {std::pair{"stdout", &out_pump}, std::pair{"stderr", &err_pump}}) {
      if (pump->escapes_removed() > 0) {
        events.Emit("output.escapes_removed", {{"stream", name}, {"count", pump->escapes_removed()}});
      }
    }
    denials.Finish();
    egress.Shutdown();
    const cgroups::Usage usage = limits.Finish(w);
    RunOutcome out;
    if (n == static_cast<ssize_t>(sizeof(failure)) && failure.exec_failed) {
      out.kind = failure.err == ENOENT ? RunOutcome::Kind::kNotFound : RunOutcome::Kind::kNotExecutable;
      out.exit_code = failure.err == ENOENT ? 127 : 126;
      out.message = std::string(failure.detail) + ": " +
                    (failure.err == ENOENT ? "command not found in the sandbox" : std::strerror(failure.err));
    } else if (w.timed_out) {
      out.kind = RunOutcome::Kind::kTimedOut;
      out.exit_code = 124;
      char secs[32];
      std::snprintf(secs, sizeof(secs), "%g", plan.limits.timeout_seconds);
      out.message = std::string("timed out after ") + secs + "s; the sandbox was killed";
    } else if (w.interrupted_by != 0) {
      out.kind = RunOutcome::Kind::kInterrupted;
      out.signal = w.interrupted_by;
      out.exit_code = 128 + w.interrupted_by;
      out.message = std::string("interrupted by ") + sigabbrev_np(w.interrupted_by) + "; the sandbox was killed";
    } else if (w.stopped) {
      out = Stopped(control);
    } else if (w.have_status) {
      out = FromStatus(w.report.status);
      if (out.signal == SIGKILL && usage.memory_limit_hit) {
        out.message = "the sandbox reached its memory limit (" + std::to_string(plan.limits.memory_bytes >> 20) +
                      " MiB) and the command was killed";
      }
    } else if (w.info.si_code == CLD_KILLED || w.info.si_code == CLD_DUMPED) {
      out.kind = RunOutcome::Kind::kSignaled;
      out.signal = w.info.si_status;
      out.exit_code = 128 + w.info.si_status;
      out.message = std::string("the sandbox was killed from outside (SIG") + sigabbrev_np(w.info.si_status) + ")";
    } else {
      return MakeError("the sandbox's init process exited without the command's status");
    }
    if (!redaction.failure().empty()) {
      out.exit_code = 125;
      out.message = "the command's output was withheld: the redactor could not be built: " + redaction.failure();
    }
    out.degraded = degraded;
    out.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    out.usage = Usage(w, usage);
    if (plan.filter_output) {
      out.usage.output_counted = true;
      out.usage.stdout_bytes = out_pump.bytes_read();
      out.usage.stderr_bytes = err_pump.bytes_read();
    }
    return out;
  }

  // The `full` profile: the command as it is, with only the timeout. Run in its own process group, which
  // the timeout kills whole.
  Result<RunOutcome> RunUnrestricted(const plan::LaunchPlan& plan, const RunControl& control) {
    Clock::time_point start = Clock::now();
    SignalGuard signals;
    CORDON_TRY(signals.Install());
    std::vector<char*> argv = CStrings(plan.argv);
    CORDON_ASSIGN_OR_RETURN(Pipe errors, MakePipe());
    int pidfd = -1;
    clone_args args{};
    args.flags = CLONE_PIDFD;
    args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
    args.exit_signal = SIGCHLD;
    long pid = sys::Clone3(&args);
    if (pid < 0) return ErrnoError("clone3");
    if (pid == 0) {
      setpgid(0, 0);
      sigprocmask(SIG_SETMASK, &signals.original(), nullptr);
      if (chdir(plan.cwd.c_str()) != 0) _exit(125);
      execvp(argv[0], argv.data());
      int err = errno;
      ssize_t ignored = write(errors.write.get(), &err, sizeof(err));
      (void)ignored;
      _exit(err == ENOENT ? 127 : 126);
    }
    UniqueFd child(pidfd);
    errors.write.Reset();
    int exec_err = 0;
    bool exec_failed = read(errors.read.get(), &exec_err, sizeof(exec_err)) == sizeof(exec_err);
    Watch watch{child.get(), signals.fd()};
    watch.control = &control;
    CORDON_ASSIGN_OR_RETURN(WaitResult w, Supervise(watch, plan.limits.timeout_seconds, start));
    kill(-static_cast<pid_t>(pid), SIGKILL);
    RunOutcome out;
    if (exec_failed) {
      out.exit_code = exec_err == ENOENT ? 127 : 126;
      out.message = plan.argv[0] + ": " + std::strerror(exec_err);
    } else if (w.timed_out) {
      out.kind = RunOutcome::Kind::kTimedOut;
      out.exit_code = 124;
      out.message = "timed out";
    } else if (w.stopped) {
      out = Stopped(control);
    } else if (w.info.si_code == CLD_EXITED) {
      out.exit_code = w.info.si_status;
    } else {
      out.kind = RunOutcome::Kind::kSignaled;
      out.signal = w.info.si_status;
      out.exit_code = 128 + w.info.si_status;
    }
    out.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
    return out;
  }
};

}  // namespace
}  // namespace cordon::linux_backend

namespace cordon {
std::unique_ptr<Backend> MakeLinuxBackend() { return std::make_unique<linux_backend::LinuxBackend>(); }
}  // namespace cordon
