#include "linux/fs_layout.h"
#include "linux/fs_util.h"
#include "linux/secret_search.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <climits>
#include <map>
#include <optional>
#include <set>

#include "policy/paths.h"

namespace cordon::linux_backend::fs {
namespace {

using policy::Access;
using policy::IsSameOrUnder;
using policy::PathRule;

int Depth(const std::string& p) { return p == "/" ? 0 : static_cast<int>(std::count(p.begin(), p.end(), '/')); }

uint64_t RightsOf(Access a) {
  switch (a) {
    case Access::kRead: return landlock::kReadRights;
    case Access::kWrite: return landlock::kAllRights;
    case Access::kDeny: return 0;
  }
  return 0;
}

// Answers "is there anything at this path?" for many paths in few directories with one directory listing
// each instead of an lstat per path: most of the default deny list (~/.aws, ~/.config/gcloud, ...) is absent
// on any one machine. A directory that cannot be listed falls back to lstat.
class Presence {
 public:
  bool MaybeThere(const std::string& path) {
    if (path == "/") return true;
    std::string parent = policy::ParentPath(path);
    if (!MaybeThere(parent)) return false;
    auto it = listings_.find(parent);
    if (it == listings_.end()) it = listings_.emplace(parent, List(parent)).first;
    if (!it->second) return true;  // unlistable: let lstat decide
    return it->second->count(path.substr(parent == "/" ? 1 : parent.size() + 1)) > 0;
  }

 private:
  static std::optional<std::set<std::string>> List(const std::string& dir) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return errno == ENOENT || errno == ENOTDIR ? std::optional(std::set<std::string>{}) : std::nullopt;
    std::set<std::string> names;
    while (dirent* e = readdir(d)) names.insert(e->d_name);
    closedir(d);
    return names;
  }
  std::map<std::string, std::optional<std::set<std::string>>> listings_;
};

// Resolves symlinks in rule paths so mounts and Landlock act on what the kernel will see. A symlink named
// by a read/write rule is recreated in the skeleton (see `links`), and its target gets the rule.
Result<std::vector<PathRule>> Canonicalize(const std::vector<PathRule>& in,
                                           std::vector<std::pair<std::string, std::string>>* links) {
  std::map<std::string, PathRule> out;
  auto put = [&](PathRule r) {
    auto [it, inserted] = out.try_emplace(r.path, r);
    if (!inserted && r.access > it->second.access) it->second = r;
  };
  Presence presence;
  for (const PathRule& r : in) {
    struct stat st {};
    bool there = r.access != Access::kDeny || presence.MaybeThere(r.path);
    if (!there) errno = ENOENT;
    if (!there || lstat(r.path.c_str(), &st) != 0) {
      if (r.access != Access::kDeny && r.origin.line > 0) {
        return Error{"path does not exist: " + r.path + " (" + r.origin.ToString() + ")", errno, {}};
      }
      continue;  // built-in roots this machine lacks; denied paths that are not there
    }
    std::string real = RealPath(r.path);
    if (real.empty()) continue;  // dangling symlink: nothing to show or hide
    if (real != r.path && S_ISLNK(st.st_mode) && r.access != Access::kDeny) {
      char target[PATH_MAX];
      ssize_t n = readlink(r.path.c_str(), target, sizeof(target) - 1);
      if (n > 0) links->emplace_back(r.path, std::string(target, static_cast<size_t>(n)));
    }
    PathRule c = r;
    c.path = real;
    put(c);
  }
  std::vector<PathRule> rules;
  for (auto& [path, r] : out) rules.push_back(r);
  return rules;
}

// The rule governing `path` among rules strictly above it.
std::optional<Access> ParentAccess(const std::vector<PathRule>& rules, const std::string& path) {
  if (path == "/") return std::nullopt;
  return policy::EffectiveAccess(rules, policy::ParentPath(path));
}

// Landlock can only add rights down a hierarchy. Where a rule's subtree holds a denied path, the rights
// that read a file (read, execute) go to each sibling entry on the way down instead of the rule's own
// directory, so they never reach the denied path. Every other right is granted on the rule itself, because a
// file created later in it must be writable: those rights do reach read-only and denied paths beneath, which
// the mount layer holds (read-only binds, read-only mode-000 masks).
class LandlockPlanner {
 public:
  static constexpr uint64_t kSecrecyRights = landlock::kReadFile | landlock::kExecute;

