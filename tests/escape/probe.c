// probe.c — the attacks of cordon's escape suite, one subcommand each: `probe NAME [ARGS]`.
//
// Every attack prints exactly one line on stdout and exits with its verdict:
//   BLOCKED <name>: <operation> -> <errno name or detail>    exit 0
//   ESCAPED <name>: <what succeeded>                         exit 1
//   SKIPPED <name>: <why the attack cannot be attempted>     exit 77
// A usage error prints "ERROR <name>: ..." and exits 2.
//
// Run natively most attacks print ESCAPED: that is the calibration proving a probe can fail. Under cordon
// every attack must print BLOCKED. An attack on a file counts ENOENT as BLOCKED only because the harness
// (run_escape.sh) planted the target and checked that it exists outside the sandbox. A few attacks cannot
// judge alone (is a file visible on the host? did the sentinel get a signal?); their harness check is named
// in the description and may turn a BLOCKED into an ESCAPED (or a private-copy ESCAPED into a BLOCKED).
//
// Probes never damage the host when run natively: "write" attacks create uniquely named files the harness
// removes, "permission" attacks use arguments that fail harmlessly after the permission check (EPERM means
// refused; any other errno means the kernel let us past the check), and mount/hostname attacks refuse to act
// when they share the host's namespace while holding CAP_SYS_ADMIN.

#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <limits.h>
#include <linux/bpf.h>
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <linux/keyctl.h>
#include <linux/mount.h>
#include <linux/perf_event.h>
#include <linux/reboot.h>
#include <linux/userfaultfd.h>
#include <mqueue.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/fanotify.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/prctl.h>
#include <sys/ptrace.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/time.h>
#include <sys/timex.h>
#include <sys/types.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#if defined(__x86_64__)
#include <sys/io.h>
#endif

#define GIB (1024ull * 1024 * 1024)
#define MIB (1024ull * 1024)

// ---------------------------------------------------------------------------------------------------------
// Reporting: one line, once.

static const char* g_probe = "probe";
static int g_reported;

static int vreport(const char* verdict, int code, const char* fmt, va_list ap) {
  if (g_reported) return code;
  g_reported = 1;
  char msg[1536];
  vsnprintf(msg, sizeof msg, fmt, ap);
  for (char* p = msg; *p; p++)
    if (*p == '\n' || *p == '\r' || *p == '\t') *p = ' ';
  dprintf(STDOUT_FILENO, "%s %s: %s\n", verdict, g_probe, msg);
  return code;
}

__attribute__((format(printf, 1, 2))) static int blocked(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vreport("BLOCKED", 0, fmt, ap);
  va_end(ap);
  return r;
}

__attribute__((format(printf, 1, 2))) static int escaped(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vreport("ESCAPED", 1, fmt, ap);
  va_end(ap);
  return r;
}

__attribute__((format(printf, 1, 2))) static int skipped(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vreport("SKIPPED", 77, fmt, ap);
  va_end(ap);
  return r;
}

__attribute__((format(printf, 1, 2))) static int usage_error(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  int r = vreport("ERROR", 2, fmt, ap);
  va_end(ap);
  return r;
}

// "ENOENT" for ENOENT; the errno name is what the harness table shows.
static const char* en(int e) {
  const char* n = strerrorname_np(e);
  return n ? n : "E?";
}

// A syscall the sandbox must refuse. Arguments are chosen so that, past the permission check, the call fails
// harmlessly: EPERM/EACCES/ENOSYS mean refused, any other error means the kernel let the caller through.
static int gate(const char* op, long ret, int err) {
  if (ret >= 0) return escaped("%s succeeded (ret %ld)", op, ret);
  if (err == EPERM || err == EACCES || err == ENOSYS) return blocked("%s -> %s", op, en(err));
  return escaped("%s passed the permission check (failed later with %s)", op, en(err));
}

// Appends "label:ERRNO " to a small report buffer.
static void note(char* buf, size_t cap, const char* label, int err) {
  size_t len = strlen(buf);
  if (len + 2 >= cap) return;
  snprintf(buf + len, cap - len, "%s%s:%s", len ? " " : "", label, err ? en(err) : "ok");
}

static double now_s(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

// SECCOMP_RET_TRAP shows up as SIGSYS: that is a refusal too.
static const char* volatile g_op = "syscall";
static void on_sigsys(int sig) {
  (void)sig;
  blocked("%s -> SIGSYS (seccomp trap)", g_op);
  _exit(0);
}

// Reads up to cap-1 bytes of a file; -1 with errno on failure.
static ssize_t slurp_fd(int fd, char* buf, size_t cap) {
  size_t n = 0;
  while (n + 1 < cap) {
    ssize_t r = read(fd, buf + n, cap - 1 - n);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    if (r == 0) break;
    n += (size_t)r;
  }
  buf[n] = 0;
  return (ssize_t)n;
}

static ssize_t slurp_at(int dirfd, const char* path, char* buf, size_t cap) {
  int fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return -1;
  ssize_t n = slurp_fd(fd, buf, cap);
  int e = errno;
  close(fd);
  errno = e;
  return n;
}

static ssize_t slurp(const char* path, char* buf, size_t cap) { return slurp_at(AT_FDCWD, path, buf, cap); }

static bool contains(const char* buf, ssize_t n, const char* marker) {
  return n > 0 && marker && *marker && memmem(buf, (size_t)n, marker, strlen(marker)) != NULL;
}

// Verdict on content that was read: with a marker only the marker counts (a masked file may read as empty or
// as /dev/null); without one any byte counts.
static int judge_content(const char* op, const char* buf, ssize_t n, const char* marker) {
  if (marker && *marker) {
    if (contains(buf, n, marker)) return escaped("%s: read %zd bytes containing the canary marker", op, n);
    return blocked("%s: read %zd bytes without the canary marker (masked)", op, n);
  }
  if (n > 0) return escaped("%s: read %zd bytes", op, n);
  return blocked("%s: read 0 bytes (masked or empty)", op);
}

static int write_all(int fd, const void* data, size_t len) {
  const char* p = data;
  while (len) {
    ssize_t r = write(fd, p, len);
    if (r < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    p += r;
    len -= (size_t)r;
  }
  return 0;
}

// Creates path exclusively with content; 0 or -1 with errno.
static int create_file(const char* path, const char* content, mode_t mode) {
  int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
  if (fd < 0) return -1;
  int r = write_all(fd, content, strlen(content));
  int e = errno;
  close(fd);
  errno = e;
  return r;
}

static void path_join(char* out, size_t cap, const char* dir, const char* name) {
  snprintf(out, cap, "%s/%s", dir, name);
}

// 64-bit mask of effective capabilities (capget v3).
static uint64_t cap_effective(void) {
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capget, &hdr, data) != 0) return 0;
  return ((uint64_t)data[1].effective << 32) | data[0].effective;
}

static unsigned long long ns_inode(const char* kind) {
  char path[64];
  struct stat st;
  snprintf(path, sizeof path, "/proc/self/ns/%s", kind);
  if (stat(path, &st) != 0) return 0;
  return (unsigned long long)st.st_ino;
}

// True when acting would touch the host: we share the host's namespace of this kind (inode passed by the
// harness) and hold CAP_SYS_ADMIN, so a mount or sethostname would really change the host.
static bool would_touch_host(const char* kind, const char* host_ino) {
  if (!host_ino || !*host_ino) return false;
  unsigned long long mine = ns_inode(kind);
  return mine != 0 && mine == strtoull(host_ino, NULL, 10) && (cap_effective() & (1ull << CAP_SYS_ADMIN));
}

// Runs fn in a forked child and returns its exit status (or 128+signal); the child's errno travels as status.
static int in_child(int (*fn)(void*), void* arg) {
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) _exit(fn(arg));
  int st = 0;
  while (waitpid(pid, &st, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(st)) return WEXITSTATUS(st);
  return 128 + WTERMSIG(st);
}

// A child that only waits to be attacked; killed with the probe.
static pid_t spawn_sleeper(void) {
  pid_t pid = fork();
  if (pid == 0) {
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    for (;;) pause();
  }
  return pid;
}

static void reap(pid_t pid) {
  if (pid <= 0) return;
  kill(pid, SIGKILL);
  while (waitpid(pid, NULL, __WALL) < 0 && errno == EINTR) {
  }
}

#define NEED(n, usage) \
  do {                 \
    if (argc < (n)) return usage_error("usage: %s %s", g_probe, usage); \
  } while (0)
#define NO_ARGS() \
  do {            \
    (void)argc;   \
    (void)argv;   \
  } while (0)

// =========================================================================================================
// Filesystem: reading secrets

// read PATH [MARKER]
static int p_read(int argc, char** argv) {
  NEED(1, "PATH [MARKER]");
  static char buf[1 << 16];
  char op[PATH_MAX + 16];
  snprintf(op, sizeof op, "read %s", argv[0]);
  ssize_t n = slurp(argv[0], buf, sizeof buf);
  if (n < 0) return blocked("%s -> %s", op, en(errno));
  return judge_content(op, buf, n, argc > 1 ? argv[1] : NULL);
}

// read_tricks PATH MARKER: other routes to the same file.
static int p_read_tricks(int argc, char** argv) {
  NEED(2, "PATH MARKER");
  const char* path = argv[0];
  const char* marker = argv[1];
  static char buf[1 << 16];
  char tried[1024] = "";
  char alt[PATH_MAX];
  ssize_t n;

  // O_PATH handle re-opened through /proc/self/fd.
  int pfd = open(path, O_PATH | O_CLOEXEC);
  if (pfd >= 0) {
    snprintf(alt, sizeof alt, "/proc/self/fd/%d", pfd);
    n = slurp(alt, buf, sizeof buf);
    note(tried, sizeof tried, "opath-reopen", n < 0 ? errno : 0);
    close(pfd);
    if (contains(buf, n, marker)) return escaped("O_PATH + /proc/self/fd reopen read the canary of %s", path);
  } else {
    note(tried, sizeof tried, "opath", errno);
  }
  // Openat on a directory handle of the parent.
  char parent[PATH_MAX];
  snprintf(parent, sizeof parent, "%s", path);
  char* slash = strrchr(parent, '/');
  if (slash && slash != parent) {
    *slash = 0;
    int dfd = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) {
      n = slurp_at(dfd, slash + 1, buf, sizeof buf);
      note(tried, sizeof tried, "openat-parent", n < 0 ? errno : 0);
      close(dfd);
      if (contains(buf, n, marker)) return escaped("openat(parent dir handle) read the canary of %s", path);
    } else {
      note(tried, sizeof tried, "parent", errno);
    }
  }
  const char* prefixes[] = {"/proc/self/root", "/proc/thread-self/root", "/proc/1/root", "/proc/self/cwd/../../../../../../../..",
                            "/dev/fd/../root", "//."};
  for (size_t i = 0; i < sizeof prefixes / sizeof *prefixes; i++) {
    snprintf(alt, sizeof alt, "%s%s", prefixes[i], path);
    n = slurp(alt, buf, sizeof buf);
    note(tried, sizeof tried, prefixes[i], n < 0 ? errno : 0);
    if (contains(buf, n, marker)) return escaped("read the canary of %s via %s", path, alt);
  }
  // Relative path climbing from the working directory.
  char rel[PATH_MAX] = "";
  for (int i = 0; i < 16; i++) strcat(rel, "../");
  strncat(rel, path + 1, sizeof rel - strlen(rel) - 1);
  n = slurp(rel, buf, sizeof buf);
  note(tried, sizeof tried, "dotdot", n < 0 ? errno : 0);
  if (contains(buf, n, marker)) return escaped("read the canary of %s via ../ climbing", path);
  // Memory-mapping instead of read(2).
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    void* m = mmap(NULL, 65536, PROT_READ, MAP_PRIVATE, fd, 0);
    note(tried, sizeof tried, "mmap", m == MAP_FAILED ? errno : 0);
    if (m != MAP_FAILED) {
      struct stat st;
      size_t len = fstat(fd, &st) == 0 && st.st_size < 65536 ? (size_t)st.st_size : 0;
      bool hit = len && memmem(m, len, marker, strlen(marker));
      munmap(m, 65536);
      if (hit) {
        close(fd);
        return escaped("mmap of %s exposed the canary", path);
      }
    }
    close(fd);
  }
  return blocked("no route read the canary of %s (%s)", path, tried);
}

// listdir PATH [ENTRY]
static int p_listdir(int argc, char** argv) {
  NEED(1, "PATH [ENTRY]");
  const char* want = argc > 1 ? argv[1] : NULL;
  DIR* d = opendir(argv[0]);
  if (!d) return blocked("opendir %s -> %s", argv[0], en(errno));
  int count = 0;
  bool found = false;
  char first[256] = "";
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
    if (!count) snprintf(first, sizeof first, "%s", e->d_name);
    count++;
    if (want && !strcmp(e->d_name, want)) found = true;
  }
  closedir(d);
  if (want) {
    if (found) return escaped("listed %s and saw %s (%d entries)", argv[0], want, count);
    return blocked("listed %s: %s not among %d entries (hidden)", argv[0], want, count);
  }
  if (count) return escaped("listed %d entries of %s (e.g. %s)", count, argv[0], first);
  return blocked("listed %s: empty (masked)", argv[0]);
}

