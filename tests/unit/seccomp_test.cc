// seccomp: both programs compile, the embedded copies are current, the notifying one differs only in how it
// answers, the refused list names the dangerous syscalls, and the embedded names resolve.
#include "linux/seccomp.h"

#include <gtest/gtest.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <seccomp.h>

#include <cstring>
#include <set>
#include <string>

namespace cordon::linux_backend::seccomp {
namespace {

TEST(Seccomp, CompileProducesAProgram) {
  Program p;
  Result<void> r = Compile(p, Refusal::kErrno);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_FALSE(p.filter.empty());
  EXPECT_LE(p.filter.size(), static_cast<size_t>(BPF_MAXINSNS));
  // A classic BPF program ends in a return.
  EXPECT_EQ(BPF_CLASS(p.filter.back().code), BPF_RET);
  // The first instruction loads the architecture (seccomp_data.arch at offset 4) to check it.
  EXPECT_EQ(p.filter.front().code, BPF_LD | BPF_W | BPF_ABS);
  EXPECT_EQ(p.filter.front().k, 4u);
}

TEST(Seccomp, CompileIsDeterministic) {
  Program a, b;
  ASSERT_TRUE(Compile(a, Refusal::kErrno).ok());
  ASSERT_TRUE(Compile(b, Refusal::kErrno).ok());
  ASSERT_EQ(a.filter.size(), b.filter.size());
  for (size_t i = 0; i < a.filter.size(); ++i) {
    EXPECT_EQ(a.filter[i].code, b.filter[i].code) << i;
    EXPECT_EQ(a.filter[i].k, b.filter[i].k) << i;
  }
}

// The programs embedded at build time are the ones the current rules compile to (no stale build).
TEST(Seccomp, PrebuiltMatchesCompile) {
  for (Refusal refusal : {Refusal::kErrno, Refusal::kNotify}) {
    SCOPED_TRACE(refusal == Refusal::kErrno ? "errno" : "notify");
    Program fresh;
    ASSERT_TRUE(Compile(fresh, refusal).ok());
    const Program& built = Prebuilt(refusal);
    ASSERT_EQ(built.filter.size(), fresh.filter.size());
    for (size_t i = 0; i < fresh.filter.size(); ++i) {
      EXPECT_EQ(built.filter[i].code, fresh.filter[i].code) << i;
      EXPECT_EQ(built.filter[i].jt, fresh.filter[i].jt) << i;
      EXPECT_EQ(built.filter[i].jf, fresh.filter[i].jf) << i;
      EXPECT_EQ(built.filter[i].k, fresh.filter[i].k) << i;
    }
  }
}

// The notifying program is the plain one with every EPERM answer turned into a notification; the ENOSYS
// answers (clone3, openat2) stay the filter's own.
TEST(Seccomp, NotifyDiffersOnlyInTheRefusals) {
  const Program& plain = Prebuilt(Refusal::kErrno);
  const Program& notify = Prebuilt(Refusal::kNotify);
  ASSERT_EQ(plain.filter.size(), notify.filter.size());
  int refusals = 0, enosys = 0;
  for (size_t i = 0; i < plain.filter.size(); ++i) {
    const sock_filter& a = plain.filter[i];
    const sock_filter& b = notify.filter[i];
    EXPECT_EQ(a.code, b.code) << i;
    EXPECT_EQ(a.jt, b.jt) << i;
    EXPECT_EQ(a.jf, b.jf) << i;
    if (a.code == (BPF_RET | BPF_K) && a.k == (SECCOMP_RET_ERRNO | EPERM)) {
      EXPECT_EQ(b.k, SECCOMP_RET_USER_NOTIF) << i;
      ++refusals;
    } else {
      EXPECT_EQ(a.k, b.k) << i;
      if (a.code == (BPF_RET | BPF_K) && a.k == (SECCOMP_RET_ERRNO | ENOSYS)) ++enosys;
    }
    EXPECT_NE(a.k, SECCOMP_RET_USER_NOTIF) << i;
  }
  EXPECT_GT(refusals, 0);
  EXPECT_GT(enosys, 0);
}

TEST(Seccomp, EmbeddedNamesResolve) {
  EXPECT_STREQ(NameOf(AUDIT_ARCH_X86_64, 101), "ptrace");
  EXPECT_STREQ(NameOf(AUDIT_ARCH_X86_64, 0), "read");
  EXPECT_STREQ(NameOf(AUDIT_ARCH_I386, 20), "getpid");
  EXPECT_STREQ(NameOf(AUDIT_ARCH_X86_64, 0x40000000 | 39), "getpid");  // x32
  EXPECT_EQ(NameOf(AUDIT_ARCH_X86_64, 100000), nullptr);
  EXPECT_EQ(NameOf(0x12345678, 1), nullptr);
  // Every refused syscall this architecture has is named.
  for (const char* n : RefusedSyscalls()) {
    int nr = seccomp_syscall_resolve_name(n);
    if (nr == __NR_SCMP_ERROR || nr < 0) continue;
    const char* name = NameOf(seccomp_arch_native(), nr);
    ASSERT_NE(name, nullptr) << n;
    EXPECT_STREQ(name, n);
  }
}

TEST(Seccomp, RefusedSyscallsIncludeTheDangerousOnes) {
  std::set<std::string> refused;
  for (const char* n : RefusedSyscalls()) refused.insert(n);
  for (const char* n : {"ptrace", "mount", "umount2", "pivot_root", "bpf", "io_uring_setup", "io_uring_enter",
                        "io_uring_register", "keyctl", "add_key", "request_key", "unshare", "setns", "userfaultfd",
                        "perf_event_open", "kexec_load", "init_module", "finit_module", "open_by_handle_at",
                        "process_vm_readv", "process_vm_writev", "fsopen", "move_mount", "open_tree", "chroot"}) {
    EXPECT_EQ(refused.count(n), 1u) << n;
  }
}

TEST(Seccomp, RefusedSyscallsAreKnownAndUnique) {
  std::set<std::string> seen;
  for (const char* n : RefusedSyscalls()) {
    EXPECT_TRUE(seen.insert(n).second) << "duplicate " << n;
  }
  // The core ones exist on this architecture (a typo would silently refuse nothing).
  for (const char* n : {"ptrace", "mount", "bpf", "io_uring_setup", "keyctl", "unshare", "setns", "userfaultfd",
                        "perf_event_open"}) {
    EXPECT_NE(seccomp_syscall_resolve_name(n), __NR_SCMP_ERROR) << n;
  }
}

TEST(Seccomp, EverydaySyscallsAreNotRefused) {
  std::set<std::string> refused;
  for (const char* n : RefusedSyscalls()) refused.insert(n);
  for (const char* n : {"read", "write", "openat", "close", "execve", "clone", "fork", "wait4", "mmap", "socket",
                        "connect", "ioctl", "prctl", "getdents64", "statx"}) {
    EXPECT_EQ(refused.count(n), 0u) << n;
  }
}

}  // namespace
}  // namespace cordon::linux_backend::seccomp
