#include "linux/secret_search.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <cstring>

#include "linux/fs_util.h"

namespace cordon::linux_backend::fs {
namespace {

// Directories of tools and caches, not projects: large, and never where a project's .env lives.
constexpr const char* kEnvScanSkip[] = {"node_modules", ".git", ".hg", ".svn", ".cache", ".rustup", ".cargo",
                                        ".pyenv", ".npm", ".nvm", ".m2", ".gradle", "__pycache__", "site-packages",
                                        "dist-packages", ".tox", ".mypy_cache", ".venv", "venv"};

}  // namespace

bool IsEnvFileName(const std::string& name) {
  return name == ".env" || name == ".envrc" || name.starts_with(".env.") ||
         (name.size() > 4 && name.ends_with(".env"));
}

bool SecretScanner::Walk(const std::string& dir, int depth) {
  if (depth > max_depth_) return true;
  if (policy::IsSameOrUnder(dir, workspace_)) return true;
  for (const char* skip : {"/proc", "/sys", "/dev"}) {
    if (policy::IsSameOrUnder(dir, skip)) return true;
  }
  auto access = policy::EffectiveAccess(rules_, dir);
  if (!access || *access == policy::Access::kDeny) return true;
  if (!visited_.insert(dir).second) return true;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return true;
  struct stat self {};
  if (fstat(dirfd(d), &self) == 0) dirs_.push_back({dir, self.st_mtim.tv_sec, self.st_mtim.tv_nsec});
  std::vector<std::string> subdirs;
  while (dirent* e = readdir(d)) {
    const char* name = e->d_name;
    if (std::strcmp(name, ".") == 0 || std::strcmp(name, "..") == 0) continue;
    if (++entries_ > kMaxEntries) {
      closedir(d);
      return false;
    }
    struct stat st {};
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN || want_.private_files) {
      if (fstatat(dirfd(d), name, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : S_ISSOCK(st.st_mode) ? DT_SOCK : DT_LNK;
    }
    if (want_.private_files && (type == DT_REG || type == DT_DIR)) {
      bool world_readable = (st.st_mode & S_IROTH) && (type != DT_DIR || (st.st_mode & S_IXOTH));
      if (!world_readable) {
        Found(Join(dir, name), kPrivateFileReason);
        continue;
      }
    }
    if (type == DT_DIR) {
      bool skip = want_.env_files && !want_.private_files &&
                  std::any_of(std::begin(kEnvScanSkip), std::end(kEnvScanSkip),
                              [&](const char* s) { return std::strcmp(name, s) == 0; });
      if (!skip) subdirs.push_back(Join(dir, name));
    } else if (type == DT_REG && want_.env_files && IsEnvFileName(name)) {
      Found(Join(dir, name), kEnvFileReason);
    } else if (type == DT_LNK && want_.env_files && IsEnvFileName(name)) {
      std::string target = RealPath(Join(dir, name));  // hide what a .env link points to, whatever its name
      if (!target.empty()) Found(target, kEnvFileReason);
    } else if (type == DT_SOCK && want_.sockets) {
      std::string full = Join(dir, name);
      if (std::find(allowed_sockets_.begin(), allowed_sockets_.end(), full) == allowed_sockets_.end()) {
        Found(full, kSocketReason);
      }
    }
  }
  closedir(d);
  for (const std::string& sub : subdirs) {
    if (!Walk(sub, depth + 1)) return false;
  }
  return true;
}

}  // namespace cordon::linux_backend::fs
