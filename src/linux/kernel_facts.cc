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

// A cgroup v2 subtree cordon may create children in, with the memory and pids controllers enabled.
std::string CgroupStatus(bool* delegated) {
  *delegated = false;
  std::string mount_point;
  std::ifstream mounts("/proc/self/mounts");
  std::string dev, dir, type;
  std::string rest;
  while (mounts >> dev >> dir >> type && std::getline(mounts, rest)) {
    if (type == "cgroup2") {
      mount_point = dir;
      break;
    }
  }
  if (mount_point.empty()) return "no cgroup v2 mount";
  std::string own;
  std::ifstream self("/proc/self/cgroup");
  std::string line;
  while (std::getline(self, line)) {
    if (line.starts_with("0::")) own = line.substr(3);
  }
  std::string dir_path = mount_point + own;
  std::string controllers = ReadFirstLine(dir_path + "/cgroup.controllers");
  bool has = controllers.find("memory") != std::string::npos && controllers.find("pids") != std::string::npos;
  if (!has) {
    return "cgroup v2 at " + mount_point + " offers no memory/pids controllers to " + dir_path +
           " (hybrid hierarchy or not delegated)";
  }
  if (access(dir_path.c_str(), W_OK) != 0) return dir_path + " is not writable (not delegated)";
  *delegated = true;
  return "delegated: " + dir_path;
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
  f.cgroup_v2 = CgroupStatus(&f.cgroup_delegated);
  std::string legacy = ReadFirstLine("/proc/sys/dev/tty/legacy_tiocsti");
  if (legacy.empty()) f.tiocsti = "not configurable on this kernel: TIOCSTI works for a terminal's owner";
  else if (legacy == "0") f.tiocsti = "disabled by the kernel (dev.tty.legacy_tiocsti=0)";
  else f.tiocsti = "enabled in the kernel (dev.tty.legacy_tiocsti=1)";
  f.running_as_root = geteuid() == 0;
  return f;
}

}  // namespace cordon::linux_backend
