#include "linux/userns.h"

#include <fcntl.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "base/unique_fd.h"

namespace cordon::linux_backend::userns {
namespace {

Result<void> WriteFile(const std::string& path, const std::string& text) {
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_CLOEXEC));
  if (!fd.valid()) return ErrnoError("open " + path);
  if (write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size())) {
    return ErrnoError("write " + path);
  }
  return {};
}

std::string ReadSysctl(const char* path) {
  std::ifstream in(path);
  std::string v;
  in >> v;
  return v;
}

}  // namespace

Result<void> WriteMaps(pid_t child, uid_t uid, gid_t gid) {
  const std::string proc = "/proc/" + std::to_string(child);
  CORDON_TRY(WriteFile(proc + "/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1\n"));
  CORDON_TRY(WriteFile(proc + "/setgroups", "deny"));
  CORDON_TRY(WriteFile(proc + "/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1\n"));
  return {};
}

std::string WhyUnavailable(int err) {
  if (ReadSysctl("/proc/sys/kernel/unprivileged_userns_clone") == "0") {
    return "unprivileged user namespaces are disabled: sysctl -w kernel.unprivileged_userns_clone=1";
  }
  if (ReadSysctl("/proc/sys/user/max_user_namespaces") == "0") {
    return "user namespaces are disabled: sysctl -w user.max_user_namespaces=15000";
  }
  if (ReadSysctl("/proc/sys/kernel/apparmor_restrict_unprivileged_userns") == "1") {
    return "AppArmor restricts unprivileged user namespaces (Ubuntu 23.10+): allow cordon with an AppArmor "
           "profile granting `userns,`, or sysctl -w kernel.apparmor_restrict_unprivileged_userns=0";
  }
  if (err == EPERM) {
    return "the kernel refused a new user namespace (inside a container? it needs CAP_SYS_ADMIN or a "
           "seccomp profile that allows clone with CLONE_NEWUSER)";
  }
  if (err == ENOSPC) return "the user namespace limit is reached (user.max_user_namespaces)";
  return "the kernel refused the new namespaces";
}

}  // namespace cordon::linux_backend::userns
