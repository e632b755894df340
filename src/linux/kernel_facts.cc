#include "linux/kernel_facts.h"

#include <sched.h>
#include <sys/prctl.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <sstream>

#include "linux/landlock.h"
#include "linux/userns.h"

namespace cordon::linux_backend {
namespace {

std::string ReadFirstLine(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  std::getline(in, line);
  return line;
}

// Tries the namespaces cordon uses in a throwaway child.
bool TryNamespaces(int* err) {
  pid_t pid = fork();
  if (pid < 0) {
    *err = errno;
    return false;
  }
  if (pid == 0) {
    int flags = CLONE_NEWUSER | CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWIPC | CLONE_NEWUTS | CLONE_NEWNET | CLONE_NEWCGROUP;
    _exit(unshare(flags) == 0 ? 0 : (errno & 0x7f));
  }
  int status = 0;
  waitpid(pid, &status, 0);
  *err = WIFEXITED(status) ? WEXITSTATUS(status) : EINVAL;
  return *err == 0;
}

}  // namespace

KernelFacts ProbeKernel() {
  KernelFacts f;
  utsname u{};
  if (uname(&u) == 0) f.kernel = std::string(u.sysname) + " " + u.release;
  int err = 0;
  f.user_namespaces = TryNamespaces(&err);
  if (!f.user_namespaces) f.user_namespaces_detail = userns::WhyUnavailable(err);
  f.landlock_abi = landlock::Probe().abi;
  f.seccomp_filter = prctl(PR_GET_SECCOMP, 0, 0, 0, 0) >= 0 &&
                     ReadFirstLine("/proc/sys/kernel/seccomp/actions_avail").find("errno") != std::string::npos;
  std::string legacy = ReadFirstLine("/proc/sys/dev/tty/legacy_tiocsti");
  if (legacy.empty()) f.tiocsti = "not configurable on this kernel: TIOCSTI works for a terminal's owner";
  else if (legacy == "0") f.tiocsti = "disabled by the kernel (dev.tty.legacy_tiocsti=0)";
  else f.tiocsti = "enabled in the kernel (dev.tty.legacy_tiocsti=1)";
  f.running_as_root = geteuid() == 0;
  return f;
}

}  // namespace cordon::linux_backend
