#include "linux/scan_cache.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include <cerrno>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <sstream>

#include "linux/runtime_dir.h"

namespace cordon::linux_backend::fs {
namespace {

constexpr const char* kMagic = "cordon-scan-cache 1";
// Results kept: one per workspace (and policy); the least recently used go first.
constexpr size_t kMaxFiles = 32;

// The directory exists, is ours and nobody else may write it.
bool Private(const std::string& path) {
  struct stat st {};
  return lstat(path.c_str(), &st) == 0 && st.st_uid == geteuid() && (st.st_mode & 022) == 0;
}

// Removes the least recently used results beyond kMaxFiles (a hit refreshes a file's time: see Load).
void Evict(const std::string& dir) {
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::pair<timespec, std::string>> files;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    struct stat st {};
    if (!name.starts_with("scan-") || name.find(".tmp") != std::string::npos) continue;
    if (fstatat(dirfd(d), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0) files.push_back({st.st_mtim, name});
  }
  closedir(d);
  if (files.size() <= kMaxFiles) return;
  std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
    return a.first.tv_sec != b.first.tv_sec ? a.first.tv_sec < b.first.tv_sec : a.first.tv_nsec < b.first.tv_nsec;
  });
  for (size_t i = 0; i + kMaxFiles < files.size(); ++i) unlink((dir + "/" + files[i].second).c_str());
}

}  // namespace

ScanCache::ScanCache(const std::string& key) : key_(key) {
  std::string dir = CacheDir(/*allow_home=*/true);
  if (dir.empty()) return;
  char name[40];
  std::snprintf(name, sizeof(name), "/scan-%016zx", std::hash<std::string>{}(key));
  file_ = dir + name;
}

std::optional<std::vector<policy::PathRule>> ScanCache::Load() const {
  if (file_.empty() || !Private(file_) || !Private(file_.substr(0, file_.rfind('/')))) return std::nullopt;
  std::ifstream in(file_);
  std::string line;
  if (!std::getline(in, line) || line != kMagic) return std::nullopt;
  if (!std::getline(in, line) || line != key_) return std::nullopt;
  std::vector<policy::PathRule> found;
  while (std::getline(in, line)) {
    if (line.starts_with("dir ")) {
      std::istringstream fields(line.substr(4));
      int64_t sec = 0, nsec = 0;
      std::string path;
      fields >> sec >> nsec;
      fields.get();
      std::getline(fields, path);
      struct stat st {};
      if (stat(path.c_str(), &st) != 0 || !S_ISDIR(st.st_mode) || st.st_mtim.tv_sec != sec ||
          st.st_mtim.tv_nsec != nsec) {
        return std::nullopt;  // something changed: search again
      }
    } else if (line.starts_with("found ")) {
      size_t tab = line.find('\t');
      if (tab == std::string::npos) return std::nullopt;
      found.push_back({line.substr(tab + 1), policy::Access::kDeny, {line.substr(6, tab - 6), 0}});
    } else if (line != "end") {
      return std::nullopt;
    } else {
      utimensat(AT_FDCWD, file_.c_str(), nullptr, 0);  // used now: the last to be evicted
      return found;
    }
  }
  return std::nullopt;  // truncated
}

void ScanCache::Store(const std::vector<DirStamp>& dirs, const std::vector<policy::PathRule>& found) const {
  if (file_.empty() || key_.find('\n') != std::string::npos) return;
  std::string dir = file_.substr(0, file_.rfind('/'));
  std::string parent = dir.substr(0, dir.rfind('/'));
  if (mkdir(parent.c_str(), 0700) != 0 && errno != EEXIST) return;  // ~/.cache on a fresh account
  if (mkdir(dir.c_str(), 0700) != 0 && errno != EEXIST) return;
  if (!Private(dir)) return;
  // Directory times are kept at a coarse clock: a directory changed within the last moments could change
  // again without its time moving. Such a search is not cached.
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  std::ostringstream out;
  out << kMagic << '\n' << key_ << '\n';
  for (const DirStamp& d : dirs) {
    if (d.path.find('\n') != std::string::npos || d.sec >= now.tv_sec - 2) return;
    out << "dir " << d.sec << ' ' << d.nsec << ' ' << d.path << '\n';
  }
  for (const policy::PathRule& f : found) {
    if (f.path.find('\n') != std::string::npos || f.origin.file.find('\t') != std::string::npos) return;
    out << "found " << f.origin.file << '\t' << f.path << '\n';
  }
  out << "end\n";
  std::string tmp = file_ + ".tmp" + std::to_string(getpid());
  int fd = open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return;
  const std::string text = out.str();
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  if (!ok || rename(tmp.c_str(), file_.c_str()) != 0) {
    unlink(tmp.c_str());
    return;
  }
  Evict(dir);
}

}  // namespace cordon::linux_backend::fs
