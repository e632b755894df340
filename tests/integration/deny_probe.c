// Makes syscalls cordon's seccomp filter refuses and prints the errno each got, one line per operation:
// "OP ERRNO" (e.g. "ptrace EPERM"), or "OP ok" when the call succeeded. Used by run_denials.sh and by
// bench/audit (a loop of refused calls). Every call's arguments make it fail harmlessly when nothing refuses it
// (no target, a bad fd, invalid flags): run natively, even as root, it changes nothing.
//
//   deny_probe OP [COUNT]        OP COUNT times (default 1); prints the errno of the last call, or "mixed",
//                                and with COUNT > 1 the time per call on stderr
//   deny_probe all               every OP once
//   deny_probe list              the OPs, with the syscall name the filter sees
//   deny_probe hold-listener CMD ARGS...
//                                installs a seccomp filter with a listener (notifying on a syscall nobody makes),
//                                keeps the listener open and execs CMD: cordon inside another sandbox that uses
//                                one (its own listener is then refused with EBUSY)
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long op_ptrace(void) { return ptrace(PTRACE_PEEKDATA, 0, NULL, NULL); }
static long op_mount(void) { return mount("none", "/nonexistent-cordon-probe", "tmpfs", 0, NULL); }
static long op_bpf(void) { return syscall(SYS_bpf, 0, NULL, 0); }
static long op_io_uring(void) { return syscall(SYS_io_uring_setup, 1, NULL); }
static long op_keyctl(void) { return syscall(SYS_keyctl, 0, 0, 0, 0, 0); }
static long op_unshare(void) { return syscall(SYS_unshare, ~0UL); }
static long op_clone_newns(void) { return syscall(SYS_clone, CLONE_NEWUSER | CLONE_FS | SIGCHLD, 0, 0, 0, 0); }
static long op_tiocsti(void) {
  char c = 'x';
  return ioctl(-1, TIOCSTI, &c);
}
static long op_personality(void) {  // PER_LINUX32, undone if it was allowed
  int old = personality(0xffffffff);
  long r = syscall(SYS_personality, PER_LINUX32);
  if (r != -1) personality((unsigned long)old);
  return r;
}
static long op_netlink(void) { return socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0); }
static long op_x86(void) {  // getpid (20) through the 32-bit entry point
  long r = 20;
  __asm__ volatile("int $0x80" : "+a"(r) : : "memory");
  if (r < 0 && r > -4096) {
    errno = (int)-r;
    return -1;
  }
  return r;
}
static long op_x32(void) { return syscall(0x40000000 | 39); }  // getpid through the x32 bit
static long op_clone3(void) {                                      // compatibility: ENOSYS, not a denial
  return syscall(SYS_clone3, NULL, 0);
}
static long op_openat2(void) { return syscall(SYS_openat2, AT_FDCWD, ".", NULL, 0); }

struct op {
  const char* name;
  const char* syscall;  // the name cordon reports
  long (*fn)(void);
};
static const struct op kOps[] = {
    {"ptrace", "ptrace", op_ptrace},          {"mount", "mount", op_mount},
    {"bpf", "bpf", op_bpf},                   {"io_uring_setup", "io_uring_setup", op_io_uring},
    {"keyctl", "keyctl", op_keyctl},          {"unshare", "unshare", op_unshare},
    {"clone_newuser", "clone", op_clone_newns}, {"tiocsti", "ioctl", op_tiocsti},
    {"personality", "personality", op_personality}, {"netlink", "socket", op_netlink},
    {"x86", "getpid", op_x86},                {"x32", "getpid", op_x32},
    {"clone3", "clone3", op_clone3},          {"openat2", "openat2", op_openat2},
};
enum { kOpCount = sizeof(kOps) / sizeof(kOps[0]) };

static double now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static void run(const struct op* o, long count) {
  int last = 0, mixed = 0;
  double start = now_ns();
  for (long i = 0; i < count; ++i) {
    errno = 0;
    long r = o->fn();
    int e = r == -1 ? errno : 0;
    if (i > 0 && e != last) mixed = 1;
    last = e;
  }
  double per_call = count > 0 ? (now_ns() - start) / (double)count : 0;
  printf("%s %s\n", o->name, mixed ? "mixed" : last == 0 ? "ok" : strerrorname_np(last));
  if (count > 1) fprintf(stderr, "# %s: %ld calls, %.0f ns per call\n", o->name, count, per_call);
}

static int hold_listener(char** argv) {
  // Notify on afs_syscall (183, never implemented); allow everything else.
  struct sock_filter f[] = {
      BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
      BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 183, 0, 1),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_USER_NOTIF),
      BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
  };
  struct sock_fprog prog = {sizeof(f) / sizeof(f[0]), f};
  if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) return perror("no_new_privs"), 2;
  int fd = (int)syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, SECCOMP_FILTER_FLAG_NEW_LISTENER, &prog);
  if (fd < 0) return perror("seccomp"), 2;
  int keep = fcntl(fd, F_GETFD);
  fcntl(fd, F_SETFD, keep & ~FD_CLOEXEC);  // open across exec: the listener must outlive this program
  execvp(argv[0], argv);
  perror(argv[0]);
  return 127;
}

int main(int argc, char** argv) {
  if (argc < 2) return fprintf(stderr, "usage: deny_probe OP [COUNT] | all | list | hold-listener CMD...\n"), 2;
  if (strcmp(argv[1], "hold-listener") == 0 && argc > 2) return hold_listener(argv + 2);
  setvbuf(stdout, NULL, _IOLBF, 0);
  for (int i = 0; i < kOpCount; ++i) {
    if (strcmp(argv[1], "list") == 0) printf("%s %s\n", kOps[i].name, kOps[i].syscall);
    if (strcmp(argv[1], "all") == 0) run(&kOps[i], 1);
    if (strcmp(argv[1], kOps[i].name) == 0) {
      run(&kOps[i], argc > 2 ? atol(argv[2]) : 1);
      return 0;
    }
  }
  if (strcmp(argv[1], "all") == 0 || strcmp(argv[1], "list") == 0) return 0;
  return fprintf(stderr, "deny_probe: unknown operation %s\n", argv[1]), 2;
}