// open_by_handle MOUNTPOINT TYPE:HEX MARKER — the "shocker" attack: a file handle taken outside, opened inside.
static int p_open_by_handle(int argc, char** argv) {
  NEED(3, "MOUNTPOINT TYPE:HEX MARKER");
  char* colon = strchr(argv[1], ':');
  if (!colon) return usage_error("bad handle %s", argv[1]);
  size_t hexlen = strlen(colon + 1);
  if (hexlen / 2 > MAX_HANDLE_SZ) return usage_error("handle too long");
  struct file_handle* fh = calloc(1, sizeof *fh + MAX_HANDLE_SZ);
  fh->handle_type = atoi(argv[1]);
  fh->handle_bytes = (unsigned)(hexlen / 2);
  for (size_t i = 0; i < fh->handle_bytes; i++) sscanf(colon + 1 + 2 * i, "%2hhx", &fh->f_handle[i]);
  int mfd = open(argv[0], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (mfd < 0) return blocked("open mount point %s -> %s", argv[0], en(errno));
  g_op = "open_by_handle_at";
  int fd = open_by_handle_at(mfd, fh, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return blocked("open_by_handle_at -> %s", en(errno));
  static char buf[1 << 16];
  ssize_t n = slurp_fd(fd, buf, sizeof buf);
  close(fd);
  if (n < 0) return blocked("open_by_handle_at opened the file but read -> %s", en(errno));
  if (contains(buf, n, argv[2])) return escaped("open_by_handle_at opened a file outside and read the canary");
  return escaped("open_by_handle_at opened a file by handle (read %zd bytes, no marker)", n);
}

// =========================================================================================================
// Filesystem: writing outside the workspace

static const char kProbeContent[] = "cordon-escape-probe was here\n";

// write PATH — create a new file; left in place so the harness can check whether the host sees it.
static int p_write(int argc, char** argv) {
  NEED(1, "NEW-PATH");
  if (create_file(argv[0], kProbeContent, 0644) != 0) return blocked("create %s -> %s", argv[0], en(errno));
  return escaped("created %s", argv[0]);
}

// mkdir PATH
static int p_mkdir(int argc, char** argv) {
  NEED(1, "NEW-PATH");
  if (mkdir(argv[0], 0755) != 0) return blocked("mkdir %s -> %s", argv[0], en(errno));
  return escaped("created directory %s", argv[0]);
}

// append PATH MARKER — appends a marker line; the harness checks the host copy and restores it.
static int p_append(int argc, char** argv) {
  NEED(2, "EXISTING-PATH MARKER");
  int fd = open(argv[0], O_WRONLY | O_APPEND | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) return blocked("open %s for append -> %s", argv[0], en(errno));
  char line[512];
  snprintf(line, sizeof line, "\n# %s\n", argv[1]);
  int r = write_all(fd, line, strlen(line));
  int e = errno;
  close(fd);
  if (r != 0) return blocked("opened %s for append but write -> %s", argv[0], en(e));
  return escaped("appended to %s", argv[0]);
}

// open_wronly PATH — opening for writing is the violation; nothing is written (system files, /sys, sysrq).
static int p_open_wronly(int argc, char** argv) {
  NEED(1, "PATH");
  int fd = open(argv[0], O_WRONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) return blocked("open %s O_WRONLY -> %s", argv[0], en(errno));
  close(fd);
  return escaped("opened %s for writing (nothing written)", argv[0]);
}

// rename SRC DST — renamed back at once when it works.
static int p_rename(int argc, char** argv) {
  NEED(2, "SRC DST");
  if (rename(argv[0], argv[1]) != 0) return blocked("rename %s -> %s: %s", argv[0], argv[1], en(errno));
  bool restored = rename(argv[1], argv[0]) == 0;
  return escaped("renamed %s to %s (%s)", argv[0], argv[1], restored ? "restored" : "NOT restored");
}

// unlink PATH — the harness plants a victim and re-plants it.
static int p_unlink(int argc, char** argv) {
  NEED(1, "VICTIM-PATH");
  if (unlink(argv[0]) != 0) return blocked("unlink %s -> %s", argv[0], en(errno));
  return escaped("unlinked %s", argv[0]);
}

// rmdir PATH
static int p_rmdir(int argc, char** argv) {
  NEED(1, "EMPTY-DIR");
  if (rmdir(argv[0]) != 0) return blocked("rmdir %s -> %s", argv[0], en(errno));
  return escaped("removed directory %s", argv[0]);
}

// truncate PATH — to its current size: the permission is what is tested, the content stays.
static int p_truncate(int argc, char** argv) {
  NEED(1, "PATH");
  struct stat st;
  if (stat(argv[0], &st) != 0) return blocked("stat %s -> %s", argv[0], en(errno));
  if (truncate(argv[0], st.st_size) != 0) return blocked("truncate %s -> %s", argv[0], en(errno));
  return escaped("truncate(%s) permitted (to its own size)", argv[0]);
}

// setattr PATH — chmod/chown/utimes/xattr with the values the file already has (Landlock does not cover these).
static int p_setattr(int argc, char** argv) {
  NEED(1, "PATH");
  struct stat st;
  if (stat(argv[0], &st) != 0) return blocked("stat %s -> %s", argv[0], en(errno));
  char tried[256] = "";
  char ok[128] = "";
  int r = chmod(argv[0], st.st_mode & 07777);
  note(tried, sizeof tried, "chmod", r ? errno : 0);
  if (!r) strcat(ok, "chmod ");
  r = chown(argv[0], (uid_t)-1, (gid_t)-1);
  note(tried, sizeof tried, "chown", r ? errno : 0);
  if (!r) strcat(ok, "chown ");
  struct timespec ts[2] = {st.st_atim, st.st_mtim};
  r = utimensat(AT_FDCWD, argv[0], ts, 0);
  note(tried, sizeof tried, "utimensat", r ? errno : 0);
  if (!r) strcat(ok, "utimensat ");
  r = setxattr(argv[0], "user.cordon-escape", "1", 1, 0);
  note(tried, sizeof tried, "setxattr", r ? errno : 0);
  if (!r) {
    strcat(ok, "setxattr ");
    removexattr(argv[0], "user.cordon-escape");
  }
  if (*ok) return escaped("changed attributes of %s: %s(same values)", argv[0], ok);
  return blocked("attributes of %s unchangeable (%s)", argv[0], tried);
}

// reopen_rw PATH — a read-only handle re-opened read-write through /proc/self/fd.
static int p_reopen_rw(int argc, char** argv) {
  NEED(1, "PATH");
  int fd = open(argv[0], O_RDONLY | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) fd = open(argv[0], O_PATH | O_CLOEXEC);
  if (fd < 0) return blocked("open %s -> %s", argv[0], en(errno));
  char alt[64];
  snprintf(alt, sizeof alt, "/proc/self/fd/%d", fd);
  int rw = open(alt, O_RDWR | O_CLOEXEC | O_NOCTTY);
  int e = errno;
  close(fd);
  if (rw < 0) return blocked("reopen %s O_RDWR via %s -> %s", argv[0], alt, en(e));
  close(rw);
  return escaped("re-opened %s read-write through /proc/self/fd", argv[0]);
}

// link SRC DST — a hard link from the workspace to a file outside, then read through it.
static int p_link(int argc, char** argv) {
  NEED(2, "OUTSIDE-FILE NEW-LINK-IN-WORKSPACE [MARKER]");
  if (link(argv[0], argv[1]) != 0) return blocked("link %s -> %s: %s", argv[0], argv[1], en(errno));
  static char buf[1 << 16];
  ssize_t n = slurp(argv[1], buf, sizeof buf);
  bool leak = argc > 2 && contains(buf, n, argv[2]);
  unlink(argv[1]);
  return escaped("hard-linked %s into %s%s", argv[0], argv[1], leak ? " and read the canary through it" : "");
}

// symlink_read WS TARGET MARKER — a symlink in the workspace pointing at a secret outside.
static int p_symlink_read(int argc, char** argv) {
  NEED(3, "WORKSPACE TARGET MARKER");
  char lp[PATH_MAX];
  snprintf(lp, sizeof lp, "%s/cordon-escape-symlink-%d", argv[0], getpid());
  if (symlink(argv[1], lp) != 0) return blocked("symlink in workspace -> %s", en(errno));
  static char buf[1 << 16];
  ssize_t n = slurp(lp, buf, sizeof buf);
  int e = errno;
  unlink(lp);
  char op[PATH_MAX + 32];
  snprintf(op, sizeof op, "read via symlink to %s", argv[1]);
  if (n < 0) return blocked("%s -> %s", op, en(e));
  return judge_content(op, buf, n, argv[2]);
}

// symlink_write WS NEW-OUTSIDE-FILE — a dangling workspace symlink to a path outside, opened with O_CREAT.
static int p_symlink_write(int argc, char** argv) {
  NEED(2, "WORKSPACE NEW-OUTSIDE-FILE");
  char lp[PATH_MAX];
  snprintf(lp, sizeof lp, "%s/cordon-escape-symlink-w-%d", argv[0], getpid());
  if (symlink(argv[1], lp) != 0) return blocked("symlink in workspace -> %s", en(errno));
  int fd = open(lp, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  int e = errno;
  if (fd >= 0) {
    write_all(fd, kProbeContent, strlen(kProbeContent));
    close(fd);
  }
  unlink(lp);
  if (fd < 0) return blocked("create %s through a workspace symlink -> %s", argv[1], en(e));
  return escaped("created %s through a workspace symlink", argv[1]);
}

// symlink_dir WS OUTSIDE-DIR NAME — a workspace symlink to a directory outside, a file created beneath it.
static int p_symlink_dir(int argc, char** argv) {
  NEED(3, "WORKSPACE OUTSIDE-DIR NEW-NAME");
  char lp[PATH_MAX], target[PATH_MAX + 256];
  snprintf(lp, sizeof lp, "%s/cordon-escape-symlink-d-%d", argv[0], getpid());
  if (symlink(argv[1], lp) != 0) return blocked("symlink in workspace -> %s", en(errno));
  path_join(target, sizeof target, lp, argv[2]);
  int r = create_file(target, kProbeContent, 0644);
  int e = errno;
  unlink(lp);
  if (r != 0) return blocked("create %s/%s through a workspace symlink -> %s", argv[1], argv[2], en(e));
  return escaped("created %s/%s through a workspace symlink", argv[1], argv[2]);
}

// =========================================================================================================
// The workspace's .git: hooks and config are read-only.

static void git_path(char* out, size_t cap, const char* ws, const char* rel) { snprintf(out, cap, "%s/.git/%s", ws, rel); }

static const char kEvilHook[] = "#!/bin/sh\necho cordon-escape-hook-ran\n";
static const char kEvilConfig[] = "[core]\n\thooksPath = /tmp/cordon-escape-hooks\n";

// git_hook_create WS
static int p_git_hook_create(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  git_path(p, sizeof p, argv[0], "hooks/pre-commit");
  if (create_file(p, kEvilHook, 0755) != 0) return blocked("create .git/hooks/pre-commit -> %s", en(errno));
  return escaped("created .git/hooks/pre-commit");
}

// git_hook_modify WS — an existing hook (post-checkout, planted by the harness).
static int p_git_hook_modify(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  git_path(p, sizeof p, argv[0], "hooks/post-checkout");
  int fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return blocked("open .git/hooks/post-checkout for append -> %s", en(errno));
  int r = write_all(fd, "echo cordon-escape\n", 19);
  close(fd);
  if (r) return blocked("write .git/hooks/post-checkout -> %s", en(errno));
  return escaped("appended to .git/hooks/post-checkout");
}

// git_hook_rename WS — activate a sample hook by renaming it.
static int p_git_hook_rename(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char a[PATH_MAX], b[PATH_MAX];
  git_path(a, sizeof a, argv[0], "hooks/pre-push.sample");
  git_path(b, sizeof b, argv[0], "hooks/pre-push");
  if (rename(a, b) != 0) return blocked("rename pre-push.sample -> pre-push: %s", en(errno));
  return escaped("renamed .git/hooks/pre-push.sample to pre-push");
}

// git_hook_chmod WS — make a hook executable (setattr inside the protected directory).
static int p_git_hook_chmod(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  git_path(p, sizeof p, argv[0], "hooks/post-checkout");
  struct stat st;
  if (stat(p, &st) != 0) return blocked("stat post-checkout -> %s", en(errno));
  if (chmod(p, st.st_mode & 07777) != 0) return blocked("chmod .git/hooks/post-checkout -> %s", en(errno));
  return escaped("chmod on .git/hooks/post-checkout permitted (same mode)");
}

// git_config_write WS
static int p_git_config_write(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  git_path(p, sizeof p, argv[0], "config");
  int fd = open(p, O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return blocked("open .git/config for append -> %s", en(errno));
  int r = write_all(fd, kEvilConfig, strlen(kEvilConfig));
  close(fd);
  if (r) return blocked("write .git/config -> %s", en(errno));
  return escaped("appended core.hooksPath to .git/config");
}

// git_config_replace WS — write a new config beside it and rename it over the protected one.
static int p_git_config_replace(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char tmp[PATH_MAX], p[PATH_MAX];
  git_path(tmp, sizeof tmp, argv[0], "config.cordon-new");
  git_path(p, sizeof p, argv[0], "config");
  unlink(tmp);
  if (create_file(tmp, kEvilConfig, 0644) != 0) return blocked("create .git/config.cordon-new -> %s", en(errno));
  if (rename(tmp, p) != 0) {
    int e = errno;
    unlink(tmp);
    return blocked("rename over .git/config -> %s", en(e));
  }
  return escaped("replaced .git/config by rename");
}

// git_config_unlink WS
static int p_git_config_unlink(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  git_path(p, sizeof p, argv[0], "config");
  if (unlink(p) != 0) return blocked("unlink .git/config -> %s", en(errno));
  bool recreated = create_file(p, kEvilConfig, 0644) == 0;
  return escaped("unlinked .git/config%s", recreated ? " and wrote a new one" : "");
}

// git_config_hardlink WS — a second name for .git/config, written through.
static int p_git_config_hardlink(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX], l[PATH_MAX];
  git_path(p, sizeof p, argv[0], "config");
  snprintf(l, sizeof l, "%s/cordon-escape-config-link", argv[0]);
  unlink(l);
  if (link(p, l) != 0) return blocked("link .git/config -> %s", en(errno));
  int fd = open(l, O_WRONLY | O_APPEND | O_CLOEXEC);
  int e = errno;
  if (fd >= 0) {
    write_all(fd, kEvilConfig, strlen(kEvilConfig));
    close(fd);
  }
  unlink(l);
  if (fd < 0) return blocked("hard link made but open for write -> %s", en(e));
  return escaped("wrote .git/config through a hard link");
}

// git_hooks_rename WS — move the protected hooks directory aside and make a new one.
static int p_git_hooks_rename(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char a[PATH_MAX], b[PATH_MAX], h[PATH_MAX];
  git_path(a, sizeof a, argv[0], "hooks");
  git_path(b, sizeof b, argv[0], "hooks.cordon-old");
  if (rename(a, b) != 0) return blocked("rename .git/hooks -> %s", en(errno));
  bool made = mkdir(a, 0755) == 0;
  git_path(h, sizeof h, argv[0], "hooks/pre-commit");
  bool hook = made && create_file(h, kEvilHook, 0755) == 0;
  return escaped("renamed .git/hooks away%s", hook ? " and planted a new pre-commit" : "");
}

// git_dir_rename WS — move the whole .git aside (its read-only mounts move with it) and build a new .git that
// shares the old objects and refs but has a config setting core.hooksPath.
static const char* place_file(const char* path, const char* content, const char* dir);
static bool writable_subdir(const char* ws, char* out, size_t cap);

static int p_git_dir_rename(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char a[PATH_MAX], b[PATH_MAX], p[PATH_MAX], staging[PATH_MAX] = "", head[256] = "ref: refs/heads/master\n";
  snprintf(a, sizeof a, "%s/.git", argv[0]);
  snprintf(b, sizeof b, "%s/.git.cordon-old", argv[0]);
  bool have_staging = writable_subdir(argv[0], staging, sizeof staging);
  git_path(p, sizeof p, argv[0], "HEAD");
  slurp(p, head, sizeof head);
  if (rename(a, b) != 0) return blocked("rename .git -> %s", en(errno));
  if (mkdir(a, 0755) != 0) return escaped("renamed .git away (mkdir of a new one -> %s)", en(errno));
  git_path(p, sizeof p, argv[0], "objects");
  symlink("../.git.cordon-old/objects", p);
  git_path(p, sizeof p, argv[0], "refs");
  symlink("../.git.cordon-old/refs", p);
  git_path(p, sizeof p, argv[0], "HEAD");
  place_file(p, head, have_staging ? staging : NULL);
  git_path(p, sizeof p, argv[0], "evil-hooks");
  mkdir(p, 0755);
  git_path(p, sizeof p, argv[0], "evil-hooks/pre-commit");
  if (place_file(p, kEvilHook, have_staging ? staging : NULL)) chmod(p, 0755);
  char cfg[PATH_MAX + 64];
  snprintf(cfg, sizeof cfg, "[core]\n\trepositoryformatversion = 0\n\thooksPath = %s/.git/evil-hooks\n", argv[0]);
  git_path(p, sizeof p, argv[0], "config");
  const char* route = place_file(p, cfg, have_staging ? staging : NULL);
  return escaped("renamed .git away and built a new one%s", route ? " whose config sets core.hooksPath" : "");
}

// Places CONTENT at PATH: written directly, or (when a new file there cannot be written) written beside in
// DIR and renamed, or hard-linked, into place. Returns the route that worked, or NULL.
static const char* place_file(const char* path, const char* content, const char* dir) {
  int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd >= 0) {
    int r = write_all(fd, content, strlen(content));
    close(fd);
    if (r == 0) return "written";
  }
  if (!dir) return NULL;
  char tmp[PATH_MAX];
  snprintf(tmp, sizeof tmp, "%s/cordon-escape-staged-%d", dir, getpid());
  unlink(tmp);
  if (create_file(tmp, content, 0644) != 0) return NULL;
  if (rename(tmp, path) == 0) return "renamed into place";
  if (link(tmp, path) == 0 || (unlink(path) == 0 && link(tmp, path) == 0)) {
    unlink(tmp);
    return "hard-linked into place";
  }
  unlink(tmp);
  return NULL;
}

// The first existing subdirectory of the workspace (not a dot-directory) where a new file can be written.
static bool writable_subdir(const char* ws, char* out, size_t cap) {
  DIR* d = opendir(ws);
  if (!d) return false;
  struct dirent* e;
  bool found = false;
  while (!found && (e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char sub[PATH_MAX], probe[PATH_MAX + 32];
    path_join(sub, sizeof sub, ws, e->d_name);
    struct stat st;
    if (stat(sub, &st) != 0 || !S_ISDIR(st.st_mode)) continue;
    snprintf(probe, sizeof probe, "%s/cordon-escape-w-%d", sub, getpid());
    if (create_file(probe, "x", 0644) == 0) {
      snprintf(out, cap, "%s", sub);
      found = true;
    }
    unlink(probe);
  }
  closedir(d);
  return found;
}

// Makes DIR/cordon-evil a git "common dir" whose config sets core.hooksPath; true when its config exists.
static bool make_evil_common(const char* dir, const char* staging) {
  char d[PATH_MAX], cfg[PATH_MAX + 64];
  const char* sub[] = {"cordon-evil", "cordon-evil/objects", "cordon-evil/refs", "cordon-evil/hooks"};
  for (size_t i = 0; i < sizeof sub / sizeof *sub; i++) {
    path_join(d, sizeof d, dir, sub[i]);
    mkdir(d, 0755);
  }
  snprintf(cfg, sizeof cfg, "[core]\n\trepositoryformatversion = 0\n\thooksPath = %s/cordon-evil/hooks\n", dir);
  path_join(d, sizeof d, dir, "cordon-evil/config");
  if (!place_file(d, cfg, staging)) return false;
  path_join(d, sizeof d, dir, "cordon-evil/hooks/pre-commit");
  if (place_file(d, kEvilHook, staging)) chmod(d, 0755);
  return true;
}

// git_commondir WS — write .git/commondir: git then reads its config and hooks from that "common dir", so a
// config there setting core.hooksPath runs our hooks outside the sandbox. The common dir goes inside .git
// or, failing that, into a writable workspace subdirectory. The harness asks git outside.
static int p_git_commondir(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char gitdir[PATH_MAX], staging[PATH_MAX] = "", p[PATH_MAX], where[PATH_MAX] = "cordon-evil";
  snprintf(gitdir, sizeof gitdir, "%s/.git", argv[0]);
  bool have_staging = writable_subdir(argv[0], staging, sizeof staging);
  bool evil = make_evil_common(gitdir, have_staging ? staging : NULL);
  if (!evil && have_staging && make_evil_common(staging, staging)) {
    evil = true;
    snprintf(where, sizeof where, "../%.200s/cordon-evil", strrchr(staging, '/') + 1);
  }
  char content[PATH_MAX + 2];
  snprintf(content, sizeof content, "%s\n", where);
  git_path(p, sizeof p, argv[0], "commondir");
  const char* route = place_file(p, content, have_staging ? staging : NULL);
  if (!route) {
    struct stat st;
    if (stat(p, &st) == 0) return escaped("created .git/commondir (empty: git now fails in this repository)");
    return blocked("create .git/commondir -> %s", en(errno));
  }
  return escaped(".git/commondir %s -> %s%s (harness asks git)", route, where,
                 evil ? ", whose config sets core.hooksPath" : " (no config there)");
}

// =========================================================================================================
// Processes outside the sandbox

// proc_pid PID TOKEN — the harness's sentinel must not be visible.
static int p_proc_pid(int argc, char** argv) {
  NEED(2, "HOST-PID TOKEN");
  char path[64];
  static char buf[8192];
  snprintf(path, sizeof path, "/proc/%s/cmdline", argv[0]);
  ssize_t n = slurp(path, buf, sizeof buf);
  if (n < 0) return blocked("read %s -> %s", path, en(errno));
  for (ssize_t i = 0; i < n; i++)
    if (!buf[i]) buf[i] = ' ';
  if (contains(buf, n, argv[1])) return escaped("host sentinel visible at /proc/%s", argv[0]);
  return blocked("/proc/%s is another process (sentinel not visible)", argv[0]);
}

// kill_pid PID TOKEN — signal (SIGWINCH, harmless) and pidfd the sentinel.
static int p_kill_pid(int argc, char** argv) {
  NEED(2, "HOST-PID TOKEN");
  pid_t pid = (pid_t)atoi(argv[0]);
  char path[64];
  static char buf[8192];
  snprintf(path, sizeof path, "/proc/%d/cmdline", pid);
  ssize_t n = slurp(path, buf, sizeof buf);
  if (n > 0) {
    for (ssize_t i = 0; i < n; i++)
      if (!buf[i]) buf[i] = ' ';
    if (!contains(buf, n, argv[1])) return blocked("pid %d is a sandbox process, not the sentinel", pid);
  }
  char tried[128] = "";
  if (kill(pid, SIGWINCH) == 0) return escaped("signalled host pid %d", pid);
  note(tried, sizeof tried, "kill", errno);
  long pfd = syscall(SYS_pidfd_open, pid, 0);
  note(tried, sizeof tried, "pidfd_open", pfd < 0 ? errno : 0);
  if (pfd >= 0) {
    close((int)pfd);
    return escaped("pidfd_open on host pid %d", pid);
  }
  return blocked("host pid %d unreachable (%s)", pid, tried);
}

// kill_all — kill(-1, SIGWINCH): harmless, and the sentinel traps it; the harness checks the sentinel.
static int p_kill_all(int argc, char** argv) {
  NO_ARGS();
  if (kill(-1, SIGWINCH) != 0) return blocked("kill(-1, SIGWINCH) -> %s (harness checks the sentinel)", en(errno));
  return blocked("kill(-1, SIGWINCH) sent to the processes we can see (harness checks the sentinel did not get it)");
}

// The pids a /proc scan may look at: inside a pid namespace of its own every visible process (they are the
// sandbox's, or leaked); in the host's pid namespace (a native control run) only the harness's sentinel, so
// the probe never reads unrelated host processes.
static bool scan_pid_ok(int pid, const char* sentinel, const char* host_pidns) {
  if (pid <= 0 || pid == getpid()) return false;
  unsigned long long mine = ns_inode("pid");
  if (mine && mine != strtoull(host_pidns, NULL, 10)) return true;
  return pid == atoi(sentinel);
}

// proc_environ MARKER SENTINEL-PID HOST-PIDNS — other visible processes' environments (a supervisor's may
// hold the secrets scrubbed from ours).
static int p_proc_environ(int argc, char** argv) {
  NEED(3, "MARKER SENTINEL-PID HOST-PIDNS");
  DIR* d = opendir("/proc");
  if (!d) return blocked("opendir /proc -> %s", en(errno));
  static char buf[1 << 17];
  int seen = 0, readable = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    int pid = atoi(e->d_name);
    if (!scan_pid_ok(pid, argv[1], argv[2])) continue;
    seen++;
    char path[64];
    snprintf(path, sizeof path, "/proc/%d/environ", pid);
    ssize_t n = slurp(path, buf, sizeof buf);
    if (n < 0) continue;
    readable++;
    if (contains(buf, n, argv[0])) {
      closedir(d);
      return escaped("secret environment value readable in /proc/%d/environ", pid);
    }
  }
  closedir(d);
  return blocked("marker in none of %d other processes' environ (%d readable)", seen, readable);
}

// proc_fds SENTINEL-PID HOST-PIDNS — open a descriptor of another visible process through /proc/PID/fd.
static int p_proc_fds(int argc, char** argv) {
  NEED(2, "SENTINEL-PID HOST-PIDNS");
  DIR* d = opendir("/proc");
  if (!d) return blocked("opendir /proc -> %s", en(errno));
  int others = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    int pid = atoi(e->d_name);
    if (!scan_pid_ok(pid, argv[0], argv[1])) continue;
    others++;
    char dir[64];
    snprintf(dir, sizeof dir, "/proc/%d/fd", pid);
    DIR* fds = opendir(dir);
    if (!fds) continue;
    struct dirent* f;
    while ((f = readdir(fds)) != NULL) {
      int fd = atoi(f->d_name);
      if (fd <= 2) continue;
      char p[128], target[PATH_MAX] = "";
      snprintf(p, sizeof p, "%s/%d", dir, fd);
      ssize_t tl = readlink(p, target, sizeof target - 1);
      if (tl > 0) target[tl] = 0;
      if (target[0] != '/') continue;  // pipes, sockets, anon inodes
      int o = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
      if (o >= 0) {
        close(o);
        closedir(fds);
        closedir(d);
        return escaped("opened fd %d of pid %d (%s) through /proc", fd, pid, target);
      }
    }
    closedir(fds);
  }
  closedir(d);
  return blocked("no file descriptor of the %d other visible processes could be opened", others);
}

// ns KIND HOST-INODE — every namespace must differ from the host's.
static int p_ns(int argc, char** argv) {
  NEED(2, "KIND HOST-INODE");
  unsigned long long mine = ns_inode(argv[0]);
  if (!mine) return skipped("cannot stat /proc/self/ns/%s: %s", argv[0], en(errno));
  if (mine == strtoull(argv[1], NULL, 10)) return escaped("same %s namespace as the host (inode %llu)", argv[0], mine);
  return blocked("%s namespace %llu differs from the host's %s", argv[0], mine, argv[1]);
}

// =========================================================================================================
// Tracing other processes

static volatile uint64_t g_secret_word = 0x5ec12e7c0de0ba5eull;

static int do_traceme(void* arg) {
  (void)arg;
  return ptrace(PTRACE_TRACEME, 0, 0, 0) == 0 ? 0 : errno;
}

// ptrace_child — attach to (and seize) our own child; then PTRACE_TRACEME from a child.
static int p_ptrace_child(int argc, char** argv) {
  NO_ARGS();
  pid_t c = spawn_sleeper();
  if (c < 0) return skipped("fork -> %s", en(errno));
  g_op = "ptrace(PTRACE_ATTACH)";
  long r = ptrace(PTRACE_ATTACH, c, 0, 0);
  int e1 = errno;
  if (r == 0) {
    waitpid(c, NULL, __WALL);
    ptrace(PTRACE_DETACH, c, 0, 0);
  }
  g_op = "ptrace(PTRACE_SEIZE)";
  long s = r == 0 ? -1 : ptrace(PTRACE_SEIZE, c, 0, 0);
  int e2 = errno;
  reap(c);
  if (r == 0) return escaped("PTRACE_ATTACH to child %d", c);
  if (s == 0) return escaped("PTRACE_SEIZE of child %d", c);
  int t = in_child(do_traceme, NULL);
  if (t == 0) return escaped("PTRACE_TRACEME in a child");
  return blocked("PTRACE_ATTACH -> %s, PTRACE_SEIZE -> %s, PTRACE_TRACEME -> %s", en(e1), en(e2),
                 t >= 128 ? "killed" : en(t));
}

// process_vm_readv — read a word from a child.
static int p_process_vm_readv(int argc, char** argv) {
  NO_ARGS();
  pid_t c = spawn_sleeper();
  if (c < 0) return skipped("fork -> %s", en(errno));
  uint64_t got = 0;
  struct iovec local = {&got, sizeof got}, remote = {(void*)&g_secret_word, sizeof got};
  g_op = "process_vm_readv";
  ssize_t n = process_vm_readv(c, &local, 1, &remote, 1, 0);
  int e = errno;
  reap(c);
  if (n == (ssize_t)sizeof got) return escaped("process_vm_readv read %zd bytes of child memory", n);
  return blocked("process_vm_readv -> %s", en(e));
}

// process_vm_writev — write a word into a child.
static int p_process_vm_writev(int argc, char** argv) {
  NO_ARGS();
  pid_t c = spawn_sleeper();
  if (c < 0) return skipped("fork -> %s", en(errno));
  uint64_t v = 1;
  struct iovec local = {&v, sizeof v}, remote = {(void*)&g_secret_word, sizeof v};
  g_op = "process_vm_writev";
  ssize_t n = process_vm_writev(c, &local, 1, &remote, 1, 0);
  int e = errno;
  reap(c);
  if (n == (ssize_t)sizeof v) return escaped("process_vm_writev wrote child memory");
  return blocked("process_vm_writev -> %s", en(e));
}

// proc_mem SENTINEL-PID HOST-PIDNS — another process's memory through /proc/PID/mem, ptrace's twin that
// seccomp cannot see. Inside a pid namespace of its own: every visible process that is not ours (cordon's
// init runs outside the Landlock domain); natively only the harness's sentinel.
static int p_proc_mem(int argc, char** argv) {
  NEED(2, "SENTINEL-PID HOST-PIDNS");
  DIR* d = opendir("/proc");
  if (!d) return blocked("opendir /proc -> %s", en(errno));
  char tried[512] = "";
  int targets = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    int pid = atoi(e->d_name);
    if (!scan_pid_ok(pid, argv[0], argv[1])) continue;
    targets++;
    char path[64], maps[64];
    static char buf[1 << 16];
    snprintf(maps, sizeof maps, "/proc/%d/maps", pid);
    snprintf(path, sizeof path, "/proc/%d/mem", pid);
    unsigned long long lo = 0;
    ssize_t n = slurp(maps, buf, sizeof buf);
    if (n > 0) sscanf(buf, "%llx", &lo);
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
      char label[16];
      snprintf(label, sizeof label, "pid%d", pid);
      note(tried, sizeof tried, label, errno);
      continue;
    }
    uint64_t word = 0;
    ssize_t r = lo ? pread(fd, &word, sizeof word, (off_t)lo) : -1;
    int err = errno;
    close(fd);
    closedir(d);
    if (r == (ssize_t)sizeof word) return escaped("read the memory of pid %d through %s", pid, path);
    return escaped("opened %s of pid %d (read -> %s)", path, pid, lo ? en(err) : "no mapping");
  }
  closedir(d);
  if (!targets) return blocked("no process outside our own is visible");
  return blocked("/proc/PID/mem -> %s", tried);
}

