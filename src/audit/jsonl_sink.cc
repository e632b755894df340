#include "audit/jsonl_sink.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <ctime>
#include <deque>

#include "base/syscalls.h"
#include "base/unique_fd.h"

namespace cordon::audit {
namespace {

// mkdir -p, 0700 for what it creates.
Status MakeDirs(const std::string& dir) {
  for (size_t slash = dir.find('/', 1);; slash = dir.find('/', slash + 1)) {
    const std::string part = dir.substr(0, slash);
    if (mkdir(part.c_str(), 0700) != 0 && errno != EEXIST) return ErrnoError("cannot create " + part);
    if (slash == std::string::npos) return {};
  }
}

// One write(); a pipe whose reader is gone gives EPIPE, not SIGPIPE (which would kill cordon outside a run).
Status WriteLine(int fd, const std::string& text) {
  sigset_t pipe_only, old;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_only, &old);
  ssize_t n = sys::RetryEintr([&] { return write(fd, text.data(), text.size()); });
  int err = errno;
  if (n < 0 && err == EPIPE) {
    // Take the SIGPIPE our write raised, also when it was blocked already (during a run): left pending, it
    // would kill cordon once the mask is restored.
    timespec zero{};
    sigtimedwait(&pipe_only, nullptr, &zero);
  }
  pthread_sigmask(SIG_SETMASK, &old, nullptr);
  if (n < 0) return MakeError("", err);
  // A regular file writes all or fails; a short write means the disk filled up within the line.
  if (static_cast<size_t>(n) != text.size()) return MakeError("short write", ENOSPC);
  return {};
}

class JsonlSink : public Sink {
 public:
  JsonlSink(UniqueFd owned, int fd) : owned_(std::move(owned)), fd_(fd) {}
  Status Store(const Event& event) override { return WriteLine(fd_, event.json + "\n"); }
  Status Finish() override {
    if (!owned_.valid()) return {};
    // fdatasync: the lines and the file's new size, not its times (~0.5 ms here against ~3 ms for fsync).
    if (fdatasync(fd_) != 0 && errno != EINVAL && errno != EROFS) return ErrnoError("fdatasync");  // EINVAL: /dev/full
    return {};
  }

 private:
  UniqueFd owned_;
  int fd_;
};

class JsonlSource : public Source {
 public:
  explicit JsonlSource(UniqueFd fd) : fd_(std::move(fd)) {}
  Result<std::vector<Event>> Read(const Filter& filter, uint64_t* cursor, size_t* skipped) override {
    std::deque<Event> out;
    std::string pending;
    char buf[1 << 16];
    uint64_t offset = *cursor;
    for (;;) {
      ssize_t n = sys::RetryEintr([&] { return pread(fd_.get(), buf, sizeof(buf), static_cast<off_t>(offset)); });
      if (n < 0) return ErrnoError("");
      if (n == 0) break;
      offset += static_cast<uint64_t>(n);
      pending.append(buf, static_cast<size_t>(n));
      size_t start = 0;
      for (size_t nl; (nl = pending.find('\n', start)) != std::string::npos; start = nl + 1) {
        *cursor += nl + 1 - start;
        std::string_view line(pending.data() + start, nl - start);
        if (line.empty()) continue;
        Result<Event> e = ParseEvent(line);
        if (!e.ok()) {
          ++*skipped;
          continue;
        }
        if (!Matches(filter, *e)) continue;
        out.push_back(std::move(*e));
        if (filter.limit != 0 && out.size() > filter.limit) out.pop_front();
      }
      pending.erase(0, start);  // a line still being written stays for the next call
    }
    return std::vector<Event>(std::make_move_iterator(out.begin()), std::make_move_iterator(out.end()));
  }

 private:
  UniqueFd fd_;
};

}  // namespace

// The default file is started afresh once it holds kRotateBytes: the full one keeps its events under a name
// with the time (events-20261123T184501.jsonl), nothing is deleted. One cordon does it (flock), and only if
// `path` is still the file it opened (another may have rotated it meanwhile).
void RotateIfFull(const std::string& path, UniqueFd& fd) {
  struct stat st {}, now {};
  if (fstat(fd.get(), &st) != 0 || st.st_size < kRotateBytes) return;
  if (flock(fd.get(), LOCK_EX | LOCK_NB) != 0) return;
  if (stat(path.c_str(), &now) == 0 && now.st_ino == st.st_ino && now.st_dev == st.st_dev) {
    char stamp[32];
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    std::strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%S", &tm);
    const size_t dot = path.rfind(".jsonl");
    const std::string base = dot == std::string::npos ? path : path.substr(0, dot);
    std::string target = base + "-" + stamp + ".jsonl";
    for (int k = 1; access(target.c_str(), F_OK) == 0 && k < 100; ++k) {
      target = base + "-" + stamp + "-" + std::to_string(k) + ".jsonl";
    }
    if (rename(path.c_str(), target.c_str()) == 0) {
      UniqueFd fresh(open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600));
      if (fresh.valid()) fd = std::move(fresh);
    }
  }
  flock(fd.get(), LOCK_UN);  // the old file's lock goes with its descriptor; the fresh one was never locked
}

Result<std::unique_ptr<Sink>> OpenJsonlFile(const std::string& path, bool make_dirs) {
  if (size_t slash = path.rfind('/'); make_dirs && slash != std::string::npos && slash > 0) {
    CORDON_TRY(MakeDirs(path.substr(0, slash)));
  }
  UniqueFd fd(open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600));
  if (!fd.valid()) return ErrnoError("");
  if (make_dirs) RotateIfFull(path, fd);
  int raw = fd.get();
  return std::unique_ptr<Sink>(new JsonlSink(std::move(fd), raw));
}

Result<std::unique_ptr<Sink>> OpenJsonlStream(int fd) {
  int flags = fcntl(fd, F_GETFD);
  if (flags < 0) return ErrnoError("descriptor " + std::to_string(fd));
  // Not stdout/stderr: a command that inherits them must keep them.
  if (fd > STDERR_FILENO && fcntl(fd, F_SETFD, flags | FD_CLOEXEC) != 0) return ErrnoError("fcntl");
  return std::unique_ptr<Sink>(new JsonlSink(UniqueFd(), fd));
}

Result<std::unique_ptr<Source>> OpenJsonlSource(const std::string& path) {
  UniqueFd fd(open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY));
  if (!fd.valid()) return ErrnoError("");
  return std::unique_ptr<Source>(new JsonlSource(std::move(fd)));
}

}  // namespace cordon::audit
