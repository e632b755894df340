#include "net/proxy.h"

#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/timerfd.h>
#include <time.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "net/address.h"
#include "net/protocol.h"
#include "net/relay.h"
#include "net/resolver.h"

namespace cordon::net {
namespace {

// epoll data: small constants for the proxy's own fds, (id << 2 | side) for a connection's (ids start at 1).
constexpr uint64_t kListenerTag = 1;
constexpr uint64_t kTimerTag = 2;
constexpr uint64_t kResolverTag = 3;
uint64_t ConnTag(uint64_t id, bool upstream) { return (id << 2) | (upstream ? 1 : 0); }

constexpr uint32_t kIn = EPOLLIN;
constexpr uint32_t kOut = EPOLLOUT;
constexpr uint32_t kNone = 0;
constexpr int kMaxEvents = 256;
constexpr int kAcceptBurst = 64;
constexpr int kAcceptPauseMs = 100;      // after EMFILE: the backlog waits instead of a busy loop
constexpr int kLingerMs = 2000;          // after an error reply: how long to drain the client before closing
constexpr size_t kLingerBytes = 1 << 16;
constexpr size_t kSocksHeadCap = 1024;   // greeting (<= 257) + request (<= 262) + some early data
constexpr int kRelayRounds = 4;          // per event and direction, so one busy tunnel cannot starve the rest

int64_t NowMs() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<int64_t>(ts.tv_sec) * 1000 + ts.tv_nsec / 1000000;
}

std::string ErrnoText(int err) { return std::strerror(err); }

enum class Stage { kHead, kResolving, kConnecting, kRelay, kDrain };

// SIGPIPE: splice() into a broken socket can raise it (send() has MSG_NOSIGNAL, splice has no such flag). The proxy must not kill its host process, nor change the process's signal dispositions (ignored
// signals survive execve into the sandbox), so SIGPIPE is blocked while the proxy works and a pending one
// consumed before it is unblocked.
class SigpipeGuard {
 public:
  SigpipeGuard() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~SigpipeGuard() {
    if (sigismember(&old_, SIGPIPE)) return;
    timespec zero{};
    while (sigtimedwait(&set_, nullptr, &zero) > 0) {
    }
    pthread_sigmask(SIG_SETMASK, &old_, nullptr);
  }

 private:
  sigset_t set_, old_;
};

}  // namespace

struct ProxyConnection {
  explicit ProxyConnection(size_t max_head) : http(max_head) {}

  uint64_t id = 0;
  Stage stage = Stage::kHead;
  bool finished = false;
  UniqueFd client, upstream;
  uint32_t client_mask = 0, upstream_mask = 0;  // interest registered in epoll; 0: not in the set
  int64_t start_ms = 0, deadline_ms = 0, last_activity_ms = 0;

  std::string in;  // client bytes before the relay: the request head and what follows it
  bool protocol_known = false;
  Protocol protocol = Protocol::kHttp;
  HttpHeadParser http;
  bool socks_greeted = false;

  std::string to_client;  // the proxy's own reply; goes before any relayed byte
  size_t to_client_off = 0;
  bool client_shut = false;

  std::string host, canonical;
  uint16_t port = 0;
  std::vector<policy::IpAddress> addrs;
  size_t next_addr = 0;
  int last_errno = 0;

  Flow up, down;  // up: client → upstream; down: upstream → client
  size_t drained = 0;
  ConnectionEvent ev;
};

Result<uint64_t> RaiseOpenFileLimit() {
  rlimit rl;
  if (getrlimit(RLIMIT_NOFILE, &rl) != 0) return ErrnoError("getrlimit(RLIMIT_NOFILE)");
  if (rl.rlim_cur < rl.rlim_max) {
    rl.rlim_cur = rl.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &rl) != 0) return ErrnoError("setrlimit(RLIMIT_NOFILE)");
  }
  return static_cast<uint64_t>(rl.rlim_cur);
}

Proxy::Proxy(UniqueFd listener, policy::NetRules rules, ProxyOptions options, ConnectionCallback on_event)
    : listener_(std::move(listener)),
      rules_(std::move(rules)),
      options_(options),
      on_event_(std::move(on_event)) {}

