#include "linux/mounts.h"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>

#include "base/syscalls.h"

namespace cordon::linux_backend::mounts {
namespace {

using fs::OpKind;

constexpr const char* kStaging = "/tmp";  // where the new root hangs until pivot_root; hides nothing we need

using Options = std::vector<std::pair<std::string, std::string>>;
// Built before clone: the child allocates nothing.
const Options kRootOptions = {{"mode", "0755"}, {"size", "16m"}};
const Options kMaskOptions = {{"mode", "0000"}, {"size", "4k"}};
const Options kPtsOptions = {{"newinstance", ""}, {"ptmxmode", "0666"}, {"mode", "0620"}};

std::vector<std::pair<std::string, std::string>> SplitOptions(const std::string& options) {
  std::vector<std::pair<std::string, std::string>> out;
  size_t i = 0;
  while (i < options.size()) {
    size_t comma = options.find(',', i);
    if (comma == std::string::npos) comma = options.size();
    std::string kv = options.substr(i, comma - i);
    size_t eq = kv.find('=');
    out.emplace_back(kv.substr(0, eq), eq == std::string::npos ? "" : kv.substr(eq + 1));
    i = comma + 1;
  }
  return out;
}

// A new filesystem instance as a detached mount. Returns the mount fd or -1 (errno set).
int NewFs(const char* type, const std::vector<std::pair<std::string, std::string>>& options, unsigned attrs) {
  int fsfd = fsopen(type, FSOPEN_CLOEXEC);
  if (fsfd < 0) return -1;
  for (const auto& [key, value] : options) {
    int rc = value.empty() ? fsconfig(fsfd, FSCONFIG_SET_FLAG, key.c_str(), nullptr, 0)
                           : fsconfig(fsfd, FSCONFIG_SET_STRING, key.c_str(), value.c_str(), 0);
    if (rc < 0) {
      int err = errno;
      close(fsfd);
      errno = err;
      return -1;
    }
  }
  if (fsconfig(fsfd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) < 0) {
    int err = errno;
    close(fsfd);
    errno = err;
    return -1;
  }
  int mnt = fsmount(fsfd, FSMOUNT_CLOEXEC, attrs);
  int err = errno;
  close(fsfd);
  errno = err;
  return mnt;
}

int SetAttr(int mnt, unsigned set, bool recursive) {
  mount_attr attr{};
  attr.attr_set = set;
  attr.propagation = MS_PRIVATE;
  return mount_setattr(mnt, "", AT_EMPTY_PATH | (recursive ? AT_RECURSIVE : 0), &attr, sizeof(attr));
}

// Opens a mount target beneath the new root without following any symlink out of it.
int OpenTarget(int root, const std::string& rel) {
  open_how how{};
  how.flags = O_PATH | O_CLOEXEC;
  how.resolve = RESOLVE_IN_ROOT | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS;
  return static_cast<int>(syscall(SYS_openat2, root, rel.c_str(), &how, sizeof(how)));
}

int Attach(int mnt, int root, const std::string& rel) {
  int target = OpenTarget(root, rel);
  if (target < 0) return -1;
  int rc = move_mount(mnt, "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH);
  int err = errno;
  close(target);
  close(mnt);
  errno = err;
  return rc;
}

// Mounts what is already at `rel` again, read-only (recursively).
int RemountReadOnly(int root, const std::string& rel) {
  int target = OpenTarget(root, rel);
  if (target < 0) return -1;
  int m = open_tree(target, "", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE | AT_EMPTY_PATH);
  int err = errno;
  close(target);
  if (m < 0) {
    errno = err;
    return -1;
  }
  if (SetAttr(m, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, true) != 0) {
    err = errno;
    close(m);
    errno = err;
    return -1;
  }
  return Attach(m, root, rel);
}

bool Fail(SetupFailure* f, const char* step, const std::string& path) {
  f->Set(step, errno, path.c_str());
  return false;
}

}  // namespace

Prepared Prepare(fs::Layout layout) {
  Prepared p;
  p.options.reserve(layout.ops.size());
  for (const fs::Op& op : layout.ops) p.options.push_back(SplitOptions(op.options));
  p.clone_fds.assign(layout.ops.size(), -1);
  p.layout = std::move(layout);
  return p;
}

bool Apply(const Prepared& p, SetupFailure* f) {
  const std::vector<fs::Op>& ops = p.layout.ops;
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Fail(f, "make / private", "/");

  // 1. Clone every bind source first: nothing mounted later can hide one.
  int root = -1;
  for (size_t i = 0; i < ops.size(); ++i) {
    const fs::Op& op = ops[i];
    if (op.kind != OpKind::kBind && op.kind != OpKind::kBindDevice) continue;
    int fd = open_tree(AT_FDCWD, op.src.c_str(), OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
    if (fd < 0) return Fail(f, "clone mount", op.src);
    unsigned attrs = MOUNT_ATTR_NOSUID;
    if (op.kind == OpKind::kBindDevice) attrs |= MOUNT_ATTR_NOEXEC;
    else attrs |= MOUNT_ATTR_NODEV;
    if (!op.writable) attrs |= MOUNT_ATTR_RDONLY;
    if (SetAttr(fd, attrs, true) != 0) return Fail(f, "set mount attributes", op.src);
    p.clone_fds[i] = fd;
    if (op.dst == "/") root = fd;
  }

  // 2. The new root: a small tmpfs skeleton, or the clone of the host's / when the policy reads all of it.
  if (root < 0) {
    root = NewFs("tmpfs", kRootOptions, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
    if (root < 0) return Fail(f, "create root tmpfs", "/");
  }
  if (move_mount(root, "", AT_FDCWD, kStaging, MOVE_MOUNT_F_EMPTY_PATH) != 0) return Fail(f, "attach new root", kStaging);
  int masks = NewFs("tmpfs", kMaskOptions, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
  if (masks < 0) return Fail(f, "create mask tmpfs", "");
  int empty = openat(masks, "empty", O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0);
  if (empty < 0) return Fail(f, "create mask file", "");
  close(empty);

  // 3. The layout, in order.
  for (size_t i = 0; i < ops.size(); ++i) {
    const fs::Op& op = ops[i];
    if (op.optional && faccessat(root, op.rel.c_str(), F_OK, AT_SYMLINK_NOFOLLOW) != 0) continue;
    switch (op.kind) {
      case OpKind::kReadOnly:
        if (RemountReadOnly(root, op.rel) != 0) return Fail(f, "make read-only", op.dst);
        break;
      case OpKind::kSeal: {
        int target = OpenTarget(root, op.rel);
        mount_attr attr{};
        attr.attr_set = MOUNT_ATTR_RDONLY;
        int rc = target < 0 ? -1 : mount_setattr(target, "", AT_EMPTY_PATH, &attr, sizeof(attr));
        if (target >= 0) close(target);
        if (rc != 0) return Fail(f, "seal mask", op.dst);
        break;
      }
      case OpKind::kMkdir:
        if (mkdirat(root, op.rel.c_str(), 0755) != 0 && errno != EEXIST) return Fail(f, "mkdir", op.dst);
        break;
      case OpKind::kTouch: {
        int fd = openat(root, op.rel.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644);
        if (fd < 0 && errno != EEXIST && errno != EROFS) return Fail(f, "create mount point", op.dst);
        if (fd >= 0) close(fd);
        break;
      }
      case OpKind::kSymlink:
        if (symlinkat(op.src.c_str(), root, op.rel.c_str()) != 0 && errno != EEXIST) return Fail(f, "symlink", op.dst);
        break;
      case OpKind::kBind:
      case OpKind::kBindDevice:
        if (op.dst == "/") break;
        if (Attach(p.clone_fds[i], root, op.rel) != 0) return Fail(f, "bind mount", op.dst);
        break;
      case OpKind::kMaskDir: {
        const Options& options = p.options[i].empty() ? kMaskOptions : p.options[i];
        int m = NewFs("tmpfs", options, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (m < 0 || Attach(m, root, op.rel) != 0) return Fail(f, "mask directory", op.dst);
        break;
      }
      case OpKind::kMaskFile: {
        int m = open_tree(masks, "empty", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC);
        if (m < 0 || SetAttr(m, MOUNT_ATTR_RDONLY | MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC, false) != 0 ||
            Attach(m, root, op.rel) != 0) {
          return Fail(f, "mask file", op.dst);
        }
        break;
      }
      case OpKind::kTmpfs: {
        int m = NewFs("tmpfs", p.options[i], MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV);
        if (m < 0 || Attach(m, root, op.rel) != 0) return Fail(f, "mount tmpfs", op.dst);
        break;
      }
      case OpKind::kProc: {
        int m = NewFs("proc", p.options[i], MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC);
        if (m < 0 || Attach(m, root, op.rel) != 0) return Fail(f, "mount proc", op.dst);
        break;
      }
      case OpKind::kDevpts: {
        int m = NewFs("devpts", kPtsOptions, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC);
        if (m < 0 || Attach(m, root, op.rel) != 0) return Fail(f, "mount devpts", op.dst);
        break;
      }
    }
  }
  close(masks);

  // 4. Into the new root; the old one is detached and unreachable.
  if (fchdir(root) != 0) return Fail(f, "enter new root", kStaging);
  if (sys::PivotRoot(".", ".") != 0) return Fail(f, "pivot_root", kStaging);
  if (umount2(".", MNT_DETACH) != 0) return Fail(f, "detach old root", "/");
  if (chdir("/") != 0) return Fail(f, "chdir", "/");
  close(root);
  if (!p.layout.root_is_host) {
    mount_attr attr{};
    attr.attr_set = MOUNT_ATTR_RDONLY;
    if (mount_setattr(AT_FDCWD, "/", 0, &attr, sizeof(attr)) != 0) return Fail(f, "make root read-only", "/");
  }
  return true;
}

}  // namespace cordon::linux_backend::mounts