// pidfd_getfd — steal a descriptor from a child.
static int p_pidfd_getfd(int argc, char** argv) {
  NO_ARGS();
  pid_t c = spawn_sleeper();
  if (c < 0) return skipped("fork -> %s", en(errno));
  long pfd = syscall(SYS_pidfd_open, c, 0);
  int e = errno;
  long fd = -1;
  if (pfd >= 0) {
    g_op = "pidfd_getfd";
    fd = syscall(SYS_pidfd_getfd, (int)pfd, 1, 0);
    e = errno;
    close((int)pfd);
  }
  reap(c);
  if (fd >= 0) {
    close((int)fd);
    return escaped("pidfd_getfd copied a descriptor out of a child");
  }
  return blocked("%s -> %s", pfd < 0 ? "pidfd_open" : "pidfd_getfd", en(e));
}

// =========================================================================================================
// Terminals: TIOCSTI / TIOCLINUX

// A fresh pseudo-terminal made our controlling terminal, in a child: tests the seccomp filter itself.
struct sti_arg {
  unsigned long req;
  bool raw;
};

static int sti_on_own_pty(void* p) {
  struct sti_arg* a = p;
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0) return 200;
  if (grantpt(m) || unlockpt(m)) return 201;
  const char* name = ptsname(m);
  if (!name) return 202;
  setsid();
  int s = open(name, O_RDWR);  // no O_NOCTTY: becomes the controlling terminal
  if (s < 0) return 203;
  ioctl(s, TIOCSCTTY, 0);
  char ch = ' ';
  long r = a->raw ? syscall(SYS_ioctl, s, a->req, &ch) : ioctl(s, (unsigned long)a->req, &ch);
  return r == 0 ? 0 : (errno & 0x7f);
}

static int sti_attack(unsigned long req, bool raw) {
  char tried[512] = "";
  char ch = ' ';
  g_op = raw ? "ioctl(TIOCSTI | 1<<32)" : "ioctl(TIOCSTI)";
  // The terminal cordon was started from, if stdin is one.
  if (isatty(STDIN_FILENO)) {
    long r = raw ? syscall(SYS_ioctl, STDIN_FILENO, req, &ch) : ioctl(STDIN_FILENO, req, &ch);
    if (r == 0) return escaped("%s injected input into the caller's terminal (fd 0)", g_op);
    note(tried, sizeof tried, "fd0", errno);
  } else {
    note(tried, sizeof tried, "fd0-not-a-tty", 0);
  }
  int t = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (t >= 0) {
    long r = raw ? syscall(SYS_ioctl, t, req, &ch) : ioctl(t, req, &ch);
    int e = errno;
    close(t);
    if (r == 0) return escaped("%s injected input into /dev/tty", g_op);
    note(tried, sizeof tried, "/dev/tty", e);
  } else {
    note(tried, sizeof tried, "open-/dev/tty", errno);
  }
  struct sti_arg a = {req, raw};
  int st = in_child(sti_on_own_pty, &a);
  if (st == 0) return escaped("%s works (on a fresh pty made our controlling terminal)", g_op);
  if (st >= 200 && st < 210) note(tried, sizeof tried, "own-pty-setup-failed", 0);
  else if (st >= 128) note(tried, sizeof tried, "own-pty-killed", 0);
  else note(tried, sizeof tried, "own-pty", st);
  return blocked("%s -> %s", g_op, tried);
}

static int p_tiocsti(int argc, char** argv) {
  NO_ARGS();
  return sti_attack(TIOCSTI, false);
}

// The same request number with bit 32 set: the kernel truncates cmd to 32 bits, a filter might not.
static int p_tiocsti_hibits(int argc, char** argv) {
  NO_ARGS();
  return sti_attack(0x100000000ul | TIOCSTI, true);
}

// tiocsetd — switch a terminal to another line discipline (n_gsm, n_hdlc, slip, ppp, n_null: kernel code
// with a history of holes), on our own output if it is a terminal and on a fresh pty.
static const int k_ldiscs[] = {1 /* N_SLIP */, 3 /* N_PPP */, 13 /* N_HDLC */, 21 /* N_GSM0710 */, 27 /* N_NULL */};

static int setd_on_own_pty(void* p) {
  (void)p;
  int m = posix_openpt(O_RDWR | O_NOCTTY);
  if (m < 0) return 200;
  if (grantpt(m) || unlockpt(m)) return 201;
  const char* name = ptsname(m);
  if (!name) return 202;
  int s = open(name, O_RDWR | O_NOCTTY);
  if (s < 0) return 203;
  int last = 0;
  for (size_t i = 0; i < sizeof k_ldiscs / sizeof k_ldiscs[0]; ++i) {
    int d = k_ldiscs[i];
    if (ioctl(s, TIOCSETD, &d) == 0) return 0;
    last = errno;
  }
  return last & 0x7f;
}

static int p_tiocsetd(int argc, char** argv) {
  NO_ARGS();
  char tried[512] = "";
  g_op = "ioctl(TIOCSETD)";
  for (int fd = 0; fd <= 2; ++fd) {
    if (!isatty(fd)) continue;
    for (size_t i = 0; i < sizeof k_ldiscs / sizeof k_ldiscs[0]; ++i) {
      int d = k_ldiscs[i];
      if (ioctl(fd, TIOCSETD, &d) == 0) {
        int n_tty = 0;
        ioctl(fd, TIOCSETD, &n_tty);
        return escaped("TIOCSETD switched fd %d to line discipline %d", fd, d);
      }
      char what[16];
      snprintf(what, sizeof what, "fd%d", fd);
      if (i == 0) note(tried, sizeof tried, what, errno);
    }
  }
  int st = in_child(setd_on_own_pty, NULL);
  if (st == 0) return escaped("TIOCSETD switched a fresh pty to another line discipline");
  if (st >= 200 && st < 210) note(tried, sizeof tried, "own-pty-setup-failed", 0);
  else note(tried, sizeof tried, "own-pty", st);
  return blocked("%s -> %s", g_op, tried);
}

// tioclinux — TIOCL_GETSHIFTSTATE (harmless) on every console we can reach.
static int p_tioclinux(int argc, char** argv) {
  NO_ARGS();
  char tried[512] = "";
  g_op = "ioctl(TIOCLINUX)";
  char sub = 6;  // TIOCL_GETSHIFTSTATE
  if (isatty(STDIN_FILENO)) {
    if (ioctl(STDIN_FILENO, TIOCLINUX, &sub) == 0) return escaped("TIOCLINUX on fd 0");
    note(tried, sizeof tried, "fd0", errno);
  }
  const char* ttys[] = {"/dev/tty0", "/dev/tty1", "/dev/console", "/dev/tty"};
  for (size_t i = 0; i < sizeof ttys / sizeof *ttys; i++) {
    int fd = open(ttys[i], O_RDONLY | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
      note(tried, sizeof tried, ttys[i], errno);
      continue;
    }
    sub = 6;
    int r = ioctl(fd, TIOCLINUX, &sub);
    int e = errno;
    close(fd);
    if (r == 0) return escaped("TIOCLINUX on %s", ttys[i]);
    note(tried, sizeof tried, ttys[i], e);
  }
  return blocked("TIOCLINUX -> %s", tried);
}

// setsid CALLER-SID — the sandbox must run in a session of its own, without the caller's terminal.
static int p_setsid(int argc, char** argv) {
  NEED(1, "CALLER-SID");
  pid_t sid = getsid(0);
  pid_t caller = (pid_t)atoi(argv[0]);
  if (sid == caller) return escaped("still in the caller's session %d", caller);
  if (isatty(STDIN_FILENO)) {
    pid_t tsid = 0;
    if (ioctl(STDIN_FILENO, TIOCGSID, &tsid) == 0)
      return escaped("fd 0 is our controlling terminal (session %d)", tsid);
  }
  int t = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (t >= 0) {
    close(t);
    return escaped("has a controlling terminal (/dev/tty opened)");
  }
  return blocked("session %d is not the caller's %d; no controlling terminal (/dev/tty -> %s)", sid, caller, en(errno));
}

// pts_open — another terminal in /dev/pts (the caller's): opening it lets a process read the keystrokes
// typed there. Terminals already on fds 0-2 do not count.
static int p_pts_open(int argc, char** argv) {
  NO_ARGS();
  struct stat own[3];
  bool have[3];
  for (int i = 0; i < 3; i++) have[i] = fstat(i, &own[i]) == 0 && S_ISCHR(own[i].st_mode);
  DIR* d = opendir("/dev/pts");
  if (!d) return blocked("opendir /dev/pts -> %s", en(errno));
  char tried[512] = "";
  int seen = 0;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] < '0' || e->d_name[0] > '9') continue;
    char p[300];
    snprintf(p, sizeof p, "/dev/pts/%s", e->d_name);
    struct stat st;
    if (stat(p, &st) != 0) continue;
    bool mine = false;
    for (int i = 0; i < 3; i++) mine = mine || (have[i] && own[i].st_rdev == st.st_rdev);
    if (mine) continue;
    seen++;
    int fd = open(p, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC);
    if (fd >= 0) {
      close(fd);
      closedir(d);
      return escaped("opened another terminal %s", p);
    }
    note(tried, sizeof tried, p + 9, errno);
  }
  closedir(d);
  if (!seen) return blocked("no other terminal in /dev/pts");
  return blocked("other terminals unopenable (%s)", tried);
}

// =========================================================================================================
// Mounts and roots. HOST-MNT is the host's mount namespace inode: never act on the host's mounts.

static int mount_scratch(const char* ws, char* out, size_t cap) {
  snprintf(out, cap, "%s/cordon-escape-mnt-%d", ws, getpid());
  if (mkdir(out, 0755) != 0 && errno != EEXIST) return -1;
  return 0;
}

#define MOUNT_GUARD(hostmnt)                                                                                  \
  do {                                                                                                        \
    if (would_touch_host("mnt", (hostmnt)))                                                                   \
      return escaped("shares the host's mount namespace with CAP_SYS_ADMIN (not attempting, it would be real)"); \
  } while (0)

static int finish_mount(const char* what, int r, int e, const char* dir) {
  if (r == 0) {
    umount2(dir, MNT_DETACH);
    rmdir(dir);
    return escaped("%s succeeded", what);
  }
  rmdir(dir);
  return blocked("%s -> %s", what, en(e));
}

// mount_tmpfs WS HOST-MNT
static int p_mount_tmpfs(int argc, char** argv) {
  NEED(2, "WORKSPACE HOST-MNT");
  MOUNT_GUARD(argv[1]);
  char dir[PATH_MAX];
  if (mount_scratch(argv[0], dir, sizeof dir)) return blocked("mkdir scratch -> %s", en(errno));
  g_op = "mount(tmpfs)";
  int r = mount("cordon-escape", dir, "tmpfs", 0, "size=1m");
  return finish_mount("mount tmpfs", r, errno, dir);
}

// mount_bind WS HOST-MNT — bind the root onto a workspace directory.
static int p_mount_bind(int argc, char** argv) {
  NEED(2, "WORKSPACE HOST-MNT");
  MOUNT_GUARD(argv[1]);
  char dir[PATH_MAX];
  if (mount_scratch(argv[0], dir, sizeof dir)) return blocked("mkdir scratch -> %s", en(errno));
  g_op = "mount(MS_BIND)";
  int r = mount("/", dir, NULL, MS_BIND | MS_REC, NULL);
  return finish_mount("bind mount of /", r, errno, dir);
}

