#include "audit/hook_runner.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "base/unique_fd.h"

extern char** environ;

namespace cordon::audit {
namespace {

void Warn(const std::string& program, const std::string& what) {
  std::fprintf(stderr, "cordon: warning: alert hook %s %s\n", program.c_str(), what.c_str());
}

// Runs on the hook's own thread, every signal blocked (so a SIGPIPE from a hook that does not read its input
// stays pending on this thread and goes with it).
void Supervise(std::string program, pid_t pid, UniqueFd pidfd, UniqueFd input_fd, std::string input,
               std::chrono::steady_clock::time_point deadline) {
  for (size_t done = 0; done < input.size();) {
    ssize_t n = write(input_fd.get(), input.data() + done, input.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the hook closed its stdin, or its pipe is full (it is not reading): it gets what fit
    done += static_cast<size_t>(n);
  }
  input_fd.Reset();
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd p = {pidfd.get(), POLLIN, 0};
    int n = poll(&p, 1, static_cast<int>(std::max<long>(0, left.count())));
    if (n < 0 && errno == EINTR) continue;
    if (n == 0) {
      timed_out = true;
      kill(-pid, SIGKILL);  // its process group: what it started goes too
      kill(pid, SIGKILL);
    }
    break;
  }
  siginfo_t info{};
  while (waitid(P_PIDFD, static_cast<id_t>(pidfd.get()), &info, WEXITED) != 0 && errno == EINTR) {
  }
  if (timed_out) {
    Warn(program, "timed out and was killed");
  } else if (info.si_code == CLD_EXITED && info.si_status != 0) {
    Warn(program, "exited with status " + std::to_string(info.si_status));
  } else if (info.si_code == CLD_KILLED || info.si_code == CLD_DUMPED) {
    Warn(program, std::string("was killed by SIG") + sigabbrev_np(info.si_status));
  }
}

}  // namespace

void HookProcesses::Start(const std::vector<std::string>& argv, const std::string& input) {
  if (argv.empty()) return;
  const std::string& program = argv[0];
  if (started_ >= kMaxHooks) {
    Warn(program, "not started: " + std::to_string(kMaxHooks) + " hooks already ran in this run");
    return;
  }
  ++started_;
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) return Warn(program, std::string("could not start: pipe: ") + std::strerror(errno));
  UniqueFd read_end(fds[0]), write_end(fds[1]);
  fcntl(write_end.get(), F_SETFL, O_NONBLOCK);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, read_end.get(), STDIN_FILENO);
  posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  sigset_t none, all;
  sigemptyset(&none);
  sigfillset(&all);
  posix_spawnattr_setsigmask(&attr, &none);  // cordon blocks its terminating signals during a run
  posix_spawnattr_setsigdefault(&attr, &all);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP);
  std::vector<char*> args;
  for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_t pid = -1;
  int err = posix_spawnp(&pid, program.c_str(), &actions, &attr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) return Warn(program, std::string("could not start: ") + std::strerror(err));
  read_end.Reset();
  UniqueFd pidfd(static_cast<int>(syscall(SYS_pidfd_open, pid, 0)));
  if (!pidfd.valid()) {  // cannot happen for our own unreaped child; do not leave it running unwatched
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
    return Warn(program, std::string("was stopped: pidfd_open: ") + std::strerror(errno));
  }
  auto deadline = std::chrono::steady_clock::now() +
                  std::chrono::milliseconds(static_cast<long>(std::ceil(timeout_seconds_ * 1000)));
  // The thread starts with every signal blocked: cordon's own signals stay with its supervisor.
  sigset_t old;
  pthread_sigmask(SIG_SETMASK, &all, &old);
  waiters_.emplace_back(Supervise, program, pid, std::move(pidfd), std::move(write_end), input, deadline);
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
}

void HookProcesses::Wait() {
  for (std::thread& t : waiters_) t.join();
  waiters_.clear();
}

}  // namespace cordon::audit