  explicit LandlockPlanner(const std::vector<PathRule>& rules) : rules_(rules) {}

  std::vector<landlock::Rule> Plan() {
    for (const PathRule& p : rules_) {
      if (p.access == Access::kDeny) continue;
      uint64_t rights = RightsOf(p.access);
      std::vector<std::string> below;
      uint64_t common = rights & kSecrecyRights;
      for (const PathRule& q : rules_) {
        if (q.path == p.path || !IsSameOrUnder(q.path, p.path)) continue;
        common &= RightsOf(q.access);
        below.push_back(q.path);
      }
      out_.push_back({p.path, (rights & ~kSecrecyRights) | common});
      uint64_t missing = rights & kSecrecyRights & ~common;
      if (missing != 0) Expand(p.path, missing, TopLevel(below));
    }
    return std::move(out_);
  }

 private:
  static std::vector<std::string> TopLevel(const std::vector<std::string>& paths) {
    std::vector<std::string> top;
    for (const std::string& a : paths) {
      bool nested = std::any_of(paths.begin(), paths.end(),
                                [&](const std::string& b) { return b != a && IsSameOrUnder(a, b); });
      if (!nested) top.push_back(a);
    }
    return top;
  }

  static bool IsLink(const std::string& path, unsigned char d_type) {
    if (d_type != DT_UNKNOWN) return d_type == DT_LNK;
    struct stat st {};
    return lstat(path.c_str(), &st) != 0 || S_ISLNK(st.st_mode);
  }

  void Expand(const std::string& dir, uint64_t missing, const std::vector<std::string>& holes) {
    DIR* d = opendir(dir.c_str());
    if (d == nullptr) return;
    std::vector<std::pair<std::string, unsigned char>> entries;  // path, d_type
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != "..") entries.emplace_back(Join(dir, name), e->d_type);
    }
    closedir(d);
    for (const auto& [full, type] : entries) {
      if (std::find(holes.begin(), holes.end(), full) != holes.end()) continue;  // has its own rule
      std::vector<std::string> inner;
      for (const std::string& h : holes) {
        if (IsSameOrUnder(h, full)) inner.push_back(h);
      }
      if (!inner.empty()) {
        Expand(full, missing, inner);
        continue;
      }
      if (IsLink(full, type)) continue;  // a link's target has its own rule
      out_.push_back({full, missing});
    }
  }

  const std::vector<PathRule>& rules_;
  std::vector<landlock::Rule> out_;
};

// Orders mount operations and creates the mount points they need: in the skeleton root, inside fresh
// mounts (tmpfs, masks), but never inside a bind, whose contents are the host's.
class OpBuilder {
 public:
  void Add(Op op) {
    op.rel = op.dst == "/" ? "." : op.dst.substr(1);
    switch (op.kind) {
      case OpKind::kBind:
      case OpKind::kBindDevice: mounts_.push_back({op.dst, true}); break;
      case OpKind::kTmpfs:
      case OpKind::kProc:
      case OpKind::kDevpts:
      case OpKind::kMaskDir: mounts_.push_back({op.dst, false}); break;
      case OpKind::kMkdir:
      case OpKind::kTouch:
      case OpKind::kSymlink: made_.insert(op.dst); break;
      case OpKind::kMaskFile:
      case OpKind::kReadOnly:
      case OpKind::kSeal: break;
    }
    if (op.kind == OpKind::kMaskDir) seals_.push_back({.kind = OpKind::kSeal, .dst = op.dst, .optional = op.optional});
    ops_.push_back(std::move(op));
  }
  void Root(bool host) {
    if (host) mounts_.push_back({"/", true});
  }
  // Creates the directories leading to `dst` where nothing provides them.
  void Parents(const std::string& dst) {
    std::string parent = policy::ParentPath(dst);
    if (parent == "/" || dst == "/" || Provides(parent)) return;
    Parents(parent);
    Add({OpKind::kMkdir, parent});
  }
  void MountPoint(const std::string& dst, bool dir) {
    Parents(dst);
    if (!Provides(dst)) Add({dir ? OpKind::kMkdir : OpKind::kTouch, dst});
  }
  // Whether `p` exists in the sandbox at this point of the build.
  bool Provides(const std::string& p) const {
    const Mount* nearest = nullptr;
    for (const Mount& m : mounts_) {
      if (IsSameOrUnder(p, m.path) && (nearest == nullptr || m.path.size() >= nearest->path.size())) nearest = &m;
    }
    if (nearest != nullptr && nearest->path == p) return true;
    if (nearest != nullptr && nearest->host) return true;
    return p == "/" || made_.count(p) > 0;
  }
  // The ops, then the masks made read-only (they stay writable until mount points inside them exist).
  std::vector<Op> Take() {
    // A mask that holds mount points must let the way through to them: search only, still no listing.
    for (Op& mask : ops_) {
      if (mask.kind != OpKind::kMaskDir) continue;
      bool holds = std::any_of(ops_.begin(), ops_.end(),
                               [&](const Op& o) { return o.dst != mask.dst && IsSameOrUnder(o.dst, mask.dst); });
      if (holds) mask.options = "mode=0111,size=4k";
    }
    for (Op& seal : seals_) Add(std::move(seal));
    seals_.clear();
    return std::move(ops_);
  }