// mount_proc WS HOST-MNT
static int p_mount_proc(int argc, char** argv) {
  NEED(2, "WORKSPACE HOST-MNT");
  MOUNT_GUARD(argv[1]);
  char dir[PATH_MAX];
  if (mount_scratch(argv[0], dir, sizeof dir)) return blocked("mkdir scratch -> %s", en(errno));
  g_op = "mount(proc)";
  int r = mount("proc", dir, "proc", 0, NULL);
  return finish_mount("mount proc", r, errno, dir);
}

// remount_rw PATH HOST-MNT — make a read-only bind writable again.
static int p_remount_rw(int argc, char** argv) {
  NEED(2, "PATH HOST-MNT");
  MOUNT_GUARD(argv[1]);
  g_op = "mount(MS_REMOUNT)";
  if (mount(NULL, argv[0], NULL, MS_REMOUNT | MS_BIND, NULL) == 0) return escaped("remounted %s read-write", argv[0]);
  // EINVAL comes after the CAP_SYS_ADMIN check (the path is no mount point): the call was permitted.
  char op[PATH_MAX + 32];
  snprintf(op, sizeof op, "remount %s read-write", argv[0]);
  return gate(op, -1, errno);
}

// mount_setattr PATH HOST-MNT — clear MOUNT_ATTR_RDONLY with the new mount API.
static int p_mount_setattr(int argc, char** argv) {
  NEED(2, "PATH HOST-MNT");
  MOUNT_GUARD(argv[1]);
  struct mount_attr attr;
  memset(&attr, 0, sizeof attr);
  attr.attr_clr = MOUNT_ATTR_RDONLY;
  g_op = "mount_setattr";
  long r = syscall(SYS_mount_setattr, AT_FDCWD, argv[0], 0, &attr, sizeof attr);
  if (r == 0) return escaped("mount_setattr cleared MOUNT_ATTR_RDONLY on %s", argv[0]);
  return blocked("mount_setattr(%s, clear RDONLY) -> %s", argv[0], en(errno));
}

// umount PATH HOST-MNT — lift one mask (e.g. the mount hiding ~/.ssh).
static int p_umount(int argc, char** argv) {
  NEED(2, "PATH HOST-MNT");
  MOUNT_GUARD(argv[1]);
  g_op = "umount2";
  if (umount2(argv[0], MNT_DETACH) == 0) return escaped("unmounted %s", argv[0]);
  return blocked("umount2(%s) -> %s", argv[0], en(errno));
}

// umount_all HOST-MNT — detach every mount we can see, deepest first.
static int p_umount_all(int argc, char** argv) {
  NEED(1, "HOST-MNT");
  MOUNT_GUARD(argv[0]);
  static char buf[1 << 18];
  ssize_t n = slurp("/proc/self/mountinfo", buf, sizeof buf);
  if (n < 0) return blocked("read /proc/self/mountinfo -> %s", en(errno));
  char* points[4096];
  int count = 0;
  for (char* line = strtok(buf, "\n"); line && count < 4096; line = strtok(NULL, "\n")) {
    char* f = line;
    for (int i = 0; i < 4 && f; i++) {
      f = strchr(f, ' ');
      if (f) f++;
    }
    if (!f) continue;
    char* end = strchr(f, ' ');
    if (end) *end = 0;
    points[count++] = f;
  }
  int ok = 0, last_err = 0;
  char first_ok[256] = "";
  g_op = "umount2";
  for (int i = count - 1; i >= 0; i--) {
    char mp[PATH_MAX];  // undo the \040-style escapes of mountinfo
    size_t j = 0;
    for (const char* s = points[i]; *s && j + 1 < sizeof mp; s++) {
      if (s[0] == '\\' && s[1] >= '0' && s[1] <= '7' && s[2] && s[3]) {
        mp[j++] = (char)((s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0'));
        s += 3;
      } else {
        mp[j++] = *s;
      }
    }
    mp[j] = 0;
    if (umount2(mp, MNT_DETACH) == 0) {
      if (!ok) snprintf(first_ok, sizeof first_ok, "%.200s", mp);
      ok++;
    } else {
      last_err = errno;
    }
  }
  if (ok) return escaped("detached %d of %d mounts (first: %s)", ok, count, first_ok);
  return blocked("no mount of %d could be detached (%s)", count, en(last_err));
}

// move_mount PATH SCRATCH HOST-MNT — move a mount (e.g. the read-only bind over .git/hooks) out of the way.
static int p_move_mount(int argc, char** argv) {
  NEED(3, "MOUNTPOINT SCRATCH-DIR HOST-MNT");
  MOUNT_GUARD(argv[2]);
  char dir[PATH_MAX];
  if (mount_scratch(argv[1], dir, sizeof dir)) return blocked("mkdir scratch -> %s", en(errno));
  g_op = "move_mount";
  long r = syscall(SYS_move_mount, AT_FDCWD, argv[0], AT_FDCWD, dir, 0);
  int e = errno;
  if (r == 0) {
    syscall(SYS_move_mount, AT_FDCWD, dir, AT_FDCWD, argv[0], 0);  // put it back
    rmdir(dir);
    return escaped("moved the mount at %s away", argv[0]);
  }
  if (e != EPERM && e != ENOSYS) {  // MS_MOVE through mount(2) as the second route
    r = mount(argv[0], dir, NULL, MS_MOVE, NULL);
    if (r == 0) {
      mount(dir, argv[0], NULL, MS_MOVE, NULL);
      rmdir(dir);
      return escaped("moved the mount at %s away with MS_MOVE", argv[0]);
    }
  }
  rmdir(dir);
  char op[PATH_MAX + 16];
  snprintf(op, sizeof op, "move_mount(%s)", argv[0]);
  return gate(op, -1, e);
}

// fsopen — the new mount API: a filesystem context.
static int p_fsopen(int argc, char** argv) {
  NO_ARGS();
  g_op = "fsopen";
  long fd = syscall(SYS_fsopen, "tmpfs", FSOPEN_CLOEXEC);
  if (fd >= 0) {
    close((int)fd);
    return escaped("fsopen(tmpfs) returned a context");
  }
  return blocked("fsopen(tmpfs) -> %s", en(errno));
}

// open_tree HOST-MNT — a detached copy of the mount tree.
static int p_open_tree(int argc, char** argv) {
  NEED(1, "HOST-MNT");
  MOUNT_GUARD(argv[0]);
  g_op = "open_tree";
  long fd = syscall(SYS_open_tree, AT_FDCWD, "/", OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | AT_RECURSIVE);
  if (fd >= 0) {
    close((int)fd);
    return escaped("open_tree(/, OPEN_TREE_CLONE) cloned the mount tree");
  }
  return blocked("open_tree(/, OPEN_TREE_CLONE) -> %s", en(errno));
}

// pivot_root WS HOST-MNT — to a directory that is no mount point: EINVAL means we were allowed.
static int p_pivot_root(int argc, char** argv) {
  NEED(2, "WORKSPACE HOST-MNT");
  MOUNT_GUARD(argv[1]);
  char dir[PATH_MAX], old[PATH_MAX + 8];
  if (mount_scratch(argv[0], dir, sizeof dir)) return blocked("mkdir scratch -> %s", en(errno));
  snprintf(old, sizeof old, "%s/old", dir);
  mkdir(old, 0755);
  g_op = "pivot_root";
  long r = syscall(SYS_pivot_root, dir, old);
  int e = errno;
  rmdir(old);
  rmdir(dir);
  return gate("pivot_root", r, e);
}

// chroot WS
static int p_chroot(int argc, char** argv) {
  NEED(1, "DIR");
  g_op = "chroot";
  if (chroot(argv[0]) == 0) return escaped("chroot(%s) succeeded", argv[0]);
  return blocked("chroot(%s) -> %s", argv[0], en(errno));
}

// =========================================================================================================
// Namespaces

static const struct {
  const char* name;
  int flag;
} kNsFlags[] = {{"user", CLONE_NEWUSER}, {"mnt", CLONE_NEWNS},   {"net", CLONE_NEWNET},       {"pid", CLONE_NEWPID},
                {"ipc", CLONE_NEWIPC},   {"uts", CLONE_NEWUTS}, {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME}};

static int ns_flag(const char* name) {
  for (size_t i = 0; i < sizeof kNsFlags / sizeof *kNsFlags; i++)
    if (!strcmp(kNsFlags[i].name, name)) return kNsFlags[i].flag;
  return 0;
}

static int do_unshare(void* arg) { return unshare(*(int*)arg) == 0 ? 0 : (errno & 0x7f); }

// unshare KIND
static int p_unshare(int argc, char** argv) {
  NEED(1, "user|mnt|net|pid|ipc|uts|cgroup|time");
  int flag = ns_flag(argv[0]);
  if (!flag) return usage_error("unknown namespace %s", argv[0]);
  int st = in_child(do_unshare, &flag);
  if (st == 0) return escaped("unshare(CLONE_NEW%s) succeeded", argv[0]);
  if (st >= 128) return blocked("unshare(%s) -> child killed by signal %d", argv[0], st - 128);
  return blocked("unshare(CLONE_NEW%s) -> %s", argv[0], en(st));
}

// clone_ns KIND — raw clone(2) with the namespace flag.
static int p_clone_ns(int argc, char** argv) {
  NEED(1, "user|mnt|net|pid|ipc|uts|cgroup");
  int flag = ns_flag(argv[0]);
  if (!flag || flag == CLONE_NEWTIME) return usage_error("unsupported namespace %s", argv[0]);
  g_op = "clone(CLONE_NEW*)";
  long pid = syscall(SYS_clone, (unsigned long)flag | SIGCHLD, NULL, NULL, NULL, 0);
  if (pid == 0) _exit(0);
  if (pid > 0) {
    waitpid((pid_t)pid, NULL, 0);
    return escaped("clone(CLONE_NEW%s) created child %ld", argv[0], pid);
  }
  return blocked("clone(CLONE_NEW%s) -> %s", argv[0], en(errno));
}

struct clone_args_v2 {
  uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls, set_tid, set_tid_size, cgroup;
};

// clone3_ns KIND — raw syscall 435.
static int p_clone3_ns(int argc, char** argv) {
  NEED(1, "user|mnt|net|pid|ipc|uts|cgroup|time");
  int flag = ns_flag(argv[0]);
  if (!flag) return usage_error("unknown namespace %s", argv[0]);
  struct clone_args_v2 ca;
  memset(&ca, 0, sizeof ca);
  ca.flags = (uint64_t)(unsigned)flag;
  ca.exit_signal = SIGCHLD;
  g_op = "clone3";
  long pid = syscall(435, &ca, sizeof ca);
  if (pid == 0) _exit(0);
  if (pid > 0) {
    waitpid((pid_t)pid, NULL, 0);
    return escaped("clone3(CLONE_NEW%s) created child %ld", argv[0], pid);
  }
  return blocked("clone3(CLONE_NEW%s) -> %s", argv[0], en(errno));
}

static int do_setns(void* arg) {
  const char* path = arg;
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 250;
  return setns(fd, 0) == 0 ? 0 : (errno & 0x7f);
}

// setns HOST-PID — join the host's namespaces through /proc, or re-enter our own.
static int p_setns(int argc, char** argv) {
  NEED(1, "HOST-PID");
  char tried[512] = "";
  const char* kinds[] = {"mnt", "net", "pid", "user", "uts", "ipc", "cgroup"};
  for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++) {
    char path[96];
    snprintf(path, sizeof path, "/proc/%s/ns/%s", argv[0], kinds[i]);
    int st = in_child(do_setns, path);
    if (st == 0) return escaped("setns into the host's %s namespace", kinds[i]);
    if (i == 0) note(tried, sizeof tried, "host-mnt", st == 250 ? ENOENT : st);
  }
  const char* own[] = {"/proc/self/ns/net", "/proc/self/ns/uts", "/proc/self/ns/ipc"};
  for (size_t i = 0; i < sizeof own / sizeof *own; i++) {
    int st = in_child(do_setns, (void*)own[i]);
    if (st == 0) return escaped("setns(%s) permitted", own[i]);
    note(tried, sizeof tried, own[i] + 14, st == 250 ? ENOENT : st >= 128 ? EPERM : st);
  }
  return blocked("setns -> %s", tried);
}

// =========================================================================================================
// Kernel interfaces the seccomp filter must refuse

static int p_bpf(int argc, char** argv) {
  NO_ARGS();
  union bpf_attr a;
  memset(&a, 0, sizeof a);
  a.map_type = BPF_MAP_TYPE_ARRAY;
  a.key_size = 4;
  a.value_size = 4;
  a.max_entries = 1;
  g_op = "bpf(BPF_MAP_CREATE)";
  long r = syscall(SYS_bpf, BPF_MAP_CREATE, &a, sizeof a);
  int e = errno;
  if (r >= 0) close((int)r);
  return gate("bpf(BPF_MAP_CREATE)", r, e);
}

static int p_keyctl(int argc, char** argv) {
  NO_ARGS();
  g_op = "keyctl";
  long r = syscall(SYS_keyctl, KEYCTL_GET_KEYRING_ID, KEY_SPEC_SESSION_KEYRING, 0);
  return gate("keyctl(GET_KEYRING_ID, session)", r, errno);
}

static int p_add_key(int argc, char** argv) {
  NO_ARGS();
  g_op = "add_key";
  long r = syscall(SYS_add_key, "user", "cordon-escape-probe", "x", 1, KEY_SPEC_PROCESS_KEYRING);
  return gate("add_key(user)", r, errno);
}

static int p_request_key(int argc, char** argv) {
  NO_ARGS();
  g_op = "request_key";
  long r = syscall(SYS_request_key, "user", "cordon-escape-missing", NULL, KEY_SPEC_PROCESS_KEYRING);
  return gate("request_key(user, missing key)", r, errno);
}

static int p_perf_event_open(int argc, char** argv) {
  NO_ARGS();
  struct perf_event_attr a;
  memset(&a, 0, sizeof a);
  a.type = PERF_TYPE_SOFTWARE;
  a.size = sizeof a;
  a.config = PERF_COUNT_SW_CPU_CLOCK;
  a.disabled = 1;
  a.exclude_kernel = 1;
  a.exclude_hv = 1;
  g_op = "perf_event_open";
  long fd = syscall(SYS_perf_event_open, &a, 0, -1, -1, 0);
  int e = errno;
  if (fd >= 0) close((int)fd);
  return gate("perf_event_open(sw cpu-clock, self)", fd, e);
}

static int p_io_uring_setup(int argc, char** argv) {
  NO_ARGS();
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  g_op = "io_uring_setup";
  long fd = syscall(425, 4, &p);
  int e = errno;
  if (fd >= 0) close((int)fd);
  return gate("io_uring_setup (syscall 425)", fd, e);
}

static int p_userfaultfd(int argc, char** argv) {
  NO_ARGS();
  g_op = "userfaultfd";
  long fd = syscall(SYS_userfaultfd, O_CLOEXEC | UFFD_USER_MODE_ONLY);
  int e = errno;
  if (fd >= 0) close((int)fd);
  if (fd < 0 && e == EINVAL) {  // kernels without UFFD_USER_MODE_ONLY
    fd = syscall(SYS_userfaultfd, O_CLOEXEC);
    e = errno;
    if (fd >= 0) close((int)fd);
  }
  return gate("userfaultfd", fd, e);
}

// init_module with 64 zero bytes: ENOEXEC means it was allowed to try.
static int p_init_module(int argc, char** argv) {
  NO_ARGS();
  static char junk[64];
  g_op = "init_module";
  long r = syscall(SYS_init_module, junk, sizeof junk, "");
  return gate("init_module(garbage)", r, errno);
}

// finit_module of our own executable (not a module): ENOEXEC means it was allowed to try.
static int p_finit_module(int argc, char** argv) {
  NO_ARGS();
  int fd = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
  if (fd < 0) fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
  g_op = "finit_module";
  long r = syscall(SYS_finit_module, fd, "", 0);
  int e = errno;
  close(fd);
  return gate("finit_module(not a module)", r, e);
}

// kexec_load with an unknown flag: EINVAL means it passed the permission check.
static int p_kexec_load(int argc, char** argv) {
  NO_ARGS();
  g_op = "kexec_load";
  long r = syscall(SYS_kexec_load, 0ul, 0ul, NULL, 0x8000ul);
  return gate("kexec_load(invalid flag)", r, errno);
}

static int p_kexec_file_load(int argc, char** argv) {
  NO_ARGS();
  g_op = "kexec_file_load";
  long r = syscall(SYS_kexec_file_load, -1, -1, 0ul, NULL, 0x8000ul);
  return gate("kexec_file_load(invalid flag)", r, errno);
}

// reboot with the right magic and an unknown command: EINVAL means permitted.
static int p_reboot(int argc, char** argv) {
  NO_ARGS();
  g_op = "reboot";
  long r = syscall(SYS_reboot, LINUX_REBOOT_MAGIC1, LINUX_REBOOT_MAGIC2, 0xdeadbeef, NULL);
  return gate("reboot(unknown cmd)", r, errno);
}

// swapon WS — a file that does not exist: ENOENT means permitted.
static int p_swapon(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/cordon-escape-no-such-swapfile", argv[0]);
  g_op = "swapon";
  long r = swapon(p, 0);
  int e = errno;
  if (r == 0) swapoff(p);
  return gate("swapon(missing file)", r, e);
}

// acct WS — a path under a missing directory: ENOENT means permitted.
static int p_acct(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/cordon-escape-no-such-dir/acct", argv[0]);
  g_op = "acct";
  long r = acct(p);
  int e = errno;
  if (r == 0) acct(NULL);
  return gate("acct(missing path)", r, e);
}

static int p_personality(int argc, char** argv) {
  NO_ARGS();
  g_op = "personality";
  int cur = personality(0xffffffff);
  if (cur == -1) return blocked("personality(query) -> %s", en(errno));
  char tried[128] = "";
  const struct {
    unsigned long flag;
    const char* name;
  } flags[] = {{READ_IMPLIES_EXEC, "READ_IMPLIES_EXEC"}, {ADDR_NO_RANDOMIZE, "ADDR_NO_RANDOMIZE"}};
  for (size_t i = 0; i < 2; i++) {
    int r = personality((unsigned long)cur | flags[i].flag);
    int now = personality(0xffffffff);
    if (r != -1 && now != -1 && ((unsigned long)now & flags[i].flag)) {
      personality((unsigned long)cur);
      return escaped("personality(%s) took effect", flags[i].name);
    }
    note(tried, sizeof tried, flags[i].name, r == -1 ? errno : EINVAL);
  }
  return blocked("personality changes refused (%s)", tried);
}

static int p_iopl(int argc, char** argv) {
  NO_ARGS();
#if defined(__x86_64__)
  g_op = "iopl";
  if (iopl(3) == 0) {
    iopl(0);
    return escaped("iopl(3) granted I/O port access");
  }
  int e = errno;
  g_op = "ioperm";
  if (ioperm(0x80, 1, 1) == 0) return escaped("ioperm(0x80) granted port access");
  return blocked("iopl(3) -> %s, ioperm -> %s", en(e), en(errno));
#else
  return skipped("iopl exists only on x86");
#endif
}

static int p_syslog(int argc, char** argv) {
  NO_ARGS();
  static char buf[4096];
  g_op = "syslog";
  int n = klogctl(3 /* SYSLOG_ACTION_READ_ALL */, buf, sizeof buf);
  if (n > 0) return escaped("read %d bytes of the kernel log via syslog(2)", n);
  if (n == 0) return blocked("syslog(READ_ALL) returned nothing");
  return blocked("syslog(READ_ALL) -> %s", en(errno));
}

static int p_fanotify(int argc, char** argv) {
  NO_ARGS();
  g_op = "fanotify_init";
  int fd = fanotify_init(FAN_CLASS_CONTENT | FAN_CLOEXEC, O_RDONLY);
  int e = errno;
  if (fd >= 0) close(fd);
  return gate("fanotify_init(FAN_CLASS_CONTENT)", fd, e);
}

// settime — adjtimex(ADJ_TICK) with the current tick: needs CAP_SYS_TIME, changes nothing.
static int p_settime(int argc, char** argv) {
  NO_ARGS();
  struct timex tx;
  memset(&tx, 0, sizeof tx);
  if (adjtimex(&tx) < 0) return blocked("adjtimex(read) -> %s", en(errno));
  tx.modes = ADJ_TICK;
  g_op = "adjtimex";
  int r = adjtimex(&tx);
  return gate("adjtimex(ADJ_TICK, unchanged)", r, errno);
}

static int p_rt_sched(int argc, char** argv) {
  NO_ARGS();
  struct sched_param sp = {.sched_priority = 1};
  g_op = "sched_setscheduler";
  if (sched_setscheduler(0, SCHED_FIFO, &sp) == 0) {
    struct sched_param zero = {.sched_priority = 0};
    sched_setscheduler(0, SCHED_OTHER, &zero);
    return escaped("got SCHED_FIFO real-time priority");
  }
  return blocked("sched_setscheduler(SCHED_FIFO) -> %s", en(errno));
}

static int p_ioprio(int argc, char** argv) {
  NO_ARGS();
  g_op = "ioprio_set";
  long r = syscall(SYS_ioprio_set, 1 /* IOPRIO_WHO_PROCESS */, 0, (1 << 13) | 4 /* RT class, level 4 */);
  return gate("ioprio_set(real-time class)", r, errno);
}

// mknod WS b:MAJ:MIN — a device node for the host's disk, then read it.
static int p_mknod(int argc, char** argv) {
  NEED(2, "WORKSPACE b|c:MAJOR:MINOR");
  char kind = 0;
  unsigned maj = 0, min = 0;
  if (sscanf(argv[1], "%c:%u:%u", &kind, &maj, &min) != 3 || (kind != 'b' && kind != 'c'))
    return usage_error("bad device %s", argv[1]);
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/cordon-escape-node-%d", argv[0], getpid());
  g_op = "mknod";
  if (mknod(p, (kind == 'b' ? S_IFBLK : S_IFCHR) | 0600, makedev(maj, min)) != 0)
    return blocked("mknod %c %u:%u -> %s", kind, maj, min, en(errno));
  int fd = open(p, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  int e = errno;
  char buf[512];
  ssize_t n = fd >= 0 ? read(fd, buf, sizeof buf) : -1;
  if (fd >= 0) close(fd);
  unlink(p);
  if (fd >= 0) return escaped("opened a self-made device node %c %u:%u (read %zd bytes)", kind, maj, min, n);
  return blocked("mknod allowed but open -> %s (nodev)", en(e));
}

// =========================================================================================================
// Network

static const struct {
  const char* name;
  int family;
} kFamilies[] = {{"netlink", AF_NETLINK}, {"packet", AF_PACKET},   {"vsock", AF_VSOCK},   {"bluetooth", AF_BLUETOOTH},
                 {"alg", AF_ALG},         {"key", AF_KEY},         {"xdp", AF_XDP},       {"can", AF_CAN},
                 {"tipc", AF_TIPC},       {"rds", AF_RDS},         {"llc", AF_LLC},       {"smc", AF_SMC},
                 {"appletalk", AF_APPLETALK}, {"x25", AF_X25},     {"ax25", AF_AX25},     {"ipx", AF_IPX},
                 {"netrom", AF_NETROM},   {"rose", AF_ROSE},       {"atmpvc", AF_ATMPVC}, {"pppox", AF_PPPOX},
                 {"phonet", AF_PHONET},   {"ieee802154", AF_IEEE802154}, {"caif", AF_CAIF}, {"nfc", AF_NFC},
                 {"kcm", AF_KCM},         {"qipcrtr", AF_QIPCRTR}, {"rxrpc", AF_RXRPC},   {"isdn", AF_ISDN},
                 {"mctp", 45}};

static const int kTypes[] = {SOCK_DGRAM, SOCK_RAW, SOCK_STREAM, SOCK_SEQPACKET};

// Tries every socket type; returns the fd-producing type or 0, and the errnos seen.
static int try_family(int family, char* tried, size_t cap) {
  for (size_t i = 0; i < sizeof kTypes / sizeof *kTypes; i++) {
    int fd = socket(family, kTypes[i] | SOCK_CLOEXEC, 0);
    if (fd >= 0) {
      close(fd);
      return kTypes[i];
    }
    char label[16];
    snprintf(label, sizeof label, "t%d", kTypes[i]);
    note(tried, cap, label, errno);
  }
  return 0;
}

// socket FAMILY
static int p_socket(int argc, char** argv) {
  NEED(1, "FAMILY (netlink, packet, vsock, bluetooth, alg, ...)");
  int family = -1;
  for (size_t i = 0; i < sizeof kFamilies / sizeof *kFamilies; i++)
    if (!strcmp(kFamilies[i].name, argv[0])) family = kFamilies[i].family;
  if (family < 0) return usage_error("unknown family %s", argv[0]);
  char tried[256] = "";
  g_op = "socket";
  int type = try_family(family, tried, sizeof tried);
  if (type) return escaped("socket(AF_%s, type %d) created", argv[0], type);
  return blocked("socket(AF_%s) -> %s", argv[0], tried);
}

// socket_sweep — every address family but unix/inet/inet6.
static int p_socket_sweep(int argc, char** argv) {
  NO_ARGS();
  char ok[512] = "";
  int eperm = 0, other = 0;
  g_op = "socket";
  for (int fam = 0; fam < 64; fam++) {
    if (fam == AF_UNIX || fam == AF_INET || fam == AF_INET6) continue;
    for (size_t i = 0; i < sizeof kTypes / sizeof *kTypes; i++) {
      int fd = socket(fam, kTypes[i] | SOCK_CLOEXEC, 0);
      if (fd >= 0) {
        close(fd);
        size_t len = strlen(ok);
        snprintf(ok + len, sizeof ok - len, "%s%d/%d", len ? "," : "", fam, kTypes[i]);
        break;
      }
      if (errno == EPERM || errno == EACCES) eperm++;
      else other++;
    }
  }
  if (*ok) return escaped("created sockets of families/types %s", ok);
  return blocked("no other family opened (%d refused with EPERM/EACCES, %d unsupported)", eperm, other);
}

// socket_hibits — a family number with bit 32 set; the kernel truncates it to int, a filter might not.
static int p_socket_hibits(int argc, char** argv) {
  NO_ARGS();
  char tried[128] = "";
  const int fams[] = {AF_NETLINK, AF_PACKET};
  g_op = "socket(family | 1<<32)";
  for (size_t i = 0; i < 2; i++) {
    long fd = syscall(SYS_socket, (1ul << 32) | (unsigned long)fams[i], (unsigned long)SOCK_RAW, 0ul);
    if (fd < 0 && fams[i] == AF_NETLINK) fd = syscall(SYS_socket, (1ul << 32) | (unsigned long)fams[i], (unsigned long)SOCK_DGRAM, 0ul);
    if (fd >= 0) {
      close((int)fd);
      return escaped("socket(%d | 1<<32) created a socket", fams[i]);
    }
    note(tried, sizeof tried, fams[i] == AF_NETLINK ? "netlink" : "packet", errno);
  }
  return blocked("socket with high bits -> %s", tried);
}

// raw_inet — raw IPv4/IPv6 and SOCK_PACKET sockets.
static int p_raw_inet(int argc, char** argv) {
  NO_ARGS();
  char tried[128] = "";
  const struct {
    int fam, type, proto;
    const char* name;
  } s[] = {{AF_INET, SOCK_RAW, IPPROTO_ICMP, "inet-raw"},
           {AF_INET6, SOCK_RAW, IPPROTO_ICMPV6, "inet6-raw"},
           {AF_INET, SOCK_PACKET, 0x0300, "inet-packet"}};
  g_op = "socket(SOCK_RAW)";
  for (size_t i = 0; i < 3; i++) {
    int fd = socket(s[i].fam, s[i].type | SOCK_CLOEXEC, s[i].proto);
    if (fd >= 0) {
      close(fd);
      return escaped("created a %s socket", s[i].name);
    }
    note(tried, sizeof tried, s[i].name, errno);
  }
  return blocked("raw sockets -> %s", tried);
}

static int connect_timeout(int fd, const struct sockaddr* sa, socklen_t len, int ms) {
  int fl = fcntl(fd, F_GETFL);
  fcntl(fd, F_SETFL, fl | O_NONBLOCK);
  int r = connect(fd, sa, len);
  if (r != 0 && errno == EINPROGRESS) {
    struct pollfd p = {fd, POLLOUT, 0};
    if (poll(&p, 1, ms) <= 0) {
      errno = ETIMEDOUT;
      return -1;
    }
    int err = 0;
    socklen_t el = sizeof err;
    getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &el);
    if (err) {
      errno = err;
      return -1;
    }
    r = 0;
  }
  fcntl(fd, F_SETFL, fl);
  return r;
}

// An IPv4 or IPv6 literal (brackets allowed) and a port as a socket address; false if it is neither.
static bool inet_addr_of(const char* host, int port, struct sockaddr_storage* ss, socklen_t* len) {
  char h[INET6_ADDRSTRLEN + 2];
  snprintf(h, sizeof h, "%s", host);
  char* p = h;
  if (*p == '[') {
    p++;
    char* close = strchr(p, ']');
    if (close) *close = 0;
  }
  memset(ss, 0, sizeof *ss);
  struct sockaddr_in* s4 = (struct sockaddr_in*)ss;
  struct sockaddr_in6* s6 = (struct sockaddr_in6*)ss;
  if (inet_pton(AF_INET, p, &s4->sin_addr) == 1) {
    s4->sin_family = AF_INET;
    s4->sin_port = htons((uint16_t)port);
    *len = sizeof *s4;
    return true;
  }
  if (inet_pton(AF_INET6, p, &s6->sin6_addr) == 1) {
    s6->sin6_family = AF_INET6;
    s6->sin6_port = htons((uint16_t)port);
    *len = sizeof *s6;
    return true;
  }
  return false;
}

// tcp PORT TAG [ADDR] — a listener the harness runs on the host's 127.0.0.1 (or on ADDR, another address of
// the host: outside the sandbox's network namespace either is out of reach).
static int p_tcp(int argc, char** argv) {
  NEED(2, "PORT TAG [ADDR]");
  const char* addr = argc > 2 ? argv[2] : "127.0.0.1";
  struct sockaddr_storage ss;
  socklen_t sl;
  if (!inet_addr_of(addr, atoi(argv[0]), &ss, &sl)) return usage_error("bad address %s", addr);
  int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return blocked("socket(%s) -> %s", ss.ss_family == AF_INET ? "AF_INET" : "AF_INET6", en(errno));
  if (connect_timeout(fd, (struct sockaddr*)&ss, sl, 2000) != 0) {
    int e = errno;
    close(fd);
    return blocked("connect %s:%s -> %s", addr, argv[0], en(e));
  }
  char msg[128];
  snprintf(msg, sizeof msg, "cordon-escape %s\n", argv[1]);
  write_all(fd, msg, strlen(msg));
  close(fd);
  return escaped("connected to the host listener %s:%s", addr, argv[0]);
}

// udp PORT TAG [ADDR] — the host's echo listener answers.
static int p_udp(int argc, char** argv) {
  NEED(2, "PORT TAG [ADDR]");
  const char* addr = argc > 2 ? argv[2] : "127.0.0.1";
  struct sockaddr_storage ss;
  socklen_t sl;
  if (!inet_addr_of(addr, atoi(argv[0]), &ss, &sl)) return usage_error("bad address %s", addr);
  int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return blocked("socket(DGRAM) -> %s", en(errno));
  char msg[128];
  snprintf(msg, sizeof msg, "cordon-escape %s\n", argv[1]);
  if (sendto(fd, msg, strlen(msg), 0, (struct sockaddr*)&ss, sl) < 0) {
    int e = errno;
    close(fd);
    return blocked("sendto %s:%s -> %s", addr, argv[0], en(e));
  }
  struct pollfd p = {fd, POLLIN, 0};
  char buf[256];
  ssize_t n = poll(&p, 1, 1500) > 0 ? recv(fd, buf, sizeof buf, 0) : -1;
  int e = n < 0 && errno ? errno : ETIMEDOUT;
  close(fd);
  if (n > 0) return escaped("the host UDP listener on %s:%s answered", addr, argv[0]);
  return blocked("no answer from %s:%s (%s)", addr, argv[0], en(e));
}

// ---- around the allowlist proxy -------------------------------------------------------------------------
// In allowlist mode the sandbox's only way out is cordon's proxy on its own 127.0.0.1:3128, which must refuse
// every target the policy does not name: the host's listener by any spelling of its address, loopback names,
// the unspecified address (0.0.0.0 reaches the local host on Linux), and every other address of the host.

#define PROXY_PORT 3128

static int proxy_socket(void) {
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons(PROXY_PORT)};
  sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect_timeout(fd, (struct sockaddr*)&sa, sizeof sa, 2000) != 0) {
    int e = errno;
    close(fd);
    errno = e;
    return -1;
  }
  struct timeval tv = {.tv_sec = 12};  // longer than the proxy's own connect timeout
  setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
  return fd;
}

