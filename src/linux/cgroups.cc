#include "linux/cgroups.h"

#include <dirent.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace cordon::linux_backend::cgroups {
namespace {

constexpr const char* kPrefix = "cordon-";

bool WriteFile(const std::string& path, const std::string& value) {
  int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, value.data(), value.size()) == static_cast<ssize_t>(value.size());
  close(fd);
  return ok;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

// This process's cgroup path in each hierarchy: "" -> v2, "pids" -> v1 pids, ...
std::string OwnPath(const std::string& controller) {
  std::ifstream in("/proc/self/cgroup");
  std::string line;
  while (std::getline(in, line)) {
    size_t a = line.find(':'), b = line.find(':', a + 1);
    if (a == std::string::npos || b == std::string::npos) continue;
    std::string controllers = line.substr(a + 1, b - a - 1);
    std::stringstream list(controllers);
    std::string c;
    if (controller.empty() && controllers.empty()) return line.substr(b + 1);
    while (std::getline(list, c, ',')) {
      if (c == controller) return line.substr(b + 1);
    }
  }
  return "";
}

// The mount table, read once: where each filesystem of interest is mounted.
struct MountTable {
  struct Entry {
    std::string dir, type, opts;
  };
  std::vector<Entry> entries;

  static MountTable Read() {
    MountTable t;
    std::ifstream in("/proc/self/mounts");
    std::string dev, dir, type, opts, rest;
    while (in >> dev >> dir >> type >> opts && std::getline(in, rest)) {
      if (type == "cgroup" || type == "cgroup2") t.entries.push_back({dir, type, opts});
    }
    return t;
  }
  // The first mount of `fstype` that has `option` among its options (any, when empty).
  std::string Find(const std::string& fstype, const std::string& option) const {
    for (const Entry& e : entries) {
      if (e.type != fstype) continue;
      if (option.empty()) return e.dir;
      std::stringstream list(e.opts);
      std::string o;
      while (std::getline(list, o, ',')) {
        if (o == option) return e.dir;
      }
    }
    return "";
  }
};

bool Writable(const std::string& dir) { return access(dir.c_str(), W_OK) == 0; }

// Removes leftovers of cordon runs whose supervisor is gone (killed before it could clean up).
void RemoveStale(const std::string& parent) {
  DIR* d = opendir(parent.c_str());
  if (d == nullptr) return;
  while (dirent* e = readdir(d)) {
    std::string name = e->d_name;
    if (!name.starts_with(kPrefix)) continue;
    pid_t owner = static_cast<pid_t>(std::atoi(name.c_str() + std::strlen(kPrefix)));
    if (owner > 0 && (kill(owner, 0) == 0 || errno == EPERM)) continue;
    rmdir((parent + "/" + name).c_str());
  }
  closedir(d);
}

// Where new cgroups can go: v2 (when pids and memory are delegated to our cgroup's children) or v1.
struct Place {
  bool v2 = false;
  std::string pids_parent, memory_parent;  // v1; for v2 both are the same directory
};

Place FindPlace() {
  Place p;
  MountTable mounts = MountTable::Read();
  std::string unified = mounts.Find("cgroup2", "");
  if (!unified.empty()) {
    std::string dir = unified + OwnPath("");
    std::string subtree = ReadFile(dir + "/cgroup.subtree_control");
    if (subtree.find("pids") != std::string::npos && subtree.find("memory") != std::string::npos && Writable(dir)) {
      p.v2 = true;
      p.pids_parent = p.memory_parent = dir;
      return p;
    }
  }
  std::string pids = mounts.Find("cgroup", "pids"), memory = mounts.Find("cgroup", "memory");
  if (!pids.empty() && !memory.empty()) {
    std::string pdir = pids + OwnPath("pids"), mdir = memory + OwnPath("memory");
    if (Writable(pdir) && Writable(mdir)) {
      p.pids_parent = pdir;
      p.memory_parent = mdir;
    }
  }
  return p;
}

}  // namespace

Result<void> Sandbox::Setup(const policy::Limits& limits) {
  Place place = FindPlace();
  if (place.pids_parent.empty()) return {};  // none: rlimits only
  const std::string name = std::string(kPrefix) + std::to_string(getpid());
  v2_ = place.v2;
  std::vector<std::string> parents = {place.pids_parent};
  if (place.memory_parent != place.pids_parent) parents.push_back(place.memory_parent);
  for (const std::string& parent : parents) {
    RemoveStale(parent);
    std::string dir = parent + "/" + name;
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError("create cgroup " + dir);
    dirs_.push_back(dir);
  }
  const std::string& pids_dir = dirs_.front();
  memory_dir_ = dirs_.back();
  if (!WriteFile(pids_dir + "/pids.max", std::to_string(limits.processes))) return ErrnoError("set " + pids_dir + "/pids.max");
  std::string memory_file = place.v2 ? "/memory.max" : "/memory.limit_in_bytes";
  if (!WriteFile(memory_dir_ + memory_file, std::to_string(limits.memory_bytes))) {
    return ErrnoError("set " + memory_dir_ + memory_file);
  }
  if (place.v2) WriteFile(memory_dir_ + "/memory.swap.max", "0");
  return {};
}

Result<void> Sandbox::Enter(pid_t pid) const {
  for (const std::string& dir : dirs_) {
    if (!WriteFile(dir + "/cgroup.procs", std::to_string(pid))) return ErrnoError("move the sandbox into " + dir);
  }
  return {};
}

bool Sandbox::MemoryLimitHit() const {
  if (memory_dir_.empty()) return false;
  if (v2_) {
    std::string events = ReadFile(memory_dir_ + "/memory.events");
    size_t at = events.find("oom_kill ");
    return at != std::string::npos && std::atol(events.c_str() + at + 9) > 0;
  }
  return std::atol(ReadFile(memory_dir_ + "/memory.failcnt").c_str()) > 0;
}

std::string Sandbox::Describe() const {
  if (dirs_.empty()) return "none (rlimits only)";
  return std::string(v2_ ? "cgroup v2 " : "cgroup v1 ") + dirs_.front();
}

Sandbox::~Sandbox() {
  // The command and everything it started are gone (init killed and reaped them before reporting), but init
  // itself may still be on its way out. A group still busy now is removed by the next run (RemoveStale):
  // cordon does not wait for the kernel's teardown.
  for (const std::string& dir : dirs_) rmdir(dir.c_str());
}

std::string Availability() {
  Place p = FindPlace();
  if (p.v2) return "cgroup v2, delegated: " + p.pids_parent;
  std::string v2 = MountTable::Read().Find("cgroup2", "").empty() ? "no cgroup v2 mount"
                                                   : "cgroup v2 does not delegate pids+memory to this caller";
  if (p.pids_parent.empty()) return "";
  return "cgroup v1 pids + memory (" + v2 + "): " + p.pids_parent + ", " + p.memory_parent;
}

}  // namespace cordon::linux_backend::cgroups