 private:
  struct Mount {
    std::string path;
    bool host;  // a bind of host content, as opposed to a fresh filesystem cordon fills
  };
  std::vector<Op> ops_;
  std::vector<Op> seals_;
  std::vector<Mount> mounts_;
  std::set<std::string> made_;
};

// Everything the search's result depends on, as one line (the cache key).
std::string SearchKey(const plan::LaunchPlan& plan, const std::vector<PathRule>& rules,
                      const std::vector<std::pair<std::string, int>>& roots) {
  std::string key = "uid=" + std::to_string(geteuid()) + " ws=" + plan.workspace + " env=" +
                    (plan.hidden_env_roots.empty() ? "0" : "1");
  for (const auto& [root, depth] : roots) key += " root=" + root + ":" + std::to_string(depth);
  for (const std::string& s : plan.unix_sockets) key += " sock=" + s;
  for (const PathRule& r : rules) key += " " + std::string(policy::AccessName(r.access)) + "=" + r.path;
  return key;
}

// What must be hidden in the visible roots: .env files and host sockets (cached between runs, see
// scan_cache.h), and for a root caller the non-world-readable files under /etc (searched every run).
Result<std::vector<PathRule>> SearchSecrets(const plan::LaunchPlan& plan, const std::vector<PathRule>& rules) {
  std::vector<std::string> names = plan.scan_roots;
  names.insert(names.end(), plan.hidden_env_roots.begin(), plan.hidden_env_roots.end());
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  std::vector<std::pair<std::string, int>> roots;  // resolved root, depth
  for (const std::string& name : names) {
    std::string real = RealPath(name);
    if (real.empty()) continue;
    auto depth = plan.scan_depth.find(name);
    roots.emplace_back(real, depth == plan.scan_depth.end() ? SecretScanner::kMaxDepth : depth->second);
  }
  auto too_many = [](const std::string& root) {
    return MakeError("too many files under " + root + " to search it for .env files and sockets (over " +
                     std::to_string(SecretScanner::kMaxEntries) +
                     "): narrow the readable roots, or set filesystem.hide_env_files = false");
  };

  std::vector<PathRule> found;
  ScanCache cache(SearchKey(plan, rules, roots));
  if (std::optional<std::vector<PathRule>> cached = cache.Load()) {
    found = std::move(*cached);
  } else {
    SecretScanner scanner(rules, plan.workspace, plan.unix_sockets);
    bool complete = true;
    for (const auto& [root, depth] : roots) {
      SecretScanner::Want want;
      want.sockets = true;
      want.env_files = !plan.hidden_env_roots.empty();
      if (!scanner.Scan(root, want, depth)) {
        if (!plan.best_effort) return too_many(root);
        complete = false;
      }
    }
    found = std::move(scanner.found());
    if (complete) cache.Store(scanner.dirs(), found);
  }
  // For a root caller the sandbox runs as the host's uid 0, so file modes stop nothing: hide what only its
  // owner or group may read under /etc.
  if (geteuid() == 0) {
    SecretScanner scanner(rules, plan.workspace, plan.unix_sockets);
    SecretScanner::Want want;
    want.private_files = true;
    if (!scanner.Scan("/etc", want, SecretScanner::kMaxDepth) && !plan.best_effort) return too_many("/etc");
    for (PathRule& f : scanner.found()) found.push_back(std::move(f));
  }
  return found;
}

}  // namespace