static ssize_t recv_some(int fd, char* buf, size_t cap) {
  size_t n = 0;
  while (n + 1 < cap) {
    ssize_t r = recv(fd, buf + n, cap - 1 - n, 0);
    if (r <= 0) break;
    n += (size_t)r;
    buf[n] = 0;
    if (strstr(buf, "\r\n\r\n") || strstr(buf, "cordon-serve")) break;
  }
  buf[n] = 0;
  return (ssize_t)n;
}

// Through an open tunnel: send the tag (the host listener logs it) and wait for the listener's greeting.
static bool tunnel_reaches(int fd, const char* tag) {
  char msg[128], buf[512];
  snprintf(msg, sizeof msg, "cordon-escape %s\n", tag);
  write_all(fd, msg, strlen(msg));
  return recv_some(fd, buf, sizeof buf) > 0 && strstr(buf, "cordon-serve") != NULL;
}

// One CONNECT; returns 1 if a tunnel opened (an escape), 0 if refused; appends the answer to `tried`.
static int via_connect(const char* target, const char* tag, char* tried, size_t cap) {
  int fd = proxy_socket();
  if (fd < 0) {
    note(tried, cap, target, errno);
    return 0;
  }
  char req[512], buf[1024];
  snprintf(req, sizeof req, "CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n", target, target);
  write_all(fd, req, strlen(req));
  ssize_t n = recv_some(fd, buf, sizeof buf);
  int code = n > 12 && !strncmp(buf, "HTTP/1.", 7) ? atoi(buf + 9) : 0;
  if (code == 200) {
    bool reached = tunnel_reaches(fd, tag);
    close(fd);
    return reached ? 1 : 2;
  }
  close(fd);
  size_t len = strlen(tried);
  snprintf(tried + len, cap - len, "%sC:%s=%d", len ? " " : "", target, code);
  return 0;
}

// One absolute-form (or origin-form with a Host header) request; the proxy relays the listener's greeting.
static int via_http(const char* request, const char* label, char* tried, size_t cap) {
  int fd = proxy_socket();
  if (fd < 0) {
    note(tried, cap, label, errno);
    return 0;
  }
  char buf[1024];
  write_all(fd, request, strlen(request));
  ssize_t n = recv_some(fd, buf, sizeof buf);
  close(fd);
  if (n > 0 && strstr(buf, "cordon-serve")) return 1;
  int code = n > 12 && !strncmp(buf, "HTTP/1.", 7) ? atoi(buf + 9) : 0;
  size_t len = strlen(tried);
  snprintf(tried + len, cap - len, "%sH:%s=%d", len ? " " : "", label, code);
  return 0;
}

// One SOCKS5 request: atyp 1 (IPv4), 3 (name) or 4 (IPv6).
static int via_socks(int atyp, const char* host, int port, const char* tag, char* tried, size_t cap) {
  int fd = proxy_socket();
  if (fd < 0) {
    note(tried, cap, host, errno);
    return 0;
  }
  unsigned char req[300] = {5, 1, 0};
  unsigned char rep[300];
  int rc = 0, code = -1;
  size_t len = 0;
  write_all(fd, req, 3);
  if (recv(fd, rep, 2, MSG_WAITALL) != 2 || rep[1] != 0) goto out;
  req[len++] = 5;
  req[len++] = 1;
  req[len++] = 0;
  req[len++] = (unsigned char)atyp;
  if (atyp == 1) {
    inet_pton(AF_INET, host, req + len);
    len += 4;
  } else if (atyp == 4) {
    inet_pton(AF_INET6, host, req + len);
    len += 16;
  } else {
    size_t hl = strlen(host);
    req[len++] = (unsigned char)hl;
    memcpy(req + len, host, hl);
    len += hl;
  }
  req[len++] = (unsigned char)(port >> 8);
  req[len++] = (unsigned char)port;
  write_all(fd, req, len);
  if (recv(fd, rep, 4, MSG_WAITALL) != 4) goto out;
  code = rep[1];
  if (code == 0) {
    size_t rest = rep[3] == 1 ? 4 : rep[3] == 4 ? 16 : 0;
    if (rep[3] == 3 && recv(fd, rep, 1, MSG_WAITALL) == 1) rest = rep[0];
    recv(fd, rep, rest + 2, MSG_WAITALL);
    rc = tunnel_reaches(fd, tag) ? 1 : 2;
  }
out:
  close(fd);
  if (rc == 0) {
    size_t tl = strlen(tried);
    snprintf(tried + tl, cap - tl, "%sS%d:%s=%d", tl ? " " : "", atyp, host, code);
  }
  return rc;
}

