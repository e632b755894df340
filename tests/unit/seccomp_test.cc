// seccomp: the program compiles, the embedded copy is current, and the refused list names the dangerous syscalls.
#include "linux/seccomp.h"

#include <gtest/gtest.h>
#include <linux/filter.h>
#include <seccomp.h>

#include <set>
#include <string>

namespace cordon::linux_backend::seccomp {
namespace {

TEST(Seccomp, CompileProducesAProgram) {
  Program p;
  Result<void> r = Compile(p);
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
  ASSERT_TRUE(Compile(a).ok());
  ASSERT_TRUE(Compile(b).ok());
  ASSERT_EQ(a.filter.size(), b.filter.size());
  for (size_t i = 0; i < a.filter.size(); ++i) {
    EXPECT_EQ(a.filter[i].code, b.filter[i].code) << i;
    EXPECT_EQ(a.filter[i].k, b.filter[i].k) << i;
  }
}

// The program embedded at build time is the one the current rules compile to (no stale build).
TEST(Seccomp, PrebuiltMatchesCompile) {
  Program fresh;
  ASSERT_TRUE(Compile(fresh).ok());
  const Program& built = Prebuilt();
  ASSERT_EQ(built.filter.size(), fresh.filter.size());
  for (size_t i = 0; i < fresh.filter.size(); ++i) {
    EXPECT_EQ(built.filter[i].code, fresh.filter[i].code) << i;
    EXPECT_EQ(built.filter[i].jt, fresh.filter[i].jt) << i;
    EXPECT_EQ(built.filter[i].jf, fresh.filter[i].jf) << i;
    EXPECT_EQ(built.filter[i].k, fresh.filter[i].k) << i;
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