Result<std::unique_ptr<Proxy>> Proxy::Create(UniqueFd listener, policy::NetRules rules, ProxyOptions options,
                                             ConnectionCallback on_event) {
  if (!listener.valid()) return MakeError("proxy: no listening socket");
  if (options.max_connections == 0 || options.max_header_bytes < 64 || options.header_timeout_ms <= 0 ||
      options.connect_timeout_ms <= 0 || options.idle_timeout_ms <= 0) {
    return MakeError("proxy: bad options (limits and timeouts must be positive, max_header_bytes >= 64)");
  }
  int flags = fcntl(listener.get(), F_GETFL);
  if (flags < 0 || fcntl(listener.get(), F_SETFL, flags | O_NONBLOCK) != 0) {
    return ErrnoError("proxy: making the listener non-blocking");
  }
  std::unique_ptr<Proxy> p(new Proxy(std::move(listener), std::move(rules), options, std::move(on_event)));
  p->epoll_fd_ = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
  if (!p->epoll_fd_.valid()) return ErrnoError("proxy: epoll_create1");
  p->timer_fd_ = UniqueFd(timerfd_create(CLOCK_MONOTONIC, TFD_NONBLOCK | TFD_CLOEXEC));
  if (!p->timer_fd_.valid()) return ErrnoError("proxy: timerfd_create");
  CORDON_ASSIGN_OR_RETURN(p->resolver_, Resolver::Create(options.resolver_threads));
  for (auto [fd, tag] : {std::pair{p->listener_.get(), kListenerTag}, std::pair{p->timer_fd_.get(), kTimerTag},
                         std::pair{p->resolver_->fd(), kResolverTag}}) {
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.u64 = tag;
    if (epoll_ctl(p->epoll_fd_.get(), EPOLL_CTL_ADD, fd, &ev) != 0) return ErrnoError("proxy: epoll_ctl");
  }
  p->listening_ = true;
  return p;
}

Proxy::~Proxy() { Shutdown(); }

// ---- the loop ----

void Proxy::Dispatch() {
  if (shut_down_) return;
  SigpipeGuard guard;
  epoll_event events[kMaxEvents];
  int n = epoll_wait(epoll_fd_.get(), events, kMaxEvents, 0);
  for (int i = 0; i < n; ++i) {
    const uint64_t tag = events[i].data.u64;
    if (tag == kListenerTag) {
      Accept();
    } else if (tag == kTimerTag) {
      uint64_t expirations;
      (void)!read(timer_fd_.get(), &expirations, sizeof(expirations));
      armed_ms_ = -1;  // fired: whatever is due next must be armed again
    } else if (tag == kResolverTag) {
      for (Resolver::Answer& a : resolver_->TakeAnswers()) {
        auto it = conns_.find(a.id);
        if (it == conns_.end() || it->second->stage != Stage::kResolving) continue;
        OnAnswer(*it->second, std::move(a.addresses), a.error);
        AfterEvent(*it->second);
      }
    } else {
      auto it = conns_.find(tag >> 2);
      if (it == conns_.end()) continue;  // closed earlier in this batch
      OnConnEvent(*it->second, (tag & 1) != 0, events[i].events);
      AfterEvent(*it->second);
    }
  }
  RunTimers();
  ArmTimer();
}

void Proxy::AfterEvent(Conn& c) {
  if (!c.finished && c.stage == Stage::kRelay && c.up.dst_shut && c.down.dst_shut) Finish(c, "");
  if (!c.finished) UpdateInterest(c);
  if (c.finished) Destroy(c.id);
}

void Proxy::Shutdown() {
  if (shut_down_) return;
  SigpipeGuard guard;
  shut_down_ = true;
  listener_.Reset();
  std::vector<uint64_t> ids;
  ids.reserve(conns_.size());
  for (const auto& [id, c] : conns_) ids.push_back(id);
  for (uint64_t id : ids) {
    Conn& c = *conns_.at(id);
    Finish(c, "proxy shut down");
    Destroy(id);
  }
  timers_.clear();
  resolver_.reset();
}

