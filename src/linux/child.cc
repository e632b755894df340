#include "linux/child.h"

#include <limits.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "linux/capabilities.h"
#include "linux/network.h"
#include "linux/seccomp_notify.h"
#include "linux/setup_error.h"

namespace cordon::linux_backend {
namespace {

[[noreturn]] void Report(const ChildSpec& s, SetupFailure& f, int code) {
  ssize_t ignored = write(s.error_write, &f, sizeof(f));
  (void)ignored;
  _exit(code);
}

[[noreturn]] void Fail(const ChildSpec& s, const char* step, int err, const char* detail = nullptr) {
  SetupFailure f;
  f.Set(step, err, detail);
  Report(s, f, 125);
}

// execvp without allocation: PATH entries are joined in a stack buffer.
int ExecSearch(const ChildSpec& s) {
  const char* file = s.argv[0];
  if (std::strchr(file, '/') != nullptr) {
    execve(file, s.argv, s.envp);
    return errno;
  }
  int result = ENOENT;
  const char* p = s.path;
  char buf[PATH_MAX];
  size_t flen = std::strlen(file);
  while (p != nullptr) {
    const char* end = std::strchr(p, ':');
    size_t dlen = end ? static_cast<size_t>(end - p) : std::strlen(p);
    if (dlen == 0) {
      buf[0] = '.';
      dlen = 1;
    } else if (dlen < sizeof(buf)) {
      std::memcpy(buf, p, dlen);
    }
    if (dlen + 1 + flen + 1 <= sizeof(buf)) {
      buf[dlen] = '/';
      std::memcpy(buf + dlen + 1, file, flen + 1);
      execve(buf, s.argv, s.envp);
      if (errno == EACCES || errno == EPERM || errno == ENOEXEC || errno == EISDIR) result = errno;
      else if (errno != ENOENT && errno != ENOTDIR) return errno;
    }
    p = end ? end + 1 : nullptr;
  }
  return result;
}

[[noreturn]] void RunCommand(const ChildSpec& s) {
  close(s.status_write);
  if (setsid() < 0) Fail(s, "setsid", errno);
  int failed_resource = 0;
  if (int err = rlimits::Apply(s.rlimits, &failed_resource)) Fail(s, "setrlimit", err);
  if (s.stdout_fd >= 0 && dup2(s.stdout_fd, STDOUT_FILENO) < 0) Fail(s, "dup2 stdout", errno);
  if (s.stderr_fd >= 0 && dup2(s.stderr_fd, STDERR_FILENO) < 0) Fail(s, "dup2 stderr", errno);
  if (chdir(s.cwd) != 0) Fail(s, "chdir", errno, s.cwd);
  if (close_range(3, ~0U, CLOSE_RANGE_CLOEXEC) != 0) Fail(s, "close_range", errno);
  const char* step = nullptr;
  if (int err = capabilities::DropAll(&step)) Fail(s, step, err);
  if (s.landlock != nullptr) {
    const char* path = nullptr;
    if (int err = landlock::Apply(*s.landlock, s.landlock_ruleset, &path)) Fail(s, "landlock", err, path);
  }
  if (sigprocmask(SIG_SETMASK, &s.original_mask, nullptr) != 0) Fail(s, "sigprocmask", errno);
  if (s.seccomp_channel >= 0) {
    if (int err = seccomp_notify::Install(*s.seccomp_notify, *s.seccomp, s.seccomp_channel)) Fail(s, "seccomp", err);
  } else if (int err = seccomp::Apply(*s.seccomp)) {
    Fail(s, "seccomp", err);
  }
  int err = ExecSearch(s);
  SetupFailure f;
  f.Set("execve", err, s.argv[0]);
  f.exec_failed = 1;
  Report(s, f, err == ENOENT ? 127 : 126);
}

int StartCommand(void* spec) { RunCommand(*static_cast<const ChildSpec*>(spec)); }

}  // namespace

void RunInit(const ChildSpec& s) {
  for (int fd : s.parent_fds) {
    if (fd >= 0) close(fd);
  }
  // Die with cordon, even on kill -9.
  if (prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0) != 0) Fail(s, "set parent-death signal", errno);
  char go = 0;
  if (read(s.sync_read, &go, 1) != 1) _exit(125);  // cordon died before writing the id maps
  close(s.sync_read);
  // Nobody inside may read this process's memory or environment (cordon's own). Only now: an undumpable
  // process's /proc files belong to root, and an unprivileged parent must write the id maps first.
  if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) Fail(s, "set undumpable", errno);

  static const char kHostname[] = "cordon";
  if (sethostname(kHostname, sizeof(kHostname) - 1) != 0) Fail(s, "sethostname", errno);
  if (s.own_network) {
    if (int err = network::BringUpLoopback()) Fail(s, "bring up loopback", err);
  }
  if (s.proxy_channel >= 0) {
    if (int err = network::HandOverListener(s.proxy_port, s.proxy_channel)) Fail(s, "listen for the proxy", err);
    close(s.proxy_channel);
  }
  SetupFailure f;
  if (!mounts::Apply(*s.mounts, &f)) Report(s, f, 125);
  // cordon has meanwhile added the host-path Landlock rules and moved init into the sandbox's cgroup, which
  // the command then inherits.
  char ready = 0;
  if (read(s.parent_ready, &ready, 1) != 1) _exit(125);  // cordon failed, and says why
  close(s.parent_ready);

  // The command shares init's memory until it execs (init waits meanwhile), like vfork: no page tables
  // to copy. It runs on its own stack and writes nothing else of init's.
  pid_t command = clone(StartCommand, s.command_stack + s.command_stack_size, CLONE_VM | CLONE_VFORK | SIGCHLD,
                        const_cast<ChildSpec*>(&s));
  if (command < 0) Fail(s, "start the command", errno);

  close(s.error_write);
  close(s.seccomp_channel);
  close(s.landlock_ruleset);
  close(s.stdout_fd);  // init holds no end of the output pipes: they end with the command's last writer
  close(s.stderr_fd);
  const char* step = nullptr;
  (void)capabilities::DropAll(&step);  // init needs none to reap
  for (;;) {
    int status = 0;
    pid_t pid = waitpid(-1, &status, 0);
    if (pid == command) {
      // The sandbox ends with its command: kill what is left and reap it before reporting, so once cordon
      // has the status nothing inside runs any more (the workspace guard looks at the workspace next).
      kill(-1, SIGKILL);
      while (waitpid(-1, nullptr, 0) > 0 || errno == EINTR) {
      }
      ExitReport report;
      report.status = status;
      getrusage(RUSAGE_CHILDREN, &report.usage);
      ssize_t ignored = write(s.status_write, &report, sizeof(report));  // < PIPE_BUF: one piece
      (void)ignored;
      _exit(0);
    }
    if (pid < 0 && errno == ECHILD) _exit(0);
  }
}

}  // namespace cordon::linux_backend
