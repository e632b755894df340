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
  std::string cpu_parent;                  // v2: the same when cpu is delegated too; v1: the cpu hierarchy
};

bool HasWord(const std::string& list, const std::string& word) {
  std::stringstream in(list);
  std::string w;
  while (in >> w) {
    if (w == word) return true;
  }
  return false;
}

// "key value" lines (memory.events, pids.events, memory.oom_control): the value of `key`, 0 when absent.
uint64_t KeyedValue(const std::string& text, const std::string& key) {
  std::stringstream in(text);
  std::string k;
  uint64_t v = 0;
  while (in >> k >> v) {
    if (k == key) return v;
  }
  return 0;
}

uint64_t Number(const std::string& text) { return std::strtoull(text.c_str(), nullptr, 10); }

Place FindPlace() {
  Place p;
  MountTable mounts = MountTable::Read();
  std::string unified = mounts.Find("cgroup2", "");
  if (!unified.empty()) {
    std::string dir = unified + OwnPath("");
    std::string subtree = ReadFile(dir + "/cgroup.subtree_control");
    if (HasWord(subtree, "pids") && HasWord(subtree, "memory") && Writable(dir)) {
      p.v2 = true;
      p.pids_parent = p.memory_parent = dir;
      if (HasWord(subtree, "cpu")) p.cpu_parent = dir;
      return p;
    }
  }
  std::string pids = mounts.Find("cgroup", "pids"), memory = mounts.Find("cgroup", "memory");
  if (!pids.empty() && !memory.empty()) {
    std::string pdir = pids + OwnPath("pids"), mdir = memory + OwnPath("memory");
    if (Writable(pdir) && Writable(mdir)) {
      p.pids_parent = pdir;
      p.memory_parent = mdir;
      std::string cpu = mounts.Find("cgroup", "cpu");
      if (!cpu.empty() && Writable(cpu + OwnPath("cpu"))) p.cpu_parent = cpu + OwnPath("cpu");
    }
  }
  return p;
}

}  // namespace

Result<void> Sandbox::Setup(const policy::Limits& limits, bool best_effort, std::string* degraded) {
  Place place = FindPlace();
  bool cpu = limits.cpus > 0;
  if (cpu && place.cpu_parent.empty()) {
    if (!best_effort) {
      return Error{"limits.cpus needs a cgroup with the cpu controller, and this caller has none", 0, {},
                   "run as root, from a systemd-delegated cgroup v2 subtree (systemd-run --user -p Delegate=yes), "
                   "or drop limits.cpus; best_effort = true runs without it"};
    }
    *degraded += std::string(degraded->empty() ? "" : ", ") + "cpu limit";
    cpu = false;
  }
  if (place.pids_parent.empty()) return {};  // none: rlimits only
  const std::string name = std::string(kPrefix) + std::to_string(getpid());
  v2_ = place.v2;
  std::vector<std::string> parents = {place.pids_parent};
  if (place.memory_parent != place.pids_parent) parents.push_back(place.memory_parent);
  if (cpu && place.cpu_parent != place.pids_parent) parents.push_back(place.cpu_parent);
  for (const std::string& parent : parents) {
    RemoveStale(parent);
    std::string dir = parent + "/" + name;
    if (mkdir(dir.c_str(), 0755) != 0 && errno != EEXIST) return ErrnoError("create cgroup " + dir);
    dirs_.push_back(dir);
  }
  pids_dir_ = dirs_[0];
  memory_dir_ = dirs_[parents.size() > 1 && parents[1] == place.memory_parent ? 1 : 0];
  auto set = [](const std::string& file, const std::string& value) -> Result<void> {
    if (!WriteFile(file, value)) return ErrnoError("set " + file + " to " + value);
    return {};
  };
  CORDON_TRY(set(pids_dir_ + "/pids.max", std::to_string(limits.processes)));
  CORDON_TRY(set(memory_dir_ + (v2_ ? "/memory.max" : "/memory.limit_in_bytes"), std::to_string(limits.memory_bytes)));
  if (v2_) WriteFile(memory_dir_ + "/memory.swap.max", "0");
  if (cpu) {
    constexpr uint64_t kPeriod = 100000;  // µs
    const auto quota = static_cast<uint64_t>(limits.cpus * kPeriod);
    const std::string& dir = dirs_.back();
    if (v2_) {
      CORDON_TRY(set(dir + "/cpu.max", std::to_string(quota) + " " + std::to_string(kPeriod)));
    } else {
      CORDON_TRY(set(dir + "/cpu.cfs_period_us", std::to_string(kPeriod)));
      CORDON_TRY(set(dir + "/cpu.cfs_quota_us", std::to_string(quota)));
    }
  }
  return {};
}

Result<void> Sandbox::Enter(pid_t pid) const {
  for (const std::string& dir : dirs_) {
    if (!WriteFile(dir + "/cgroup.procs", std::to_string(pid))) return ErrnoError("move the sandbox into " + dir);
  }
  return {};
}

Usage ReadUsage(bool v2, const std::string& memory_dir, const std::string& pids_dir) {
  Usage u;
  u.known = true;
  if (v2) {
    u.peak_memory = Number(ReadFile(memory_dir + "/memory.peak"));
    u.memory_limit_hit = KeyedValue(ReadFile(memory_dir + "/memory.events"), "oom_kill") > 0;
  } else {
    u.peak_memory = Number(ReadFile(memory_dir + "/memory.max_usage_in_bytes"));
    const std::string oom = ReadFile(memory_dir + "/memory.oom_control");
    // oom_kill is there since Linux 4.13; before, a failed charge (failcnt) is the best sign.
    u.memory_limit_hit = oom.find("oom_kill ") != std::string::npos
                             ? KeyedValue(oom, "oom_kill") > 0
                             : Number(ReadFile(memory_dir + "/memory.failcnt")) > 0;
  }
  u.pids_limit_hits = KeyedValue(ReadFile(pids_dir + "/pids.events"), "max");
  return u;
}

Usage Sandbox::ReadUsage() const {
  if (dirs_.empty()) return {};
  return cgroups::ReadUsage(v2_, memory_dir_, pids_dir_);
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
  const std::string cpu = p.cpu_parent.empty() ? " (no cpu controller: limits.cpus is refused)" : " + cpu";
  if (p.v2) return "cgroup v2, delegated: " + p.pids_parent + cpu;
  std::string v2 = MountTable::Read().Find("cgroup2", "").empty() ? "no cgroup v2 mount"
                                                   : "cgroup v2 does not delegate pids+memory to this caller";
  if (p.pids_parent.empty()) return "";
  return "cgroup v1 pids + memory" + cpu + " (" + v2 + "): " + p.pids_parent + ", " + p.memory_parent;
}

}  // namespace cordon::linux_backend::cgroups
