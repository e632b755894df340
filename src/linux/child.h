// The child side of a run, in order. Everything it touches was prepared by the parent before clone: after
// clone nothing allocates, throws or logs; a failure is one SetupFailure record on the error pipe, then _exit.
//
//   init (pid 1 of the new namespaces)          command (pid 2)
//   ├─ die with cordon (PDEATHSIG), undumpable  ├─ setsid: no controlling terminal to inject into
//   ├─ wait for uid/gid maps                    ├─ rlimits, chdir, fds >= 3 close on exec
//   ├─ hostname, loopback (+ the proxy's        ├─ drop every capability, no_new_privs
//   │  listening socket, handed to cordon)      │
//   ├─ mounts → pivot_root                      ├─ Landlock
//   ├─ wait: Landlock rules added, cgroup       │
//   │  entered (cordon did both meanwhile)      │
//   ├─ start the command (vfork-style)          ├─ seccomp (last; its listener to cordon)
//   └─ reap; once the command exits, kill and   └─ execve
//      reap the rest, report the status, exit
//      (its exit also tears the pid namespace down: no process of the sandbox survives it)
#pragma once

#include <signal.h>
#include <sys/resource.h>

#include "linux/landlock.h"
#include "linux/mounts.h"
#include "linux/rlimits.h"
#include "linux/seccomp.h"

namespace cordon::linux_backend {

struct ChildSpec {
  const mounts::Prepared* mounts = nullptr;
  const landlock::Prepared* landlock = nullptr;  // nullptr: no Landlock (best effort)
  const seccomp::Program* seccomp = nullptr;         // the plain (EPERM) filter
  const seccomp::Program* seccomp_notify = nullptr;  // with seccomp_channel: the variant that notifies cordon
  int seccomp_channel = -1;  // where the command sends that filter's listener (seccomp_notify.h); -1: plain
  rlimits::Prepared rlimits{};
  char* const* argv = nullptr;
  char* const* envp = nullptr;
  const char* cwd = nullptr;
  const char* path = nullptr;  // PATH for the command search
  char* command_stack = nullptr;  // the command's stack until it execs (it shares init's memory)
  size_t command_stack_size = 0;
  sigset_t original_mask{};
  bool own_network = true;     // a network namespace of its own (not network mode "full")
  uint16_t proxy_port = 0;     // allowlist mode: the port the proxy listens on inside
  int proxy_channel = -1;      // allowlist mode: where init sends that listening socket
  int landlock_ruleset = -1;  // filled with the host-path rules by the parent while init mounts
  int stdout_fd = -1;          // pipes to the supervisor's output pumps, dup2()ed onto 1 and 2 (-1: inherit)
  int stderr_fd = -1;
  int parent_ready = -1;      // one byte: the parent has added them and entered init into the cgroup
  int sync_read = -1;    // EOF or one byte: the parent wrote the id maps
  int error_write = -1;  // SetupFailure records
  int status_write = -1;  // an ExitReport, from init
  int parent_fds[10] = {-1, -1, -1, -1, -1, -1, -1, -1, -1, -1};  // the parent's ends, closed first
};

// What init writes on the status pipe once the command has exited and everything else is reaped: the
// command's wait status, and init's RUSAGE_CHILDREN, which by then covers every process of the sandbox.
struct ExitReport {
  int status = 0;
  rusage usage{};
};

[[noreturn]] void RunInit(const ChildSpec& spec);

}  // namespace cordon::linux_backend
