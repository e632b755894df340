#include "linux/runtime_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace cordon::linux_backend {

std::string CacheDir(bool allow_home) {
  const char* runtime = getenv("XDG_RUNTIME_DIR");
  if (runtime != nullptr && runtime[0] == '/' && access(runtime, W_OK) == 0) return std::string(runtime) + "/cordon";
  if (geteuid() == 0) return "/run/cordon";
  const char* home = getenv("HOME");
  if (allow_home && home != nullptr && home[0] == '/') return std::string(home) + "/.cache/cordon";
  return "";
}

bool EnsurePrivateDir(const std::string& dir) {
  if (dir.empty() || dir[0] != '/') return false;
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return false;
  struct stat st {};
  return lstat(dir.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == geteuid() && (st.st_mode & 077) == 0;
}

}  // namespace cordon::linux_backend