const char* OpKindName(OpKind k) {
  switch (k) {
    case OpKind::kMkdir: return "mkdir";
    case OpKind::kTouch: return "touch";
    case OpKind::kSymlink: return "symlink";
    case OpKind::kBind: return "bind";
    case OpKind::kBindDevice: return "bind-device";
    case OpKind::kMaskDir: return "mask-dir";
    case OpKind::kMaskFile: return "mask-file";
    case OpKind::kTmpfs: return "tmpfs";
    case OpKind::kProc: return "proc";
    case OpKind::kDevpts: return "devpts";
    case OpKind::kReadOnly: return "read-only";
    case OpKind::kSeal: return "seal";
  }
  return "?";
}

Result<Layout> Compile(const plan::LaunchPlan& plan) {
  Layout layout;
  std::vector<std::pair<std::string, std::string>> links;
  CORDON_ASSIGN_OR_RETURN(std::vector<PathRule> rules, Canonicalize(plan.fs, &links));

  CORDON_ASSIGN_OR_RETURN(std::vector<PathRule> hidden, SearchSecrets(plan, rules));
  for (PathRule& f : hidden) {
    if (f.origin.file == kEnvFileReason) layout.hidden_env_files.push_back(f.path);
    rules.push_back(std::move(f));
  }
  // One rule per path; on a tie the strongest (deny > write > read) stays.
  std::sort(rules.begin(), rules.end(), [](const PathRule& a, const PathRule& b) {
    return a.path != b.path ? a.path < b.path : a.access > b.access;
  });
  rules.erase(std::unique(rules.begin(), rules.end(),
                          [](const PathRule& a, const PathRule& b) { return a.path == b.path; }),
              rules.end());

  // A rule that says what its parent already says adds nothing (e.g. /bin resolved to /usr/bin under /usr),
  // and a denied path matters only where something above it is visible.
  const std::vector<PathRule> all = rules;
  std::erase_if(rules, [&](const PathRule& r) {
    auto parent = ParentAccess(all, r.path);
    if (r.access == Access::kDeny) return !parent || *parent == Access::kDeny;
    return parent && *parent == r.access;
  });
  layout.rules = rules;
  layout.root_is_host = std::any_of(rules.begin(), rules.end(),
                                    [](const PathRule& r) { return r.path == "/" && r.access != Access::kDeny; });

  // The sandbox's own /tmp, /proc and /dev first: a workspace under /tmp is bound on top of the private one.
  OpBuilder ops;
  ops.Root(layout.root_is_host);
  ops.MountPoint("/tmp", true);
  ops.Add({OpKind::kTmpfs, "/tmp", "", "", true, "mode=1777,size=" + std::to_string(plan.limits.tmp_size_bytes)});
  ops.MountPoint("/proc", true);
  ops.Add({OpKind::kProc, "/proc"});
  // procfs knobs that act on the whole machine: a root caller's sandbox runs as the host's uid 0, and
  // /proc/sys and /proc/sysrq-trigger check that uid rather than capabilities. Read-only, or masked.
  for (const char* ro : {"/proc/sys", "/proc/sysrq-trigger", "/proc/irq", "/proc/bus", "/proc/fs"}) {
    ops.Add({.kind = OpKind::kReadOnly, .dst = ro, .optional = true});
  }
  for (const char* f : {"/proc/kcore", "/proc/keys", "/proc/timer_list", "/proc/sched_debug", "/proc/latency_stats",
                        "/proc/kmsg", "/proc/kallsyms", "/proc/kpagecount", "/proc/kpageflags", "/proc/kpagecgroup"}) {
    ops.Add({.kind = OpKind::kMaskFile, .dst = f, .optional = true});
  }
  for (const char* d : {"/proc/acpi", "/proc/scsi", "/proc/asound", "/proc/driver"}) {
    ops.Add({.kind = OpKind::kMaskDir, .dst = d, .optional = true});
  }
  ops.MountPoint("/dev", true);
  ops.Add({OpKind::kTmpfs, "/dev", "", "", true, "mode=0755,size=65536"});
  for (const char* dev : {"null", "zero", "full", "random", "urandom", "tty"}) {
    std::string dst = std::string("/dev/") + dev;
    ops.Add({OpKind::kTouch, dst});
    ops.Add({OpKind::kBindDevice, dst, "", dst, true});
  }
  ops.Add({OpKind::kMkdir, "/dev/pts"});
  ops.Add({OpKind::kDevpts, "/dev/pts"});
  ops.Add({OpKind::kMkdir, "/dev/shm"});
  ops.Add({OpKind::kTmpfs, "/dev/shm", "", "", true, "mode=1777,size=" + std::to_string(plan.limits.tmp_size_bytes)});
  for (auto [name, target] : {std::pair{"ptmx", "pts/ptmx"}, {"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
                              {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}}) {
    ops.Add({OpKind::kSymlink, std::string("/dev/") + name, "", target});
  }
  // Mount operations, parents before children.
  // Pinned directories (git directories in the workspace) are mounted on themselves: a mount point cannot
  // be renamed or removed, so the sandbox cannot swap in a directory of its own.
  std::vector<PathRule> ordered = rules;
  for (const std::string& pin : plan.pinned) {
    struct stat st {};
    if (lstat(pin.c_str(), &st) == 0 && S_ISDIR(st.st_mode)) ordered.push_back({pin, Access::kWrite, {"pinned", 0}});
  }
  std::stable_sort(ordered.begin(), ordered.end(),
                   [](const PathRule& a, const PathRule& b) { return Depth(a.path) < Depth(b.path); });
  for (const PathRule& r : ordered) {
    struct stat st {};
    if (stat(r.path.c_str(), &st) != 0) continue;
    bool dir = S_ISDIR(st.st_mode);
    if (r.access == Access::kDeny) {
      ops.Add({dir ? OpKind::kMaskDir : OpKind::kMaskFile, r.path});
      continue;
    }
    if (r.path != "/") ops.MountPoint(r.path, dir);
    ops.Add({OpKind::kBind, r.path, "", r.path, r.access == Access::kWrite});
  }
  for (const auto& [link, target] : links) {
    if (ops.Provides(link)) continue;
    ops.Parents(link);
    ops.Add({OpKind::kSymlink, link, "", target});
  }
  for (const std::string& sock : plan.unix_sockets) {
    struct stat st {};
    if (stat(sock.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) {
      return Error{"unix socket named by the policy is not a socket: " + sock, errno, {}};
    }
    ops.MountPoint(sock, false);
    ops.Add({OpKind::kBind, sock, "", sock, false});
  }
  // A home directory to stand in; /var/tmp as /tmp.
  if (!ops.Provides("/var/tmp")) {
    ops.Parents("/var/tmp");
    ops.Add({OpKind::kSymlink, "/var/tmp", "", "/tmp"});
  }
  if (!plan.home.empty() && plan.home != "/") ops.MountPoint(plan.home, true);
  layout.ops = ops.Take();

  // Landlock: the same rules, plus the sandbox's own mounts.
  layout.landlock = LandlockPlanner(rules).Plan();
  using namespace landlock;  // NOLINT(google-build-using-namespace)
  layout.landlock.push_back({"/", kReadDir, true});
  layout.landlock.push_back({"/tmp", kAllRights, true});
  layout.landlock.push_back({"/dev/shm", kAllRights, true});
  layout.landlock.push_back({"/dev", kReadFile | kWriteFile | kReadDir | kIoctlDev | kTruncate, true});
  layout.landlock.push_back({"/proc", kReadFile | kReadDir, true});  // nothing in /proc is written
  return layout;
}

}  // namespace cordon::linux_backend::fs