// proxy_bypass PORT TAG [ADDR]... — reach the host's TCP listener (127.0.0.1:PORT, and PORT on each ADDR, the
// host's other addresses) directly, then through the sandbox's proxy (if one listens on 127.0.0.1:3128) with
// every spelling of those addresses: CONNECT, absolute-form and Host-header HTTP, SOCKS5 by address and name.
// Natively the direct connection gets there (the control); in allowlist mode every route must be refused.
static int p_proxy_bypass(int argc, char** argv) {
  NEED(2, "PORT TAG [ADDR]...");
  const int port = atoi(argv[0]);
  const char* tag = argv[1];
  char tried[4096] = "";
  // Directly: 127.0.0.1, then each ADDR (argv[2..]).
  for (int i = 1; i < argc; i++) {
    const char* addr = i == 1 ? "127.0.0.1" : argv[i];
    struct sockaddr_storage ss;
    socklen_t sl;
    if (!inet_addr_of(addr, port, &ss, &sl)) return usage_error("bad address %s", addr);
    int fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0 || connect_timeout(fd, (struct sockaddr*)&ss, sl, 2000) != 0) {
      note(tried, sizeof tried, addr, errno);
      if (fd >= 0) close(fd);
      continue;
    }
    bool reached = tunnel_reaches(fd, tag);
    close(fd);
    if (reached) return escaped("connected directly to the host listener %s:%d", addr, port);
  }
  int probe = proxy_socket();
  if (probe < 0) return blocked("no direct route (%s), and no proxy on 127.0.0.1:%d (%s)", tried, PROXY_PORT, en(errno));
  close(probe);
  // Through the proxy.
  const char* spellings[] = {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "127.0.1", "0x7f.1",
                             "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:127.0.0.1]", "[::127.0.0.1]",
                             "[64:ff9b::127.0.0.1]", "[::1]", "0.0.0.0", "0", "[::]", "localhost", "LOCALHOST.",
                             "localhost.localdomain", "ip6-localhost"};
  char target[300], req[768];
  int r;
  for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
    snprintf(target, sizeof target, "%s:%d", spellings[i], port);
    if ((r = via_connect(target, tag, tried, sizeof tried)) != 0)
      return escaped("the proxy opened a tunnel to %s%s", target, r == 1 ? " and it reached the host listener" : "");
  }
  char self[256] = "";
  if (gethostname(self, sizeof self - 1) == 0 && *self) {  // the sandbox's own name; the host's, if it shows
    snprintf(target, sizeof target, "%s:%d", self, port);
    if ((r = via_connect(target, tag, tried, sizeof tried)) != 0) return escaped("the proxy opened a tunnel to %s", target);
  }
  for (int i = 2; i < argc; i++) {
    snprintf(target, sizeof target, strchr(argv[i], ':') && argv[i][0] != '[' ? "[%s]:%d" : "%s:%d", argv[i], port);
    if ((r = via_connect(target, tag, tried, sizeof tried)) != 0)
      return escaped("the proxy opened a tunnel to the host's %s%s", target, r == 1 ? " and reached its listener" : "");
  }
  snprintf(req, sizeof req, "GET http://127.0.0.1:%d/cordon-escape-%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", port, tag, port);
  if (via_http(req, "absolute", tried, sizeof tried)) return escaped("the proxy forwarded GET http://127.0.0.1:%d/", port);
  snprintf(req, sizeof req, "GET http://x@127.0.0.1:%d/ HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", port, port);
  if (via_http(req, "userinfo", tried, sizeof tried)) return escaped("the proxy forwarded GET http://x@127.0.0.1:%d/", port);
  snprintf(req, sizeof req, "GET /cordon-escape-%s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\n\r\n", tag, port);
  if (via_http(req, "origin+host", tried, sizeof tried)) return escaped("the proxy forwarded an origin-form request by its Host header");
  const char* socks_v4[] = {"127.0.0.1", "0.0.0.0"};
  for (size_t i = 0; i < 2; i++)
    if ((r = via_socks(1, socks_v4[i], port, tag, tried, sizeof tried)) != 0) return escaped("SOCKS5 to %s:%d opened", socks_v4[i], port);
  const char* socks_v6[] = {"::ffff:127.0.0.1", "::1", "::"};
  for (size_t i = 0; i < 3; i++)
    if ((r = via_socks(4, socks_v6[i], port, tag, tried, sizeof tried)) != 0) return escaped("SOCKS5 to [%s]:%d opened", socks_v6[i], port);
  const char* socks_names[] = {"127.0.0.1", "2130706433", "localhost", "[::1]"};
  for (size_t i = 0; i < 4; i++)
    if ((r = via_socks(3, socks_names[i], port, tag, tried, sizeof tried)) != 0) return escaped("SOCKS5 to name %s:%d opened", socks_names[i], port);
  for (int i = 2; i < argc; i++) {
    const char* a = argv[i][0] == '[' ? argv[i] + 1 : argv[i];
    char plain[INET6_ADDRSTRLEN];
    snprintf(plain, sizeof plain, "%.*s", (int)strcspn(a, "]"), a);
    if ((r = via_socks(strchr(plain, ':') ? 4 : 1, plain, port, tag, tried, sizeof tried)) != 0)
      return escaped("SOCKS5 to the host's %s:%d opened", plain, port);
  }
  return blocked("every route refused: %s", tried);
}

static int unix_connect(const char* name, bool abstract, const char* tag, int* err) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    *err = errno;
    return -1;
  }
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  size_t off = abstract ? 1 : 0;
  size_t len = strlen(name);
  if (len + off >= sizeof sa.sun_path) len = sizeof sa.sun_path - off - 1;
  memcpy(sa.sun_path + off, name, len);
  socklen_t sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + off + len + (abstract ? 0 : 1));
  if (connect(fd, (struct sockaddr*)&sa, sl) != 0) {
    *err = errno;
    close(fd);
    return -1;
  }
  char msg[128];
  snprintf(msg, sizeof msg, "cordon-escape %s\n", tag);
  write_all(fd, msg, strlen(msg));
  close(fd);
  return 0;
}

// unix PATH TAG — a path socket outside (host /tmp, /run, HOME).
static int p_unix(int argc, char** argv) {
  NEED(2, "SOCKET-PATH TAG");
  int e = 0;
  if (unix_connect(argv[0], false, argv[1], &e) == 0) return escaped("connected to the unix socket %s", argv[0]);
  return blocked("connect %s -> %s", argv[0], en(e));
}

// abstract NAME TAG — an abstract socket bound in the host's network namespace.
static int p_abstract(int argc, char** argv) {
  NEED(2, "NAME TAG");
  int e = 0;
  if (unix_connect(argv[0], true, argv[1], &e) == 0) return escaped("connected to the abstract socket @%s", argv[0]);
  return blocked("connect @%s -> %s", argv[0], en(e));
}

// dns — one query to each nameserver of /etc/resolv.conf; any answer means the network is reachable.
static int p_dns(int argc, char** argv) {
  NO_ARGS();
  static char conf[8192];
  ssize_t n = slurp("/etc/resolv.conf", conf, sizeof conf);
  if (n < 0) return blocked("read /etc/resolv.conf -> %s (no resolver)", en(errno));
  unsigned char q[64] = {0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0};
  size_t ql = 12;
  const char* labels[] = {"cordon-escape-probe", "invalid"};
  for (size_t i = 0; i < 2; i++) {
    size_t l = strlen(labels[i]);
    q[ql++] = (unsigned char)l;
    memcpy(q + ql, labels[i], l);
    ql += l;
  }
  q[ql++] = 0;
  q[ql++] = 0;
  q[ql++] = 1;  // A
  q[ql++] = 0;
  q[ql++] = 1;  // IN
  char tried[512] = "";
  int servers = 0;
  for (char* line = strtok(conf, "\n"); line; line = strtok(NULL, "\n")) {
    char ns[128];
    if (sscanf(line, " nameserver %127s", ns) != 1) continue;
    servers++;
    struct sockaddr_storage ss;
    memset(&ss, 0, sizeof ss);
    socklen_t sl;
    struct sockaddr_in* s4 = (struct sockaddr_in*)&ss;
    struct sockaddr_in6* s6 = (struct sockaddr_in6*)&ss;
    if (inet_pton(AF_INET, ns, &s4->sin_addr) == 1) {
      s4->sin_family = AF_INET;
      s4->sin_port = htons(53);
      sl = sizeof *s4;
    } else if (inet_pton(AF_INET6, ns, &s6->sin6_addr) == 1) {
      s6->sin6_family = AF_INET6;
      s6->sin6_port = htons(53);
      sl = sizeof *s6;
    } else {
      continue;
    }
    int fd = socket(ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
      note(tried, sizeof tried, ns, errno);
      continue;
    }
    if (sendto(fd, q, ql, 0, (struct sockaddr*)&ss, sl) < 0) {
      note(tried, sizeof tried, ns, errno);
      close(fd);
      continue;
    }
    struct pollfd p = {fd, POLLIN, 0};
    unsigned char ans[512];
    ssize_t r = poll(&p, 1, 2000) > 0 ? recv(fd, ans, sizeof ans, 0) : -1;
    int e = r < 0 && errno ? errno : ETIMEDOUT;
    close(fd);
    if (r >= 12 && ans[0] == 0x12 && ans[1] == 0x34) return escaped("nameserver %s answered a DNS query", ns);
    note(tried, sizeof tried, ns, e);
  }
  if (!servers) return blocked("no nameserver configured");
  return blocked("no DNS answer (%s)", tried);
}

// net_ifaces — nothing but loopback in the network namespace, and no route out.
static int p_net_ifaces(int argc, char** argv) {
  NO_ARGS();
  static char buf[16384];
  ssize_t n = slurp("/proc/net/dev", buf, sizeof buf);
  char others[256] = "";
  if (n > 0) {
    int lineno = 0;
    for (char* line = strtok(buf, "\n"); line; line = strtok(NULL, "\n")) {
      if (++lineno <= 2) continue;
      char name[64];
      if (sscanf(line, " %63[^:]:", name) != 1 || !strcmp(name, "lo")) continue;
      size_t len = strlen(others);
      snprintf(others + len, sizeof others - len, "%s%s", len ? "," : "", name);
    }
  } else {
    struct ifconf ifc;
    struct ifreq reqs[32];
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    if (fd < 0) return blocked("no /proc/net/dev and socket -> %s", en(errno));
    ifc.ifc_len = sizeof reqs;
    ifc.ifc_req = reqs;
    if (ioctl(fd, SIOCGIFCONF, &ifc) == 0) {
      for (size_t i = 0; i < ifc.ifc_len / sizeof *reqs; i++) {
        if (!strcmp(reqs[i].ifr_name, "lo")) continue;
        size_t len = strlen(others);
        snprintf(others + len, sizeof others - len, "%s%.16s", len ? "," : "", reqs[i].ifr_name);
      }
    }
    close(fd);
  }
  if (*others) return escaped("network interfaces besides lo: %s", others);
  n = slurp("/proc/net/route", buf, sizeof buf);
  if (n > 0 && strchr(buf, '\n') && strchr(strchr(buf, '\n') + 1, '\t'))
    return escaped("an IPv4 route exists: %.60s", strchr(buf, '\n') + 1);
  return blocked("only the loopback interface, no IPv4 route");
}

// =========================================================================================================
// /proc/sys, /sys, /dev, hostname

// sysctl_write PATH — write back the value it already has.
static int p_sysctl_write(int argc, char** argv) {
  NEED(1, "/proc/sys/PATH");
  static char cur[4096];
  ssize_t n = slurp(argv[0], cur, sizeof cur);
  if (n < 0) return blocked("read %s -> %s", argv[0], en(errno));
  int fd = open(argv[0], O_WRONLY | O_CLOEXEC);
  if (fd < 0) return blocked("open %s for writing -> %s", argv[0], en(errno));
  ssize_t w = write(fd, cur, (size_t)n);
  int e = errno;
  close(fd);
  if (w < 0) return blocked("write %s -> %s", argv[0], en(e));
  return escaped("wrote %s (its own value back)", argv[0]);
}

// dev_open PATH — a device or kernel file that must not be reachable. Opened only, never read (a tty's
// input belongs to someone else).
static int p_dev_open(int argc, char** argv) {
  NEED(1, "DEVICE");
  int fd = open(argv[0], O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return blocked("open %s -> %s", argv[0], en(errno));
  close(fd);
  return escaped("opened %s", argv[0]);
}

static void scan_block(const char* dir, int depth, char* found, size_t cap, int* count) {
  DIR* d = opendir(dir);
  if (!d) return;
  struct dirent* e;
  while ((e = readdir(d)) != NULL) {
    if (e->d_name[0] == '.') continue;
    char p[PATH_MAX];
    path_join(p, sizeof p, dir, e->d_name);
    struct stat st;
    if (lstat(p, &st) != 0) continue;
    if (S_ISBLK(st.st_mode)) {
      if (!*count) snprintf(found, cap, "%s", p);
      (*count)++;
    } else if (S_ISDIR(st.st_mode) && depth > 0) {
      scan_block(p, depth - 1, found, cap, count);
    }
  }
  closedir(d);
}

// dev_block — no block device node anywhere under /dev.
static int p_dev_block(int argc, char** argv) {
  NO_ARGS();
  char found[PATH_MAX] = "";
  int count = 0;
  scan_block("/dev", 3, found, sizeof found, &count);
  if (count) return escaped("%d block device nodes under /dev (e.g. %s)", count, found);
  return blocked("no block device node under /dev");
}

// sethostname NAME HOST-UTS
static int p_sethostname(int argc, char** argv) {
  NEED(2, "NAME HOST-UTS");
  if (would_touch_host("uts", argv[1])) return escaped("shares the host's UTS namespace with CAP_SYS_ADMIN (not attempting)");
  char old[256] = "";
  gethostname(old, sizeof old - 1);
  g_op = "sethostname";
  if (sethostname(argv[0], strlen(argv[0])) == 0) {
    sethostname(old, strlen(old));
    return escaped("sethostname succeeded (harness checks the host's name)");
  }
  return blocked("sethostname -> %s", en(errno));
}

// setdomainname NAME HOST-UTS
static int p_setdomainname(int argc, char** argv) {
  NEED(2, "NAME HOST-UTS");
  if (would_touch_host("uts", argv[1])) return escaped("shares the host's UTS namespace with CAP_SYS_ADMIN (not attempting)");
  char old[256] = "";
  getdomainname(old, sizeof old - 1);
  g_op = "setdomainname";
  if (setdomainname(argv[0], strlen(argv[0])) == 0) {
    setdomainname(old, strlen(old));
    return escaped("setdomainname succeeded");
  }
  return blocked("setdomainname -> %s", en(errno));
}

// =========================================================================================================
// Credentials and process state

static int p_caps(int argc, char** argv) {
  NO_ARGS();
  struct __user_cap_header_struct hdr = {.version = _LINUX_CAPABILITY_VERSION_3, .pid = 0};
  struct __user_cap_data_struct data[2];
  memset(data, 0, sizeof data);
  if (syscall(SYS_capget, &hdr, data) != 0) return blocked("capget -> %s", en(errno));
  uint64_t eff = ((uint64_t)data[1].effective << 32) | data[0].effective;
  uint64_t prm = ((uint64_t)data[1].permitted << 32) | data[0].permitted;
  uint64_t inh = ((uint64_t)data[1].inheritable << 32) | data[0].inheritable;
  uint64_t bnd = 0, amb = 0;
  for (int c = 0; c < 64; c++) {
    int r = prctl(PR_CAPBSET_READ, c, 0, 0, 0);
    if (r < 0) break;
    if (r == 1) bnd |= 1ull << c;
    if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_IS_SET, c, 0, 0) == 1) amb |= 1ull << c;
  }
  // The kernel's own account in /proc/self/status must agree.
  static char status[8192];
  ssize_t n = slurp("/proc/self/status", status, sizeof status);
  const char* fields[] = {"CapInh:", "CapPrm:", "CapEff:", "CapBnd:", "CapAmb:"};
  for (size_t i = 0; n > 0 && i < sizeof fields / sizeof *fields; i++) {
    const char* f = strstr(status, fields[i]);
    if (f && strtoull(f + strlen(fields[i]), NULL, 16) != 0)
      return escaped("/proc/self/status %s %llx", fields[i], strtoull(f + strlen(fields[i]), NULL, 16));
  }
  if (eff | prm | inh | bnd | amb)
    return escaped("capabilities present: CapEff=%016llx CapPrm=%016llx CapInh=%016llx CapBnd=%016llx CapAmb=%016llx",
                   (unsigned long long)eff, (unsigned long long)prm, (unsigned long long)inh, (unsigned long long)bnd,
                   (unsigned long long)amb);
  return blocked("all capability sets are empty (eff, prm, inh, bnd, amb)");
}

static int p_setuid0(int argc, char** argv) {
  NO_ARGS();
  if (geteuid() != 0) {
    if (setuid(0) == 0) return escaped("setuid(0) succeeded from uid %d", getuid());
    int e = errno;
    if (setresgid(0, 0, 0) == 0) return escaped("setresgid(0) succeeded");
    return blocked("setuid(0) -> %s", en(e));
  }
  // Already uid 0 (in a user namespace): the privilege that matters is CAP_SETUID/CAP_SETGID.
  if (setgroups(0, NULL) == 0) return escaped("uid 0 with CAP_SETGID: setgroups() succeeded");
  int e = errno;
  if (setresuid(0, 65534, 0) == 0) return escaped("uid 0 with CAP_SETUID: setresuid() succeeded");
  return blocked("uid 0 without CAP_SETUID/CAP_SETGID: setgroups -> %s, setresuid -> %s", en(e), en(errno));
}

static int p_nnp(int argc, char** argv) {
  NO_ARGS();
  int r = prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
  if (r != 1) return escaped("no_new_privs is %d", r);
  static char status[8192];
  ssize_t n = slurp("/proc/self/status", status, sizeof status);
  const char* f = n > 0 ? strstr(status, "NoNewPrivs:") : NULL;
  if (f && atoi(f + 11) != 1) return escaped("/proc/self/status NoNewPrivs is %d", atoi(f + 11));
  return blocked("no_new_privs is set%s", f ? " (NoNewPrivs: 1)" : "");
}

static int p_seccomp_mode(int argc, char** argv) {
  NO_ARGS();
  int r = prctl(PR_GET_SECCOMP, 0, 0, 0, 0);
  if (r == 2) return blocked("seccomp filter mode is active");
  return escaped("no seccomp filter (PR_GET_SECCOMP = %d)", r);
}

