#include "audit/postgres_sink.h"

#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <climits>

#include "audit/postgres_protocol.h"
#include "base/syscalls.h"
#include "base/unique_fd.h"

extern char** environ;

namespace cordon::audit {
namespace {

constexpr int kAnswerTimeoutMs = 15000;

class Helper : public Sink, public Source {
 public:
  static Result<std::unique_ptr<Helper>> Start(const std::string& path) {
    int sv[2];
    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) return ErrnoError("socketpair");
    UniqueFd ours(sv[0]), theirs(sv[1]);
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, theirs.get(), STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&fa, theirs.get(), STDOUT_FILENO);
    // Its own process group (a Ctrl-C at the terminal is cordon's to handle, and cordon still has events to
    // store), default signals, nothing blocked.
    posix_spawnattr_t attr;
    posix_spawnattr_init(&attr);
    sigset_t none, all;
    sigemptyset(&none);
    sigfillset(&all);
    posix_spawnattr_setsigmask(&attr, &none);
    posix_spawnattr_setsigdefault(&attr, &all);
    posix_spawnattr_setpgroup(&attr, 0);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    char* argv[] = {const_cast<char*>(path.c_str()), nullptr};
    pid_t pid = -1;
    int rc = posix_spawn(&pid, path.c_str(), &fa, &attr, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    posix_spawnattr_destroy(&attr);
    if (rc != 0) {
      return Error{"cannot start the PostgreSQL helper " + path, rc, {}, "it is installed beside cordon"};
    }
    return std::unique_ptr<Helper>(new Helper(std::move(ours), pid));
  }

  ~Helper() override {
    fd_.Reset();  // end of input: the helper exits
    if (pid_ > 0) sys::RetryEintr([&] { return waitpid(pid_, nullptr, 0); });
  }

  Result<nlohmann::json> Ask(const nlohmann::json& request) {
    if (!fd_.valid()) return MakeError("the PostgreSQL helper is gone");
    std::string line = request.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    for (size_t done = 0; done < line.size();) {
      ssize_t n = sys::RetryEintr([&] { return send(fd_.get(), line.data() + done, line.size() - done, MSG_NOSIGNAL); });
      if (n < 0) return Gone("sending to the PostgreSQL helper", errno);
      done += static_cast<size_t>(n);
    }
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(kAnswerTimeoutMs);
    size_t nl;
    while ((nl = in_.find('\n')) == std::string::npos) {
      int left = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                      deadline - std::chrono::steady_clock::now()).count());
      pollfd p{fd_.get(), POLLIN, 0};
      int ready = left <= 0 ? 0 : poll(&p, 1, left);
      if (ready < 0 && errno == EINTR) continue;
      if (ready < 0) return Gone("waiting for the PostgreSQL helper", errno);
      if (ready == 0) {
        kill(pid_, SIGKILL);
        return Gone("no answer from the database within " + std::to_string(kAnswerTimeoutMs / 1000) + " s", 0);
      }
      char buf[4096];
      ssize_t n = sys::RetryEintr([&] { return recv(fd_.get(), buf, sizeof(buf), 0); });
      if (n <= 0) return Gone("the PostgreSQL helper died", n < 0 ? errno : 0);
      in_.append(buf, static_cast<size_t>(n));
    }
    nlohmann::json answer = nlohmann::json::parse(in_.substr(0, nl), nullptr, false);
    in_.erase(0, nl + 1);
    if (!answer.is_object()) return MakeError("the PostgreSQL helper's answer is not JSON");
    if (answer.contains("error")) return MakeError(answer.value("error", ""));
    return answer;
  }

  Status Store(const Event& event) override {
    CORDON_ASSIGN_OR_RETURN(nlohmann::json ignored, Ask({{"op", "store"}, {"event", event.json}}));
    return {};
  }
  Status Finish() override { return {}; }

  Result<std::vector<Event>> Read(const Filter& filter, uint64_t* cursor, size_t* skipped) override {
    CORDON_ASSIGN_OR_RETURN(nlohmann::json answer,
                            Ask({{"op", "read"}, {"filter", pgproto::FromFilter(filter)}, {"cursor", *cursor}}));
    std::vector<Event> out;
    for (const auto& body : answer.value("events", nlohmann::json::array())) {
      Result<Event> e = ParseEvent(body.is_string() ? body.get<std::string>() : "");
      if (e.ok()) {
        out.push_back(std::move(*e));
      } else {
        ++*skipped;
      }
    }
    *cursor = answer.value("cursor", *cursor);
    return out;
  }

 private:
  Helper(UniqueFd fd, pid_t pid) : fd_(std::move(fd)), pid_(pid) {}

  Error Gone(const std::string& what, int err) {
    fd_.Reset();
    return MakeError(what, err);
  }

  UniqueFd fd_;
  pid_t pid_;
  std::string in_;
};

Result<std::unique_ptr<Helper>> Connect(const std::string& conninfo, const std::string& helper) {
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<Helper> h, Helper::Start(helper));
  CORDON_ASSIGN_OR_RETURN(nlohmann::json ignored, h->Ask({{"op", "open"}, {"conninfo", conninfo}}));
  return h;
}

}  // namespace

std::string DefaultPostgresHelper() {
  char self[PATH_MAX];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  if (n <= 0) return "cordon-postgres";
  std::string path(self, static_cast<size_t>(n));
  return path.substr(0, path.rfind('/') + 1) + "cordon-postgres";
}

Result<std::unique_ptr<Sink>> OpenPostgresSink(const std::string& conninfo, const std::string& helper) {
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<Helper> h, Connect(conninfo, helper));
  return std::unique_ptr<Sink>(std::move(h));
}

Result<std::unique_ptr<Source>> OpenPostgresSource(const std::string& conninfo, const std::string& helper) {
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<Helper> h, Connect(conninfo, helper));
  return std::unique_ptr<Source>(std::move(h));
}

}  // namespace cordon::audit