void Proxy::Accept() {
  for (int i = 0; i < kAcceptBurst && listening_; ++i) {
    if (conns_.size() >= options_.max_connections) {
      SetListening(false);  // the backlog holds the rest until a connection closes
      return;
    }
    sockaddr_storage peer{};
    socklen_t len = sizeof(peer);
    int fd = accept4(listener_.get(), reinterpret_cast<sockaddr*>(&peer), &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
    if (fd < 0) {
      if (errno == EMFILE || errno == ENFILE || errno == ENOBUFS || errno == ENOMEM) {
        // Level-triggered: the listener stays readable, so stop watching it for a moment.
        SetListening(false);
        timers_.insert({NowMs() + kAcceptPauseMs, 0});
      }
      return;  // EAGAIN, or a connection that died in the backlog (ECONNABORTED): next round
    }
    auto owned = std::make_unique<Conn>(options_.max_header_bytes);
    Conn& c = *owned;
    c.id = next_id_++;
    c.client = UniqueFd(fd);
    c.start_ms = c.last_activity_ms = NowMs();
    c.ev.client = SockaddrText(reinterpret_cast<sockaddr*>(&peer));
    conns_.emplace(c.id, std::move(owned));
    SetDeadline(c, c.start_ms + options_.header_timeout_ms);
    // The request is often there already: reading now saves a trip through epoll (EAGAIN costs one syscall).
    ReadHead(c);
    AfterEvent(c);
  }
}

void Proxy::SetListening(bool on) {
  if (on == listening_ || !listener_.valid()) return;
  epoll_event ev{};
  ev.events = on ? kIn : kNone;
  ev.data.u64 = kListenerTag;
  if (epoll_ctl(epoll_fd_.get(), EPOLL_CTL_MOD, listener_.get(), &ev) == 0) listening_ = on;
}

void Proxy::OnConnEvent(Conn& c, bool upstream_fd, uint32_t events) {
  const bool readable = (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) != 0;
  const bool writable = (events & (EPOLLOUT | EPOLLHUP | EPOLLERR)) != 0;
  switch (c.stage) {
    case Stage::kHead:
      if (writable && !FlushToClient(c)) return;
      if (readable) ReadHead(c);
      return;
    case Stage::kResolving:
      return;  // nothing is watched while the resolver works
    case Stage::kConnecting:
      if (upstream_fd) OnConnectReady(c);
      return;
    case Stage::kRelay:
      // A readable client feeds the upstream; a writable client takes the upstream's bytes; and the reverse.
      if (readable) Pump(c, /*up=*/!upstream_fd);
      if (writable && !c.finished) Pump(c, /*up=*/upstream_fd);
      return;
    case Stage::kDrain:
      if (!upstream_fd) Drain(c);
      return;
  }
}

// ---- timers ----

void Proxy::SetDeadline(Conn& c, int64_t when_ms) {
  if (c.deadline_ms != 0) timers_.erase({c.deadline_ms, c.id});
  c.deadline_ms = when_ms;
  if (when_ms != 0) timers_.insert({when_ms, c.id});
}

void Proxy::RunTimers() {
  const int64_t now = NowMs();
  while (!timers_.empty() && timers_.begin()->first <= now) {
    const uint64_t id = timers_.begin()->second;
    timers_.erase(timers_.begin());
    if (id == 0) {
      if (!shut_down_ && conns_.size() < options_.max_connections) SetListening(true);
      continue;
    }
    auto it = conns_.find(id);
    if (it == conns_.end()) continue;
    Conn& c = *it->second;
    c.deadline_ms = 0;
    OnTimeout(c, now);
    AfterEvent(c);
  }
}

void Proxy::ArmTimer() {
  const int64_t next = timers_.empty() ? 0 : timers_.begin()->first;
  if (next == armed_ms_) return;
  itimerspec spec{};
  spec.it_value.tv_sec = next / 1000;
  spec.it_value.tv_nsec = (next % 1000) * 1000000;
  if (next != 0 && spec.it_value.tv_sec == 0 && spec.it_value.tv_nsec == 0) spec.it_value.tv_nsec = 1;
  if (timerfd_settime(timer_fd_.get(), TFD_TIMER_ABSTIME, &spec, nullptr) == 0) armed_ms_ = next;
}

void Proxy::OnTimeout(Conn& c, int64_t now) {
  switch (c.stage) {
    case Stage::kHead:
      // An HTTP client that sent part of a head is told; a SOCKS5 one (or a silent one) just loses the connection.
      if (!c.in.empty() && c.protocol_known && c.protocol != Protocol::kSocks5) {
        c.ev.error = "header timeout";
        SendReplyAndClose(c, HttpErrorReply(408, "request head not received in time"));
        return;
      }
      Finish(c, "header timeout");
      return;
    case Stage::kResolving:
      resolver_->Cancel(c.id);
      Fail(c, 504, static_cast<uint8_t>(Socks5Reply::kHostUnreachable), "resolving " + c.host + " timed out");
      return;
    case Stage::kConnecting:
      c.last_errno = ETIMEDOUT;
      ConnectNext(c);
      return;
    case Stage::kRelay:
      if (now - c.last_activity_ms >= options_.idle_timeout_ms) {
        Finish(c, "idle timeout");
      } else {
        SetDeadline(c, c.last_activity_ms + options_.idle_timeout_ms);
      }
      return;
    case Stage::kDrain:
      Finish(c, "");
      return;
  }
}

// ---- the request ----

void Proxy::ReadHead(Conn& c) {
  const size_t cap = c.protocol_known && c.protocol == Protocol::kSocks5 ? kSocksHeadCap : options_.max_header_bytes;
  const size_t old = c.in.size();
  if (old >= cap) {
    // Cannot happen (the parsers answer within their caps); fail rather than spin on a readable socket.
    Finish(c, "request too large");
    return;
  }
  char chunk[4096];
  ssize_t n = recv(c.client.get(), chunk, std::min(sizeof(chunk), cap - old), 0);
  if (n > 0) c.in.append(chunk, static_cast<size_t>(n));
  if (n < 0) {
    if (errno == EAGAIN || errno == EINTR) return;
    Finish(c, "client: recv: " + ErrnoText(errno));
    return;
  }
  if (n == 0) {
    if (old == 0) {
      Finish(c, "client closed without a request");
    } else if (c.protocol == Protocol::kSocks5) {
      Finish(c, "client closed during the SOCKS5 request");
    } else {
      Fail(c, 400, 0, "bad request: connection closed before the request head was complete");
    }
    return;
  }
  if (!c.protocol_known) {
    c.protocol_known = true;
    if (IsSocks5(static_cast<uint8_t>(c.in[0]))) {
      c.protocol = Protocol::kSocks5;
      c.in.reserve(kSocksHeadCap);
    } else {
      // connect or http: the request line tells; the event says which as soon as the method is there.
      c.protocol = c.in.compare(0, 8, "CONNECT ") == 0 ? Protocol::kConnect : Protocol::kHttp;
    }
    c.ev.protocol = ProtocolName(c.protocol);
  }
  if (c.protocol == Protocol::kSocks5) {
    OnSocksInput(c);
  } else {
    OnHttpHead(c);
  }
}

void Proxy::OnHttpHead(Conn& c) {
  switch (c.http.Parse(c.in)) {
    case ParseStatus::kNeedMore:
      return;
    case ParseStatus::kError:
      Fail(c, c.http.error().status, 0, "bad request: " + c.http.error().message);
      return;
    case ParseStatus::kDone:
      break;
  }
  HttpRequest req = c.http.request();
  c.http = HttpHeadParser(0, 0);  // its field table is not needed any more
  c.protocol = req.protocol;
  c.ev.protocol = ProtocolName(c.protocol);
  c.host = req.host;
  c.port = req.port;
  c.ev.host = c.host;
  c.ev.port = c.port;
  if (c.protocol == Protocol::kHttp) c.up.buf = std::move(req.upstream_head);
  c.up.buf.append(c.in, req.head_bytes);
  std::string().swap(c.in);
  Decide(c);
}

void Proxy::OnSocksInput(Conn& c) {
  if (!c.socks_greeted) {
    Socks5Greeting g;
    switch (ParseSocks5Greeting(c.in, &g)) {
      case ParseStatus::kNeedMore:
        return;
      case ParseStatus::kError:
        Finish(c, "socks5: bad greeting");
        return;
      case ParseStatus::kDone:
        break;
    }
    if (!g.offers_no_auth) {
      c.ev.error = "socks5: the client offers no method cordon accepts (no authentication)";
      SendReplyAndClose(c, Socks5MethodReply(false));
      return;
    }
    c.socks_greeted = true;
    c.in.erase(0, g.bytes);
    c.to_client = Socks5MethodReply(true);
    if (!FlushToClient(c)) return;
  }
  Socks5Request req;
  Socks5Reply code = Socks5Reply::kGeneralFailure;
  switch (ParseSocks5Request(c.in, &req, &code)) {
    case ParseStatus::kNeedMore:
      return;
    case ParseStatus::kError: {
      const char* what = code == Socks5Reply::kCommandNotSupported       ? "command not supported (CONNECT only)"
                         : code == Socks5Reply::kAddressTypeNotSupported ? "address type not supported"
                                                                         : "malformed request";
      Fail(c, 0, static_cast<uint8_t>(code), std::string("socks5: ") + what);
      return;
    }
    case ParseStatus::kDone:
      break;
  }
  c.host = req.host;
  c.port = req.port;
  c.ev.host = c.host;
  c.ev.port = c.port;
  c.up.buf.assign(c.in, req.bytes);
  std::string().swap(c.in);
  Decide(c);
}

void Proxy::Decide(Conn& c) {
  policy::NetDecision d = rules_.DecideName(c.host, c.port);
  c.ev.allowed = d.allowed;
  c.ev.rule = d.rule;
  c.ev.reason = d.reason;
  if (!d.allowed) {
    Refuse(c, d);
    return;
  }
  if (std::optional<policy::IpAddress> literal = policy::ParseIpLiteral(c.host)) {
    c.canonical = AddressText(*literal);
  } else if (std::optional<std::string> name = policy::CanonicalHostName(c.host)) {
    c.canonical = *name;
  } else {
    // DecideName allowed something that is neither a name nor an address: the policy is broken, fail closed.
    Refuse(c, policy::NetDecision{false, "", "not a valid host name"});
    return;
  }
  // Resolution and each connect attempt get connect_timeout_ms each.
  SetDeadline(c, NowMs() + options_.connect_timeout_ms);
  if (std::optional<std::vector<policy::IpAddress>> fixed = ImmediateAddresses(rules_, c.host)) {
    OnAnswer(c, std::move(*fixed), "");
    return;
  }
  c.stage = Stage::kResolving;
  if (Status s = resolver_->Submit(c.id, c.canonical); !s.ok()) {
    Fail(c, 502, static_cast<uint8_t>(Socks5Reply::kGeneralFailure), "resolving " + c.host + ": " + s.error().message);
  }
}

void Proxy::OnAnswer(Conn& c, std::vector<policy::IpAddress> addresses, const std::string& error) {
  if (addresses.empty()) {
    Fail(c, 502, static_cast<uint8_t>(Socks5Reply::kHostUnreachable), "resolving " + c.host + ": " + error);
    return;
  }
  // Every address is decided on its own: an allowed name whose DNS answer points at loopback or the LAN must not
  // get there (DNS rebinding), while its public addresses stay usable.
  c.addrs.clear();
  std::optional<policy::NetDecision> refusal;
  std::string refused_address;
  for (const policy::IpAddress& a : addresses) {
    policy::NetDecision d = rules_.DecideAddress(c.canonical, c.port, a);
    if (d.allowed) {
      c.addrs.push_back(a);
    } else if (!refusal) {
      refusal = std::move(d);
      refused_address = AddressText(a);
    }
  }
  if (c.addrs.empty()) {
    c.ev.address = refused_address;
    Refuse(c, *refusal);
    return;
  }
  c.next_addr = 0;
  ConnectNext(c);
}

// ---- upstream connection ----

void Proxy::ConnectNext(Conn& c) {
  if (c.upstream.valid()) {
    epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, c.upstream.get(), nullptr);
    c.upstream.Reset();
    c.upstream_mask = 0;
  }
  while (c.next_addr < c.addrs.size()) {
    const policy::IpAddress& a = c.addrs[c.next_addr++];
    c.ev.address = AddressText(a);
    sockaddr_storage ss;
    socklen_t len = ToSockaddr(a, c.port, &ss);
    UniqueFd s(socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    if (!s.valid()) {
      c.last_errno = errno;
      continue;
    }
    if (connect(s.get(), reinterpret_cast<sockaddr*>(&ss), len) == 0 || errno == EINPROGRESS) {
      // Even an immediate success is taken up when the socket reports writable: one path for both.
      c.upstream = std::move(s);
      c.stage = Stage::kConnecting;
      SetDeadline(c, NowMs() + options_.connect_timeout_ms);
      // A nearby upstream (loopback, the LAN) has often answered before connect() returned: a zero-timeout
      // poll saves a trip through epoll.
      pollfd p{c.upstream.get(), POLLOUT, 0};
      if (poll(&p, 1, 0) == 1) OnConnectReady(c);
      return;
    }
    c.last_errno = errno;
  }
  const std::string what = "connect to " + HostPort(c.host, c.port) + " (" + c.ev.address + "): " +
                           (c.last_errno == ETIMEDOUT ? std::string("timed out") : ErrnoText(c.last_errno));
  switch (c.last_errno) {
    case ETIMEDOUT:
      Fail(c, 504, static_cast<uint8_t>(Socks5Reply::kHostUnreachable), what);
      return;
    case ECONNREFUSED:
      Fail(c, 502, static_cast<uint8_t>(Socks5Reply::kConnectionRefused), what);
      return;
    case ENETUNREACH:
      Fail(c, 502, static_cast<uint8_t>(Socks5Reply::kNetworkUnreachable), what);
      return;
    case EHOSTUNREACH:
      Fail(c, 502, static_cast<uint8_t>(Socks5Reply::kHostUnreachable), what);
      return;
    default:
      Fail(c, 502, static_cast<uint8_t>(Socks5Reply::kGeneralFailure), what);
      return;
  }
}

void Proxy::OnConnectReady(Conn& c) {
  int err = 0;
  socklen_t len = sizeof(err);
  if (getsockopt(c.upstream.get(), SOL_SOCKET, SO_ERROR, &err, &len) != 0) err = errno;
  if (err != 0) {
    c.last_errno = err;
    ConnectNext(c);
    return;
  }
  StartRelay(c);
}

void Proxy::StartRelay(Conn& c) {
  c.stage = Stage::kRelay;
  c.last_activity_ms = NowMs();
  SetDeadline(c, c.last_activity_ms + options_.idle_timeout_ms);
  const int one = 1;
  // The client chose its own write pattern; Nagle in the middle would only add delay to it.
  setsockopt(c.client.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  setsockopt(c.upstream.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  switch (c.protocol) {
    case Protocol::kConnect:
      c.to_client += HttpConnectEstablished();
      break;
    case Protocol::kSocks5: {
      sockaddr_storage bound{};
      socklen_t len = sizeof(bound);
      const bool known = getsockname(c.upstream.get(), reinterpret_cast<sockaddr*>(&bound), &len) == 0;
      c.to_client += Socks5ReplyBytes(Socks5Reply::kSucceeded, known ? reinterpret_cast<sockaddr*>(&bound) : nullptr);
      break;
    }
    case Protocol::kHttp:
      break;  // the upstream's own response is the reply
  }
  c.up.src = c.down.dst = c.client.get();
  c.up.dst = c.down.src = c.upstream.get();
  c.up.src_name = c.down.dst_name = "client";
  c.up.dst_name = c.down.src_name = "upstream";
  // Without a pipe (out of fds, or the per-user pipe quota) a flow copies through user space instead.
  if (options_.splice) {
    c.up.OpenPipe();
    c.down.OpenPipe();
  }
  Pump(c, true);
  if (!c.finished) Pump(c, false);
}

// ---- relay ----

void Proxy::Pump(Conn& c, bool up) {
  Flow& f = up ? c.up : c.down;
  if (f.dst_shut) return;
  // The proxy's own reply (200, SOCKS5 success) goes to the client before any relayed byte.
  if (!up && !FlushToClient(c)) {
    f.want_read = false;
    f.want_write = !c.finished;
    return;
  }
  const uint64_t before = f.bytes;
  std::string error = PumpFlow(f, kRelayRounds);
  if (!error.empty()) {
    Finish(c, std::move(error));
    return;
  }
  if (f.bytes != before) c.last_activity_ms = NowMs();
}

// ---- replies and endings ----

bool Proxy::FlushToClient(Conn& c) {
  while (c.to_client_off < c.to_client.size()) {
    ssize_t n = send(c.client.get(), c.to_client.data() + c.to_client_off, c.to_client.size() - c.to_client_off,
                     MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EAGAIN || errno == EINTR) return false;
      Finish(c, "client: send: " + ErrnoText(errno));
      return false;
    }
    c.to_client_off += static_cast<size_t>(n);
  }
  std::string().swap(c.to_client);
  c.to_client_off = 0;
  return true;
}

void Proxy::Refuse(Conn& c, const policy::NetDecision& d) {
  c.ev.allowed = false;
  c.ev.rule = d.rule;
  c.ev.reason = d.reason;
  SendReplyAndClose(c, c.protocol == Protocol::kSocks5 ? Socks5ReplyBytes(Socks5Reply::kNotAllowed)
                                                       : HttpRefusedReply(c.host, c.port, d.reason));
}

void Proxy::Fail(Conn& c, int http_status, uint8_t socks_code, std::string error) {
  std::string reply;
  if (c.protocol == Protocol::kSocks5) {
    if (socks_code != 0) reply = Socks5ReplyBytes(static_cast<Socks5Reply>(socks_code));
  } else if (http_status != 0) {
    reply = HttpErrorReply(http_status, error);
  }
  c.ev.error = std::move(error);
  SendReplyAndClose(c, std::move(reply));
}

// The reply, then no more writing; then read and discard what the client still sends for a moment: closing a
// socket with unread data resets the connection, and a reset can destroy the reply before the client reads it.
void Proxy::SendReplyAndClose(Conn& c, std::string reply) {
  if (c.upstream.valid()) {
    epoll_ctl(epoll_fd_.get(), EPOLL_CTL_DEL, c.upstream.get(), nullptr);
    c.upstream.Reset();
    c.upstream_mask = 0;
  }
  c.stage = Stage::kDrain;
  c.to_client += reply;
  SetDeadline(c, NowMs() + kLingerMs);
  Drain(c);
}

void Proxy::Drain(Conn& c) {
  if (!FlushToClient(c)) return;
  if (!c.client_shut) {
    shutdown(c.client.get(), SHUT_WR);
    c.client_shut = true;
  }
  char sink[4096];
  while (true) {
    ssize_t n = recv(c.client.get(), sink, sizeof(sink), 0);
    if (n > 0) {
      c.drained += static_cast<size_t>(n);
      if (c.drained > kLingerBytes) return Finish(c, "");
      continue;
    }
    if (n < 0 && (errno == EAGAIN || errno == EINTR)) return;
    return Finish(c, "");  // EOF or an error: the client is gone either way
  }
}

void Proxy::Finish(Conn& c, std::string error) {
  if (c.finished) return;
  c.finished = true;
  if (c.ev.error.empty()) c.ev.error = std::move(error);
}

void Proxy::UpdateInterest(Conn& c) {
  uint32_t want_client = 0, want_upstream = 0;
  const bool reply_pending = c.to_client_off < c.to_client.size();
  switch (c.stage) {
    case Stage::kHead:
      want_client = kIn | (reply_pending ? kOut : kNone);
      break;
    case Stage::kResolving:
      break;
    case Stage::kConnecting:
      want_upstream = EPOLLOUT;
      break;
    case Stage::kRelay:
      want_client = (c.up.want_read ? kIn : kNone) | (c.down.want_write ? kOut : kNone);
      want_upstream = (c.down.want_read ? kIn : kNone) | (c.up.want_write ? kOut : kNone);
      break;
    case Stage::kDrain:
      want_client = reply_pending ? kOut : kIn;
      break;
  }
  // An fd with nothing wanted leaves the set: level-triggered HUP/ERR would otherwise be reported again and again
  // while the connection waits on its other side.
  auto apply = [&](const UniqueFd& fd, uint32_t& current, uint32_t wanted, bool upstream) {
    if (!fd.valid() || wanted == current) return true;
    epoll_event ev{};
    ev.events = wanted;
    ev.data.u64 = ConnTag(c.id, upstream);
    int op = current == 0 ? EPOLL_CTL_ADD : wanted == 0 ? EPOLL_CTL_DEL : EPOLL_CTL_MOD;
    if (epoll_ctl(epoll_fd_.get(), op, fd.get(), &ev) != 0) return false;
    current = wanted;
    return true;
  };
  if (!apply(c.client, c.client_mask, want_client, false) ||
      !apply(c.upstream, c.upstream_mask, want_upstream, true)) {
    Finish(c, "epoll_ctl: " + ErrnoText(errno));
  }
}

void Proxy::Destroy(uint64_t id) {
  auto it = conns_.find(id);
  if (it == conns_.end()) return;
  Conn& c = *it->second;
  SetDeadline(c, 0);
  if (c.stage == Stage::kResolving && resolver_) resolver_->Cancel(id);
  ConnectionEvent ev = std::move(c.ev);
  ev.bytes_up = c.up.bytes;
  ev.bytes_down = c.down.bytes;
  ev.duration_ms = static_cast<uint64_t>(NowMs() - c.start_ms);
  conns_.erase(it);  // closes the sockets and pipes, which takes them out of the epoll set
  if (!shut_down_ && !listening_ && conns_.size() < options_.max_connections) SetListening(true);
  if (on_event_) on_event_(ev);
}

}  // namespace cordon::net
