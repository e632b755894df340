#include "linux/seccomp.h"

#include <linux/seccomp.h>
#include <seccomp.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <memory>
#include <vector>

#include "base/unique_fd.h"

namespace cordon::linux_backend::seccomp {
namespace {

constexpr unsigned long kTiocsti = 0x5412;
constexpr unsigned long kTioclinux = 0x541C;
constexpr unsigned long kTiocsetd = 0x5423;  // line discipline switch: n_gsm, n_hdlc... kernel attack surface
constexpr int kFchmodat2 = 452;  // x86_64; newer than libseccomp 2.5's tables
constexpr int kAfUnix = 1, kAfInet = 2, kAfInet6 = 10;
constexpr uint64_t kNamespaceFlags[] = {CLONE_NEWNS, CLONE_NEWUTS, CLONE_NEWIPC, CLONE_NEWUSER,
                                        CLONE_NEWPID, CLONE_NEWNET, CLONE_NEWCGROUP, 0x00000080 /*CLONE_NEWTIME*/};

struct CtxDeleter {
  void operator()(void* ctx) const { seccomp_release(ctx); }
};
using Ctx = std::unique_ptr<void, CtxDeleter>;

Error RuleError(const char* what, int rc) { return Error{std::string("seccomp rule for ") + what, -rc, {}}; }

}  // namespace

const std::vector<const char*>& RefusedSyscalls() {
  static const std::vector<const char*> kList = {
      // debugging other processes
      "ptrace", "process_vm_readv", "process_vm_writev", "process_madvise", "pidfd_getfd",
      // mounts and root changes
      "mount", "umount", "umount2", "pivot_root", "move_mount", "open_tree", "open_tree_attr", "fsopen",
      "fsconfig", "fsmount", "fspick", "mount_setattr", "chroot",
      // namespaces (clone with namespace flags is filtered by argument below)
      "unshare", "setns",
      // kernel attack surface
      "bpf", "perf_event_open", "keyctl", "add_key", "request_key", "io_uring_setup", "io_uring_enter",
      "io_uring_register", "userfaultfd", "kexec_load", "kexec_file_load", "init_module", "finit_module",
      "delete_module", "reboot", "swapon", "swapoff", "acct", "iopl", "ioperm", "syslog", "quotactl",
      "quotactl_fd", "lookup_dcookie", "nfsservctl", "open_by_handle_at", "name_to_handle_at", "fanotify_init",
      "settimeofday", "clock_settime", "clock_adjtime", "adjtimex", "uselib", "ustat", "sysfs", "_sysctl",
      "vhangup", "create_module", "get_kernel_syms", "query_module", "afs_syscall", "tuxcall", "security",
      "vserver", "modify_ldt"};
  return kList;
}

Result<void> Compile(Program& out) {
  Ctx ctx(seccomp_init(SCMP_ACT_ALLOW));
  if (!ctx) return MakeError("seccomp_init failed");
  const uint32_t eperm = SCMP_ACT_ERRNO(EPERM);
  // 32-bit (int 0x80) and x32 entry points get EPERM for every call: only the native ABI is allowed.
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_ACT_BADARCH, eperm); rc < 0) return RuleError("bad arch", rc);
  // A binary search over syscall numbers instead of a linear list: every syscall the command makes pays it.
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_OPTIMIZE, 2); rc < 0) return RuleError("optimize", rc);
  // no_new_privs is set by the child itself, before Landlock.
  if (int rc = seccomp_attr_set(ctx.get(), SCMP_FLTATR_CTL_NNP, 0); rc < 0) return RuleError("nnp", rc);

  for (const char* name : RefusedSyscalls()) {
    int nr = seccomp_syscall_resolve_name(name);
    if (nr == __NR_SCMP_ERROR) continue;  // not a syscall on this architecture
    if (int rc = seccomp_rule_add(ctx.get(), eperm, nr, 0); rc < 0) return RuleError(name, rc);
  }
  if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(clone3), 0); rc < 0) {
    return RuleError("clone3", rc);
  }
  for (uint64_t flag : kNamespaceFlags) {
    if (int rc = seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(clone), 1, SCMP_A0(SCMP_CMP_MASKED_EQ, flag, flag));
        rc < 0) {
      return RuleError("clone", rc);
    }
  }
  // ioctl's request is an unsigned int: compare only the low 32 bits, as the kernel does.
  for (unsigned long req : {kTiocsti, kTioclinux, kTiocsetd}) {
    if (int rc = seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(ioctl), 1,
                                  SCMP_A1(SCMP_CMP_MASKED_EQ, 0xffffffffull, static_cast<uint64_t>(req)));
        rc < 0) {
      return RuleError("ioctl", rc);
    }
  }
  // Socket families: only unix, inet and inet6. Everything else (netlink, packet, vsock, bluetooth, alg...)
  // is refused; the domain is an int, so the low 32 bits decide. Families >= 64 do not exist (EAFNOSUPPORT).
  for (int sys_nr : {SCMP_SYS(socket), SCMP_SYS(socketpair)}) {
    // Families 0, 3..9 and >= 11 (compared on all 64 bits: a value with high bits set is refused too).
    std::vector<scmp_arg_cmp> refused = {SCMP_A0(SCMP_CMP_LT, static_cast<uint64_t>(kAfUnix)),
                                         SCMP_A0(SCMP_CMP_GT, static_cast<uint64_t>(kAfInet6))};
    for (uint64_t family = kAfInet + 1; family < kAfInet6; ++family) refused.push_back(SCMP_A0(SCMP_CMP_EQ, family));
    for (const scmp_arg_cmp& cmp : refused) {
      if (int rc = seccomp_rule_add(ctx.get(), eperm, sys_nr, 1, cmp); rc < 0) return RuleError("socket", rc);
    }
  }
  // No setuid/setgid files: a file the sandbox marks so would, seen from the host, run as its owner (the
  // caller, or root for a root caller) for whoever executes it later. The mode argument of every call that
  // sets a mode is checked; openat2 hides its mode in a struct, so it gets ENOSYS and libc uses openat.
  struct ModeArg {
    int nr;
    unsigned arg;
  };
  const ModeArg mode_args[] = {{SCMP_SYS(chmod), 1}, {SCMP_SYS(fchmod), 1}, {SCMP_SYS(fchmodat), 2},
                               {kFchmodat2, 2},      {SCMP_SYS(open), 2},   {SCMP_SYS(openat), 3},
                               {SCMP_SYS(creat), 1}, {SCMP_SYS(mknod), 1},  {SCMP_SYS(mknodat), 2}};
  for (const ModeArg& m : mode_args) {
    for (uint64_t bit : {static_cast<uint64_t>(S_ISUID), static_cast<uint64_t>(S_ISGID)}) {
      scmp_arg_cmp cmp{m.arg, SCMP_CMP_MASKED_EQ, bit, bit};
      if (int rc = seccomp_rule_add(ctx.get(), eperm, m.nr, 1, cmp); rc < 0) return RuleError("set-id mode", rc);
    }
  }
  if (int rc = seccomp_rule_add(ctx.get(), SCMP_ACT_ERRNO(ENOSYS), SCMP_SYS(openat2), 0); rc < 0) {
    return RuleError("openat2", rc);
  }
  // personality: only the query (0xffffffff) and PER_LINUX (0) pass. Any other 32-bit value has some bit set
  // whose next bit (cyclically) is clear; one rule per such pair refuses it.
  for (int bit = 0; bit < 32; ++bit) {
    uint64_t set = 1ull << bit;
    uint64_t next = 1ull << ((bit + 1) % 32);
    if (int rc = seccomp_rule_add(ctx.get(), eperm, SCMP_SYS(personality), 1,
                                  SCMP_A0(SCMP_CMP_MASKED_EQ, set | next, set));
        rc < 0) {
      return RuleError("personality", rc);
    }
  }

  UniqueFd mem(memfd_create("cordon-seccomp", MFD_CLOEXEC));
  if (!mem.valid()) return ErrnoError("memfd_create for the seccomp program");
  if (int rc = seccomp_export_bpf(ctx.get(), mem.get()); rc < 0) return Error{"seccomp_export_bpf", -rc, {}};
  off_t size = lseek(mem.get(), 0, SEEK_END);
  if (size <= 0 || size % sizeof(sock_filter) != 0) return MakeError("seccomp program has an invalid size");
  out.filter.resize(static_cast<size_t>(size) / sizeof(sock_filter));
  if (pread(mem.get(), out.filter.data(), static_cast<size_t>(size), 0) != size) {
    return ErrnoError("reading the seccomp program");
  }
  return {};
}

}  // namespace cordon::linux_backend::seccomp