// fds — nothing but 0, 1 and 2 may be open (the harness leaks fds 7 and 8 into cordon).
static int p_fds(int argc, char** argv) {
  NO_ARGS();
  char open_fds[512] = "";
  int count = 0;
  for (int fd = 3; fd < 4096; fd++) {
    if (fcntl(fd, F_GETFD) < 0) continue;
    count++;
    char p[64], target[256] = "?";
    snprintf(p, sizeof p, "/proc/self/fd/%d", fd);
    ssize_t n = readlink(p, target, sizeof target - 1);
    if (n > 0) target[n] = 0;
    size_t len = strlen(open_fds);
    snprintf(open_fds + len, sizeof open_fds - len, "%s%d->%s", len ? " " : "", fd, target);
  }
  if (count) return escaped("%d inherited descriptors: %s", count, open_fds);
  return blocked("only fds 0-2 are open");
}

// euid_report — helper printed by a setuid copy of this program.
static int p_euid_report(int argc, char** argv) {
  NO_ARGS();
  g_reported = 1;
  dprintf(STDOUT_FILENO, "uid=%u euid=%u capeff=%llx\n", getuid(), geteuid(), (unsigned long long)cap_effective());
  return 0;
}

// Runs argv with stdin from /dev/null; returns the first line of its stdout.
static int run_capture(char* const* av, char* out, size_t cap, int* status) {
  int pfd[2];
  if (pipe2(pfd, O_CLOEXEC) != 0) return -1;
  pid_t pid = fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    int nul = open("/dev/null", O_RDWR);
    dup2(nul, 0);
    dup2(pfd[1], 1);
    dup2(nul, 2);
    alarm(10);
    execv(av[0], av);
    _exit(127);
  }
  close(pfd[1]);
  ssize_t n = slurp_fd(pfd[0], out, cap);
  close(pfd[0]);
  if (n < 0) out[0] = 0;
  waitpid(pid, status, 0);
  return 0;
}

// Compares an euid_report line with our own credentials.
static int judge_euid(const char* via, const char* out, int status) {
  unsigned uid = 0, euid = 0;
  unsigned long long capeff = 0;
  const char* line = strstr(out, "uid=");
  if (!line || sscanf(line, "uid=%u euid=%u capeff=%llx", &uid, &euid, &capeff) != 3)
    return blocked("%s did not run the helper (status %d)", via, WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
  if (euid != geteuid()) return escaped("%s gained euid %u (we are %u)", via, euid, geteuid());
  if (capeff) return escaped("%s gained capabilities %llx", via, capeff);
  return blocked("%s ran without gain (euid %u, no capabilities)", via, euid);
}

// suid_exec PATH — a setuid-root copy of this probe planted by the harness.
static int p_suid_exec(int argc, char** argv) {
  NEED(1, "SETUID-HELPER");
  char* av[] = {argv[0], "euid_report", NULL};
  char out[512] = "";
  int status = 0;
  struct stat st;
  if (stat(argv[0], &st) != 0) return blocked("stat %s -> %s", argv[0], en(errno));
  run_capture(av, out, sizeof out, &status);
  return judge_euid("the setuid-root helper", out, status);
}

// su_exec — the system's su (setuid root), asked to run our helper as root.
static int p_su_exec(int argc, char** argv) {
  NO_ARGS();
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
  if (n <= 0) return skipped("cannot find our own executable: %s", en(errno));
  self[n] = 0;
  if (access("/usr/bin/su", X_OK) != 0) return blocked("/usr/bin/su -> %s", en(errno));
  char cmd[PATH_MAX + 32];
  snprintf(cmd, sizeof cmd, "%s euid_report", self);
  char* av[] = {"/usr/bin/su", "-c", cmd, "root", NULL};
  char out[512] = "";
  int status = 0;
  run_capture(av, out, sizeof out, &status);
  return judge_euid("su root", out, status);
}

// suid_plant WS — a setuid file made inside the workspace outlives the sandbox; the harness checks its
// owner and mode from outside (a root-owned setuid file is a privilege escalation for every host user).
static int p_suid_plant(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/cordon-escape-suid-plant", argv[0]);
  unlink(p);
  if (create_file(p, "#!/bin/sh\nid\n", 0755) != 0) return blocked("create %s -> %s", p, en(errno));
  g_op = "chmod(S_ISUID)";
  if (chmod(p, 06755) != 0) return blocked("chmod 6755 -> %s", en(errno));
  struct stat st;
  if (stat(p, &st) != 0) return blocked("stat -> %s", en(errno));
  if (!(st.st_mode & (S_ISUID | S_ISGID))) return blocked("chmod 6755 left no setuid/setgid bit");
  if (st.st_uid == 0)
    return escaped("created a setuid file owned by uid 0 in the workspace (mode %o; harness checks the host view)",
                   st.st_mode & 07777);
  return blocked("setuid file owned by uid %u, not root (no gain)", st.st_uid);
}

// int80 — the 32-bit syscall entry from a 64-bit process: getpid is syscall 20 there.
static int p_int80(int argc, char** argv) {
  NO_ARGS();
#if defined(__x86_64__)
  long ret;
  g_op = "int $0x80";
  __asm__ volatile("int $0x80" : "=a"(ret) : "a"(20L) : "memory", "r8", "r9", "r10", "r11");
  if (ret == (long)getpid()) return escaped("int $0x80 getpid returned our pid %ld", ret);
  if (ret < 0 && ret > -4096) return blocked("int $0x80 getpid -> %s", en((int)-ret));
  return blocked("int $0x80 getpid returned %ld (not our pid)", ret);
#else
  return skipped("int $0x80 exists only on x86_64");
#endif
}

// x32 — getpid through the x32 ABI bit.
static int p_x32(int argc, char** argv) {
  NO_ARGS();
#if defined(__x86_64__)
  g_op = "x32 syscall";
  long r = syscall(0x40000000L | SYS_getpid);
  if (r == (long)getpid()) return escaped("x32 getpid returned our pid");
  return blocked("x32 getpid (nr | 0x40000000) -> %s", r < 0 ? en(errno) : "wrong result");
#else
  return skipped("x32 exists only on x86_64");
#endif
}

// =========================================================================================================
// Resource exhaustion (each bounded and self-cleaning)

// fork_bomb — up to 4000 sleeping children within 10 s; at least 2000 means no process limit.
static int p_fork_bomb(int argc, char** argv) {
  NO_ARGS();
  enum { kMax = 4000, kLimit = 2000 };
  static pid_t kids[kMax];
  int n = 0, err = 0;
  double t0 = now_s();
  while (n < kMax && now_s() - t0 < 10) {
    pid_t pid = fork();
    if (pid == 0) {
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() == 1) _exit(0);
      pause();
      _exit(0);
    }
    if (pid < 0) {
      err = errno;
      break;
    }
    kids[n++] = pid;
  }
  for (int i = 0; i < n; i++) kill(kids[i], SIGKILL);
  for (int i = 0; i < n; i++) waitpid(kids[i], NULL, 0);
  if (n >= kLimit) return escaped("forked %d processes without hitting a limit", n);
  return blocked("fork failed after %d children -> %s", n, err ? en(err) : "time limit");
}

static int mem_bomb(bool shared) {
  enum { kChunks = 8 };  // 8 x 1 GiB: reaching 8 GiB means no memory limit
  void* chunks[kChunks] = {0};
  int got = 0, touched = 0, err = 0;
  // Reserve first: RLIMIT_DATA refuses the mapping itself, before any page is touched.
  for (; got < kChunks; got++) {
    void* p;
    if (shared) {
      p = mmap(NULL, GIB, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
      if (p == MAP_FAILED) p = NULL;
    } else {
      p = malloc(GIB);
    }
    if (!p) {
      err = errno;
      break;
    }
    chunks[got] = p;
  }
  // Then commit every page (a cgroup limit acts here): MADV_POPULATE_WRITE, or touching each page.
  double t0 = now_s();
  for (; got == kChunks && touched < got && now_s() - t0 < 90; touched++) {
    void* p = chunks[touched];
    madvise(p, GIB, MADV_HUGEPAGE);
    if (madvise(p, GIB, MADV_POPULATE_WRITE) != 0) {
      if (errno == ENOMEM || errno == EFAULT) {
        err = errno;
        break;
      }
      for (size_t off = 0; off < GIB; off += 4096) ((volatile char*)p)[off] = (char)0xa5;
    }
  }
  for (int i = 0; i < got; i++) {
    if (shared) munmap(chunks[i], GIB);
    else free(chunks[i]);
  }
  const char* kind = shared ? "shared " : "";
  if (touched >= kChunks) return escaped("allocated and touched %d GiB of %smemory", touched, kind);
  if (got < kChunks) return blocked("%smemory allocation refused after %d GiB -> %s", kind, got, err ? en(err) : "?");
  return blocked("only %d of %d GiB of %smemory could be committed -> %s", touched, got, kind, err ? en(err) : "time limit");
}

static int p_mem_bomb(int argc, char** argv) {
  NO_ARGS();
  return mem_bomb(false);
}

// MAP_SHARED anonymous memory is not counted by RLIMIT_DATA.
static int p_mem_bomb_shared(int argc, char** argv) {
  NO_ARGS();
  return mem_bomb(true);
}

// fsize_bomb WS — write 64 MiB for real, then 1 MiB ending at 1.5 GiB (what a 2 GiB write would reach).
static int p_fsize_bomb(int argc, char** argv) {
  NEED(1, "WORKSPACE");
  signal(SIGXFSZ, SIG_IGN);
  char p[PATH_MAX];
  snprintf(p, sizeof p, "%s/cordon-escape-big-%d", argv[0], getpid());
  int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return blocked("create %s -> %s", p, en(errno));
  static char buf[1 << 20];
  memset(buf, 'x', sizeof buf);
  int err = 0;
  for (int i = 0; i < 64 && !err; i++)
    if (write(fd, buf, sizeof buf) != (ssize_t)sizeof buf) err = errno ? errno : ENOSPC;
  if (!err && pwrite(fd, buf, sizeof buf, (off_t)(3 * GIB / 2 - sizeof buf)) != (ssize_t)sizeof buf) err = errno;
  struct stat st;
  fstat(fd, &st);
  close(fd);
  unlink(p);
  if (!err) return escaped("grew a workspace file to %lld bytes (1.5 GiB)", (long long)st.st_size);
  return blocked("file growth stopped at %lld bytes -> %s", (long long)st.st_size, en(err));
}

// fill DIR — fill a (tmpfs) directory with 256 MiB files up to 2 GiB; 1.5 GiB means no size limit.
static int p_fill(int argc, char** argv) {
  NEED(1, "DIR");
  signal(SIGXFSZ, SIG_IGN);
  static char buf[1 << 20];
  memset(buf, 'y', sizeof buf);
  unsigned long long total = 0;
  int err = 0, files = 0;
  char p[PATH_MAX];
  for (; files < 8 && !err; files++) {
    snprintf(p, sizeof p, "%s/cordon-escape-fill-%d-%d", argv[0], getpid(), files);
    int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
      err = errno;
      break;
    }
    for (int i = 0; i < 256; i++) {
      ssize_t w = write(fd, buf, sizeof buf);
      if (w < 0) {
        err = errno;
        break;
      }
      total += (unsigned long long)w;
      if (w != (ssize_t)sizeof buf) {
        err = ENOSPC;
        break;
      }
    }
    close(fd);
  }
  for (int i = 0; i <= files; i++) {
    snprintf(p, sizeof p, "%s/cordon-escape-fill-%d-%d", argv[0], getpid(), i);
    unlink(p);
  }
  if (total >= 3 * GIB / 2) return escaped("wrote %llu MiB into %s without hitting a limit", total / MIB, argv[0]);
  return blocked("filling %s stopped at %llu MiB -> %s", argv[0], total / MIB, err ? en(err) : "?");
}

// orphan WS — a detached grandchild that would write WS/cordon-escape-orphan-TAG 2 s later; the harness
// checks that it died with the sandbox.
static int p_orphan(int argc, char** argv) {
  NEED(2, "WORKSPACE TAG");
  pid_t c = fork();
  if (c < 0) return blocked("fork -> %s", en(errno));
  if (c == 0) {
    setsid();
    if (fork() == 0) {
      for (int fd = 0; fd < 1024; fd++) close(fd);
      sleep(2);
      char p[PATH_MAX];
      snprintf(p, sizeof p, "%s/cordon-escape-orphan-%s", argv[0], argv[1]);
      create_file(p, "survived\n", 0644);
      _exit(0);
    }
    _exit(0);
  }
  waitpid(c, NULL, 0);
  return blocked("spawned a detached grandchild (harness checks it did not outlive the sandbox)");
}

// core_dump — core dumps must stay off (RLIMIT_CORE hard limit 0).
static int p_core_dump(int argc, char** argv) {
  NO_ARGS();
  struct rlimit rl;
  if (getrlimit(RLIMIT_CORE, &rl) != 0) return blocked("getrlimit -> %s", en(errno));
  if (rl.rlim_max == 0) return blocked("RLIMIT_CORE hard limit is 0");
  rl.rlim_cur = rl.rlim_max;
  if (setrlimit(RLIMIT_CORE, &rl) == 0) return escaped("raised RLIMIT_CORE to %llu", (unsigned long long)rl.rlim_cur);
  return blocked("RLIMIT_CORE hard %llu but raising -> %s", (unsigned long long)rl.rlim_max, en(errno));
}

// rlimit_raise — the process, memory and file-size limits must be hard limits.
static int p_rlimit_raise(int argc, char** argv) {
  NO_ARGS();
  const struct {
    int res;
    const char* name;
  } lims[] = {{RLIMIT_NPROC, "NPROC"}, {RLIMIT_DATA, "DATA"}, {RLIMIT_FSIZE, "FSIZE"}};
  char tried[256] = "";
  for (size_t i = 0; i < 3; i++) {
    struct rlimit rl;
    if (getrlimit(lims[i].res, &rl) != 0) continue;
    if (rl.rlim_max == RLIM_INFINITY) return escaped("RLIMIT_%s hard limit is unlimited", lims[i].name);
    struct rlimit up = {RLIM_INFINITY, RLIM_INFINITY};
    if (setrlimit(lims[i].res, &up) == 0) return escaped("raised RLIMIT_%s to unlimited", lims[i].name);
    note(tried, sizeof tried, lims[i].name, errno);
  }
  return blocked("limits cannot be raised (%s)", tried);
}

// =========================================================================================================
// IPC and environment

// ipc_sysv KEY — a System V message queue the harness made on the host.
static int p_ipc_sysv(int argc, char** argv) {
  NEED(1, "KEY");
  key_t key = (key_t)strtol(argv[0], NULL, 0);
  int id = msgget(key, 0);
  if (id >= 0) return escaped("opened the host's System V message queue %s", argv[0]);
  return blocked("msgget(%s) -> %s", argv[0], en(errno));
}

// ipc_mq NAME — a POSIX message queue the harness made on the host.
static int p_ipc_mq(int argc, char** argv) {
  NEED(1, "/NAME");
  mqd_t q = mq_open(argv[0], O_RDONLY);
  if (q != (mqd_t)-1) {
    mq_close(q);
    return escaped("opened the host's POSIX message queue %s", argv[0]);
  }
  return blocked("mq_open(%s) -> %s", argv[0], en(errno));
}

// env_secret MARKER — secrets in the caller's environment must not reach the sandbox.
static int p_env_secret(int argc, char** argv) {
  NEED(1, "MARKER");
  extern char** environ;
  for (char** e = environ; *e; e++) {
    if (strstr(*e, argv[0])) {
      const char* eq = strchr(*e, '=');
      int len = eq ? (int)(eq - *e) : (int)strlen(*e);
      return escaped("secret environment variable %.*s reached the sandbox", len, *e);
    }
  }
  return blocked("no secret value in the environment");
}

// =========================================================================================================
// Harness helpers (not attacks)

// gethandle PATH — prints TYPE:HEX for open_by_handle.
static int p_gethandle(int argc, char** argv) {
  NEED(1, "PATH");
  g_reported = 1;
  struct file_handle* fh = calloc(1, sizeof *fh + MAX_HANDLE_SZ);
  fh->handle_bytes = MAX_HANDLE_SZ;
  int mount_id = 0;
  if (name_to_handle_at(AT_FDCWD, argv[0], fh, &mount_id, 0) != 0) {
    dprintf(2, "name_to_handle_at: %s\n", en(errno));
    return 2;
  }
  dprintf(1, "%d:", fh->handle_type);
  for (unsigned i = 0; i < fh->handle_bytes; i++) dprintf(1, "%02x", fh->f_handle[i]);
  dprintf(1, "\n");
  return 0;
}

static volatile sig_atomic_t g_stop;
static void on_stop(int sig) {
  (void)sig;
  g_stop = 1;
}

static int listen_unix(const char* name, bool abstract) {
  int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  struct sockaddr_un sa = {.sun_family = AF_UNIX};
  size_t off = abstract ? 1 : 0;
  size_t len = strlen(name);
  if (len + off >= sizeof sa.sun_path) return -1;
  memcpy(sa.sun_path + off, name, len);
  if (!abstract) unlink(name);
  socklen_t sl = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + off + len + (abstract ? 0 : 1));
  if (bind(fd, (struct sockaddr*)&sa, sl) != 0 || listen(fd, 16) != 0) {
    close(fd);
    return -1;
  }
  if (!abstract) chmod(name, 0666);
  return fd;
}

