#include "audit/event_log.h"

#include <fcntl.h>
#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <cerrno>
#include <cstdio>
#include <ctime>

namespace cordon::audit {
namespace {

std::string NowUtc() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

std::string NewRunId() {
  unsigned char bytes[8] = {};
  if (getrandom(bytes, sizeof(bytes), 0) != static_cast<ssize_t>(sizeof(bytes))) {
    uint64_t t = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^ getpid();
    for (unsigned char& b : bytes) {
      b = static_cast<unsigned char>(t);
      t >>= 8;
    }
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

Result<std::unique_ptr<EventLog>> EventLog::Open(const std::string& path) {
  if (path == "-") return std::unique_ptr<EventLog>(new EventLog(STDERR_FILENO, false, NewRunId()));
  int fd = open(path.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
  if (fd < 0) return Error{"cannot open the event log " + path, errno, {}};
  return std::unique_ptr<EventLog>(new EventLog(fd, true, NewRunId()));
}

EventLog::~EventLog() {
  if (owned_) close(fd_);
}

void EventLog::Emit(const std::string& type, const nlohmann::json& fields) {
  nlohmann::json line = {{"v", kEventSchemaVersion}, {"run", run_id_}, {"time", NowUtc()}, {"type", type}};
  for (const auto& [key, value] : fields.items()) line[key] = value;
  // One write per line (O_APPEND): concurrent runs appending to one file never interleave within a line.
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  size_t done = 0;
  while (done < text.size()) {
    ssize_t n = write(fd_, text.data() + done, text.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;  // the audit issue decides how a failing sink ends a run; here the line is dropped
    done += static_cast<size_t>(n);
  }
}

}  // namespace cordon::audit