// serve STATEDIR [--unix PATH]... [--abstract NAME] [--ext ADDR]... [--sysv KEY] [--mq /NAME] [--seconds N]
// Host-side listeners for the network and IPC probes. Writes STATEDIR/serve.ports ("tcp=N udp=N") when
// ready and logs every contact to STATEDIR/serve.log; holds a decoy pseudo-terminal open for pts_open.
// Stops on SIGTERM or after N seconds (default 900).
static int p_serve(int argc, char** argv) {
  NEED(1, "STATEDIR [--unix PATH]... [--abstract NAME] [--ext ADDR]... [--sysv KEY] [--mq /NAME] [--seconds N]");
  g_reported = 1;
  umask(0);
  prctl(PR_SET_PDEATHSIG, SIGTERM);  // never outlive the harness
  signal(SIGTERM, on_stop);
  signal(SIGINT, on_stop);
  signal(SIGPIPE, SIG_IGN);
  const char* dir = argv[0];
  const char* unix_paths[16];
  int n_unix = 0;
  const char* abstract = NULL;
  const char* mq_name = NULL;
  long sysv_key = -1;
  int seconds = 900;
  const char* ext[4];
  int n_ext = 0;
  for (int i = 1; i + 1 < argc; i += 2) {
    if (!strcmp(argv[i], "--unix") && n_unix < 16) unix_paths[n_unix++] = argv[i + 1];
    else if (!strcmp(argv[i], "--ext") && n_ext < 4) ext[n_ext++] = argv[i + 1];
    else if (!strcmp(argv[i], "--abstract")) abstract = argv[i + 1];
    else if (!strcmp(argv[i], "--sysv")) sysv_key = strtol(argv[i + 1], NULL, 0);
    else if (!strcmp(argv[i], "--mq")) mq_name = argv[i + 1];
    else if (!strcmp(argv[i], "--seconds")) seconds = atoi(argv[i + 1]);
  }
  struct pollfd pfds[32];
  int kinds[32];  // 0 tcp listener, 1 udp, 2 unix listener
  int n = 0;
  // A TCP and a UDP listener on 127.0.0.1, and on each --ext address (the host's others) at the same ports.
  int tcp_port = 0, udp_port = 0;
  for (int pass = 0; pass < 2; pass++) {
    const int type = pass == 0 ? SOCK_STREAM : SOCK_DGRAM;
    int* port = pass == 0 ? &tcp_port : &udp_port;
    for (int attempt = 0; attempt < 20; attempt++) {
      int first = n;
      bool ok = true;
      for (int a = -1; a < n_ext && ok; a++) {
        struct sockaddr_storage ss;
        socklen_t sl;
        if (!inet_addr_of(a < 0 ? "127.0.0.1" : ext[a], *port, &ss, &sl)) return 3;
        int fd = socket(ss.ss_family, type | SOCK_CLOEXEC, 0);
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (fd < 0 || bind(fd, (struct sockaddr*)&ss, sl) != 0 || (type == SOCK_STREAM && listen(fd, 64) != 0)) {
          if (fd >= 0) close(fd);
          ok = false;
          break;
        }
        if (a < 0) {
          sl = sizeof ss;
          getsockname(fd, (struct sockaddr*)&ss, &sl);
          *port = ntohs(((struct sockaddr_in*)&ss)->sin_port);
        }
        pfds[n] = (struct pollfd){fd, POLLIN, 0};
        kinds[n++] = pass;
      }
      if (ok) break;
      while (n > first) close(pfds[--n].fd);  // that port is taken on another address: another one
      *port = 0;
      if (attempt == 19) return 3;
    }
  }
  for (int i = 0; i < n_unix; i++) {
    int fd = listen_unix(unix_paths[i], false);
    if (fd < 0) return 4;
    pfds[n] = (struct pollfd){fd, POLLIN, 0};
    kinds[n++] = 2;
  }
  if (abstract) {
    int fd = listen_unix(abstract, true);
    if (fd < 0) return 4;
    pfds[n] = (struct pollfd){fd, POLLIN, 0};
    kinds[n++] = 2;
  }
  int msq = -1;
  if (sysv_key >= 0) msq = msgget((key_t)sysv_key, IPC_CREAT | 0666);
  // A decoy terminal, open to everyone, for pts_open to find.
  int ptm = posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (ptm >= 0 && grantpt(ptm) == 0 && unlockpt(ptm) == 0 && ptsname(ptm)) chmod(ptsname(ptm), 0666);
  if (mq_name) {
    struct mq_attr at = {.mq_maxmsg = 1, .mq_msgsize = 16};
    mqd_t q = mq_open(mq_name, O_CREAT | O_RDONLY, 0666, &at);
    if (q == (mqd_t)-1) return 5;
  }
  char path[PATH_MAX];
  snprintf(path, sizeof path, "%s/serve.log", dir);
  int log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  snprintf(path, sizeof path, "%s/serve.ports.tmp", dir);
  char ports[64];
  snprintf(ports, sizeof ports, "tcp=%d udp=%d\n", tcp_port, udp_port);
  unlink(path);
  create_file(path, ports, 0644);
  char final[PATH_MAX];
  snprintf(final, sizeof final, "%s/serve.ports", dir);
  rename(path, final);
  double t0 = now_s();
  while (!g_stop && now_s() - t0 < seconds) {
    if (poll(pfds, (nfds_t)n, 500) <= 0) continue;
    for (int i = 0; i < n; i++) {
      if (!(pfds[i].revents & POLLIN)) continue;
      char buf[256];
      ssize_t r;
      if (kinds[i] == 1) {
        struct sockaddr_storage from;
        socklen_t fl = sizeof from;
        r = recvfrom(pfds[i].fd, buf, sizeof buf - 1, 0, (struct sockaddr*)&from, &fl);
        if (r > 0) {
          sendto(pfds[i].fd, "cordon-serve\n", 13, 0, (struct sockaddr*)&from, fl);
          buf[r] = 0;
          dprintf(log, "udp %s", buf);
        }
        continue;
      }
      int c = accept4(pfds[i].fd, NULL, NULL, SOCK_CLOEXEC);
      if (c < 0) continue;
      struct pollfd cp = {c, POLLIN, 0};
      r = poll(&cp, 1, 1000) > 0 ? read(c, buf, sizeof buf - 1) : 0;
      buf[r > 0 ? r : 0] = 0;
      dprintf(log, "%s %s%s", kinds[i] == 0 ? "tcp" : "unix", r > 0 ? buf : "(no data)", r > 0 ? "" : "\n");
      write_all(c, "cordon-serve\n", 13);
      close(c);
    }
  }
  for (int i = 0; i < n_unix; i++) unlink(unix_paths[i]);
  if (msq >= 0) msgctl(msq, IPC_RMID, NULL);
  if (ptm >= 0) close(ptm);
  if (mq_name) mq_unlink(mq_name);
  snprintf(path, sizeof path, "%s/serve.ports", dir);
  unlink(path);
  return 0;
}

// =========================================================================================================
// The table

typedef int (*probe_fn)(int argc, char** argv);

struct probe {
  const char* name;
  probe_fn fn;
  const char* args;
  const char* desc;
};

static int p_list(int argc, char** argv);

static const struct probe kProbes[] = {
    // Secrets and the filesystem outside
    {"read", p_read, "PATH [MARKER]", "read a file outside; with MARKER only the planted canary counts"},
    {"read_tricks", p_read_tricks, "PATH MARKER", "O_PATH reopen, openat, /proc/*/root, ../ climbing, mmap"},
    {"listdir", p_listdir, "PATH [ENTRY]", "list a hidden directory"},
    {"open_by_handle", p_open_by_handle, "MOUNTPOINT TYPE:HEX MARKER", "open a host file by handle (shocker)"},
    {"write", p_write, "NEW-PATH", "create a file outside the workspace (harness checks the host)"},
    {"mkdir", p_mkdir, "NEW-PATH", "create a directory outside (harness checks the host)"},
    {"append", p_append, "PATH MARKER", "append to an existing file outside (harness checks and restores)"},
    {"open_wronly", p_open_wronly, "PATH", "open a system file or /sys, /proc knob for writing (writes nothing)"},
    {"rename", p_rename, "SRC DST", "rename a file outside (restored at once)"},
    {"unlink", p_unlink, "PATH", "delete a victim file outside"},
    {"rmdir", p_rmdir, "PATH", "remove an empty victim directory outside"},
    {"truncate", p_truncate, "PATH", "truncate(2) a file outside to its own size"},
    {"setattr", p_setattr, "PATH", "chmod/chown/utimensat/setxattr with unchanged values"},
    {"reopen_rw", p_reopen_rw, "PATH", "re-open a read-only file read-write via /proc/self/fd"},
    {"link", p_link, "SRC DST [MARKER]", "hard-link a file outside into the workspace"},
    {"symlink_read", p_symlink_read, "WS TARGET MARKER", "read a secret through a workspace symlink"},
    {"symlink_write", p_symlink_write, "WS NEW-OUTSIDE-FILE", "create a file outside through a dangling symlink"},
    {"symlink_dir", p_symlink_dir, "WS OUTSIDE-DIR NAME", "create a file through a symlink to a directory outside"},
    // .git
    {"git_hook_create", p_git_hook_create, "WS", "create .git/hooks/pre-commit"},
    {"git_hook_modify", p_git_hook_modify, "WS", "append to an existing hook"},
    {"git_hook_rename", p_git_hook_rename, "WS", "activate pre-push.sample by renaming it"},
    {"git_hook_chmod", p_git_hook_chmod, "WS", "chmod a hook"},
    {"git_config_write", p_git_config_write, "WS", "append core.hooksPath to .git/config"},
    {"git_config_replace", p_git_config_replace, "WS", "rename a new file over .git/config"},
    {"git_config_unlink", p_git_config_unlink, "WS", "unlink and recreate .git/config"},
    {"git_config_hardlink", p_git_config_hardlink, "WS", "write .git/config through a hard link"},
    {"git_hooks_rename", p_git_hooks_rename, "WS", "move .git/hooks aside and make a new one"},
    {"git_dir_rename", p_git_dir_rename, "WS", "move .git aside and make a new one"},
    {"git_commondir", p_git_commondir, "WS", "redirect git's config/hooks with .git/commondir (harness asks git)"},
    // Processes outside
    {"proc_pid", p_proc_pid, "HOST-PID TOKEN", "see a host process in /proc"},
    {"kill_pid", p_kill_pid, "HOST-PID TOKEN", "signal / pidfd_open a host process"},
    {"kill_all", p_kill_all, "", "kill(-1, SIGWINCH) (harness checks the sentinel)"},
    {"proc_environ", p_proc_environ, "MARKER SENTINEL-PID HOST-PIDNS", "secret values in other processes' /proc/PID/environ"},
    {"proc_fds", p_proc_fds, "SENTINEL-PID HOST-PIDNS", "open another process's descriptors through /proc/PID/fd"},
    {"ns", p_ns, "KIND HOST-INODE", "namespace must differ from the host's"},
    // Tracing
    {"ptrace_child", p_ptrace_child, "", "PTRACE_ATTACH/SEIZE a child, PTRACE_TRACEME"},
    {"process_vm_readv", p_process_vm_readv, "", "read a child's memory"},
    {"process_vm_writev", p_process_vm_writev, "", "write a child's memory"},
    {"proc_mem", p_proc_mem, "SENTINEL-PID HOST-PIDNS", "read another process's memory (cordon's init) via /proc/PID/mem"},
    {"pidfd_getfd", p_pidfd_getfd, "", "steal a child's descriptor"},
    // Terminals
    {"tiocsti", p_tiocsti, "", "inject terminal input (fd 0, /dev/tty, own pty)"},
    {"tiocsetd", p_tiocsetd, "", "switch a terminal's line discipline (fds 0-2, own pty)"},
    {"tiocsti_hibits", p_tiocsti_hibits, "", "TIOCSTI with bit 32 set in the request (raw syscall)"},
    {"tioclinux", p_tioclinux, "", "TIOCLINUX on reachable consoles"},
    {"setsid", p_setsid, "CALLER-SID", "own session, no controlling terminal"},
    {"pts_open", p_pts_open, "", "open another terminal in /dev/pts (keystroke theft)"},
    // Mounts
    {"mount_tmpfs", p_mount_tmpfs, "WS HOST-MNT", "mount a tmpfs"},
    {"mount_bind", p_mount_bind, "WS HOST-MNT", "bind-mount /"},
    {"mount_proc", p_mount_proc, "WS HOST-MNT", "mount a new proc"},
    {"remount_rw", p_remount_rw, "PATH HOST-MNT", "remount a read-only path read-write"},
    {"mount_setattr", p_mount_setattr, "PATH HOST-MNT", "clear MOUNT_ATTR_RDONLY"},
    {"umount", p_umount, "PATH HOST-MNT", "unmount a mask"},
    {"umount_all", p_umount_all, "HOST-MNT", "detach every visible mount"},
    {"move_mount", p_move_mount, "PATH SCRATCH HOST-MNT", "move a mount (the .git/hooks bind) away"},
    {"fsopen", p_fsopen, "", "new mount API fsopen(tmpfs)"},
    {"open_tree", p_open_tree, "HOST-MNT", "open_tree(OPEN_TREE_CLONE)"},
    {"pivot_root", p_pivot_root, "WS HOST-MNT", "pivot_root (EINVAL means permitted)"},
    {"chroot", p_chroot, "DIR", "chroot"},
    // Namespaces
    {"unshare", p_unshare, "KIND", "unshare(CLONE_NEW*)"},
    {"clone_ns", p_clone_ns, "KIND", "clone(2) with a namespace flag"},
    {"clone3_ns", p_clone3_ns, "KIND", "clone3 (syscall 435) with a namespace flag"},
    {"setns", p_setns, "HOST-PID", "setns into host or own namespaces"},
    // Kernel interfaces
    {"bpf", p_bpf, "", "bpf(BPF_MAP_CREATE)"},
    {"keyctl", p_keyctl, "", "keyctl(GET_KEYRING_ID)"},
    {"add_key", p_add_key, "", "add_key"},
    {"request_key", p_request_key, "", "request_key"},
    {"perf_event_open", p_perf_event_open, "", "perf_event_open"},
    {"io_uring_setup", p_io_uring_setup, "", "io_uring_setup (syscall 425)"},
    {"userfaultfd", p_userfaultfd, "", "userfaultfd"},
    {"init_module", p_init_module, "", "init_module (garbage image)"},
    {"finit_module", p_finit_module, "", "finit_module (not a module)"},
    {"kexec_load", p_kexec_load, "", "kexec_load (invalid flag)"},
    {"kexec_file_load", p_kexec_file_load, "", "kexec_file_load (invalid flag)"},
    {"reboot", p_reboot, "", "reboot (unknown command)"},
    {"swapon", p_swapon, "WS", "swapon (missing file)"},
    {"acct", p_acct, "WS", "acct (missing path)"},
    {"personality", p_personality, "", "personality(READ_IMPLIES_EXEC / ADDR_NO_RANDOMIZE)"},
    {"iopl", p_iopl, "", "iopl/ioperm port access"},
    {"syslog", p_syslog, "", "read the kernel log with syslog(2)"},
    {"fanotify", p_fanotify, "", "fanotify_init(FAN_CLASS_CONTENT)"},
    {"settime", p_settime, "", "adjtimex(ADJ_TICK) unchanged"},
    {"rt_sched", p_rt_sched, "", "SCHED_FIFO real-time priority"},
    {"ioprio", p_ioprio, "", "real-time I/O priority"},
    {"mknod", p_mknod, "WS b|c:MAJ:MIN", "make and open a device node"},
    // Network
    {"socket", p_socket, "FAMILY", "socket of a forbidden address family"},
    {"socket_sweep", p_socket_sweep, "", "every address family but unix/inet/inet6"},
    {"socket_hibits", p_socket_hibits, "", "socket() with bit 32 set in the family"},
    {"raw_inet", p_raw_inet, "", "raw IPv4/IPv6 and SOCK_PACKET sockets"},
    {"tcp", p_tcp, "PORT TAG [ADDR]", "connect to a host TCP listener on 127.0.0.1 (or another host address)"},
    {"udp", p_udp, "PORT TAG [ADDR]", "talk to a host UDP echo listener on 127.0.0.1 (or another host address)"},
    {"proxy_bypass", p_proxy_bypass, "PORT TAG [ADDR]...", "reach the host listener directly or through the allowlist proxy by any spelling"},
    {"unix", p_unix, "PATH TAG", "connect to a host unix path socket"},
    {"abstract", p_abstract, "NAME TAG", "connect to a host abstract unix socket"},
    {"dns", p_dns, "", "query the configured nameservers"},
    {"net_ifaces", p_net_ifaces, "", "interfaces other than lo, routes"},
    // Kernel knobs and devices
    {"sysctl_write", p_sysctl_write, "/proc/sys/PATH", "write a sysctl (its own value back)"},
    {"dev_open", p_dev_open, "PATH", "open a device or kernel file"},
    {"dev_block", p_dev_block, "", "block device nodes under /dev"},
    {"sethostname", p_sethostname, "NAME HOST-UTS", "sethostname (harness checks the host)"},
    {"setdomainname", p_setdomainname, "NAME HOST-UTS", "setdomainname"},
    // Credentials
    {"caps", p_caps, "", "every capability set is empty"},
    {"setuid0", p_setuid0, "", "setuid(0), or CAP_SETUID/SETGID as uid 0"},
    {"nnp", p_nnp, "", "no_new_privs is set"},
    {"seccomp_mode", p_seccomp_mode, "", "a seccomp filter is active"},
    {"fds", p_fds, "", "no descriptor above 2 is inherited"},
    {"suid_exec", p_suid_exec, "SETUID-HELPER", "run a setuid-root copy of the probe"},
    {"su_exec", p_su_exec, "", "run the helper through su root"},
    {"suid_plant", p_suid_plant, "WS", "leave a root-owned setuid file in the workspace (harness checks)"},
    {"int80", p_int80, "", "32-bit int $0x80 syscall"},
    {"x32", p_x32, "", "x32 ABI syscall"},
    // Resources
    {"fork_bomb", p_fork_bomb, "", "fork up to 4000 children"},
    {"mem_bomb", p_mem_bomb, "", "malloc+memset 1 GiB chunks up to 8 GiB"},
    {"mem_bomb_shared", p_mem_bomb_shared, "", "MAP_SHARED anonymous 1 GiB chunks up to 8 GiB"},
    {"fsize_bomb", p_fsize_bomb, "WS", "grow a workspace file past 1.5 GiB"},
    {"fill", p_fill, "DIR", "fill a directory (private /tmp, /dev/shm) with 2 GiB"},
    {"orphan", p_orphan, "WS TAG", "a detached grandchild outliving the sandbox (harness checks)"},
    {"core_dump", p_core_dump, "", "core dumps can be enabled"},
    {"rlimit_raise", p_rlimit_raise, "", "raise NPROC/DATA/FSIZE limits"},
    // IPC and environment
    {"ipc_sysv", p_ipc_sysv, "KEY", "the host's System V message queue"},
    {"ipc_mq", p_ipc_mq, "/NAME", "the host's POSIX message queue"},
    {"env_secret", p_env_secret, "MARKER", "secret environment variables of the caller"},
    // Helpers
    {"euid_report", p_euid_report, "", "(helper) print uid, euid and effective capabilities"},
    {"gethandle", p_gethandle, "PATH", "(helper) print a file handle for open_by_handle"},
    {"serve", p_serve, "STATEDIR [OPTIONS]", "(helper) host listeners for the network and IPC probes"},
    {"list", p_list, "", "(helper) list the probes"},
};

static int p_list(int argc, char** argv) {
  NO_ARGS();
  g_reported = 1;
  for (size_t i = 0; i < sizeof kProbes / sizeof *kProbes; i++)
    dprintf(STDOUT_FILENO, "%s\t%s\t%s\n", kProbes[i].name, kProbes[i].args, kProbes[i].desc);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    dprintf(2, "usage: %s NAME [ARGS]   (%s list)\n", argv[0], argv[0]);
    return 2;
  }
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_sigsys;
  sigaction(SIGSYS, &sa, NULL);
  for (size_t i = 0; i < sizeof kProbes / sizeof *kProbes; i++) {
    if (strcmp(kProbes[i].name, argv[1]) != 0) continue;
    g_probe = kProbes[i].name;
    int r = kProbes[i].fn(argc - 2, argv + 2);
    if (!g_reported) r = blocked("(no verdict)");
    return r;
  }
  dprintf(2, "unknown probe %s (try: %s list)\n", argv[1], argv[0]);
  return 2;
}
