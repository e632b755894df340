// The filtering proxy: HTTP CONNECT, plain HTTP forwarding and SOCKS5 on one listening socket, each request
// decided by the policy's NetRules before anything leaves. One thread, one epoll set, nothing blocks:
//
//   accept → read the head (header timeout) → parse → DecideName → addresses (literal | hosts map | DNS on the
//   resolver's threads) → DecideAddress for each → non-blocking connect to the first acceptable one, the next on
//   failure (connect timeout, which also bounds resolution) → the protocol's success reply → relay both ways
//   with splice() through a pipe per direction (read/write when splice is refused), half-close passed on,
//   idle timeout → one ConnectionEvent.
//
// A refused or failed request gets the protocol's error reply (HTTP 400/403/408/431/502/504, SOCKS5 reply
// codes), the proxy stops writing, drains what the client still sends for a moment so the reply is not lost to
// a reset, and closes.
//
// Not protected against: what travels inside an allowed tunnel. The decision is on the requested name and the
// address it resolves to; a TLS SNI or an HTTP Host header sent inside the tunnel to the same server is not
// checked (a server hosting many names serves whichever the client asks for). A forwarded request's body is not
// parsed, so requests pipelined behind it go to the same upstream (never another one).
//
// File descriptors: up to 6 per connection (client and upstream sockets, and a pipe of 2 fds per direction;
// without pipes the relay falls back to read/write), plus 4 for the proxy itself (epoll, timerfd, listener,
// resolver eventfd). RaiseOpenFileLimit() lifts the soft RLIMIT_NOFILE to the hard one for 1,000+ connections.
// Pipes start at 16 KiB and grow to 1 MiB for a bulk transfer; their pages count against the user's pipe quota
// (/proc/sys/fs/pipe-user-pages-soft), and a pipe that cannot grow just moves smaller pieces.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "policy/net_rules.h"

namespace cordon::net {

struct ProxyOptions {
  size_t max_connections = 4096;     // open client connections; beyond it new ones wait in the listen backlog
  size_t max_header_bytes = 16384;   // request head (HTTP) limit; larger gets 431
  int header_timeout_ms = 10000;     // accept → complete request (HTTP head, SOCKS5 greeting + request)
  int connect_timeout_ms = 10000;    // name resolution, and each connect attempt
  int idle_timeout_ms = 600000;      // no byte either way while relaying
  int resolver_threads = 4;          // getaddrinfo workers
  bool splice = true;                // false: copy through user space (to compare, and to test that path)
};

// One connection attempt, reported once when it ends (by the callback given to the proxy).
struct ConnectionEvent {
  std::string protocol;  // "connect", "http", "socks5"; empty when the client never sent a recognisable request
  std::string client;    // the client's address, "127.0.0.1:40312"
  std::string host;      // as requested (IPv6 without brackets); empty when no request was parsed
  uint16_t port = 0;
  std::string address;   // the resolved address connected to, or the one refused; empty if none
  bool allowed = false;  // the policy's decision (a permitted request can still fail to connect: see error)
  std::string rule;      // the pattern that decided, as written; empty when no rule matched
  std::string reason;    // the policy's reason ("allowed by github.com:443", "127.0.0.1 is loopback"); empty when
                         // the request never reached the policy (error says why)
  uint64_t bytes_up = 0;     // bytes sent to the upstream (for http, including the rewritten request head)
  uint64_t bytes_down = 0;   // bytes from the upstream relayed to the client (not the proxy's own replies)
  uint64_t duration_ms = 0;  // accept to close
  std::string error;         // empty for a relay that ended cleanly and for a refusal; else what went wrong
                             // ("bad request: ...", "connect to ...: Connection refused", "header timeout",
                             // "idle timeout", "proxy shut down", ...)
};

using ConnectionCallback = std::function<void(const ConnectionEvent&)>;

// Lifts the soft RLIMIT_NOFILE to the hard limit; returns the new soft limit. The proxy needs up to 6 fds per
// connection (see above). The sandboxed command is not affected: the rlimits layer sets its own limit.
Result<uint64_t> RaiseOpenFileLimit();

class Resolver;
struct ProxyConnection;

class Proxy {
 public:
  // `listener`: a bound, listening TCP socket (made non-blocking here). The callback runs on the thread that
  // calls Dispatch or Shutdown, and must not call back into the proxy.
  static Result<std::unique_ptr<Proxy>> Create(UniqueFd listener, policy::NetRules rules, ProxyOptions options,
                                               ConnectionCallback on_event);
  ~Proxy();  // Shutdown() if not done yet
  Proxy(const Proxy&) = delete;
  Proxy& operator=(const Proxy&) = delete;

  // The epoll fd: readable when Dispatch has work. Put it in the caller's own poll/epoll loop.
  int fd() const { return epoll_fd_.get(); }
  // Handles every ready event and expired timer, without blocking.
  void Dispatch();
  // Stops accepting, closes every connection (each reports "proxy shut down") and the listener. Idempotent.
  void Shutdown();

  size_t connection_count() const { return conns_.size(); }

 private:
  Proxy(UniqueFd listener, policy::NetRules rules, ProxyOptions options, ConnectionCallback on_event);
  using Conn = ProxyConnection;

  void Accept();
  void SetListening(bool on);
  void OnConnEvent(Conn& c, bool upstream_fd, uint32_t events);
  void AfterEvent(Conn& c);  // registers what the connection waits for next, or destroys it when finished
  void SetDeadline(Conn& c, int64_t when_ms);
  void RunTimers();
  void ArmTimer();
  void OnTimeout(Conn& c, int64_t now_ms);

  void ReadHead(Conn& c);
  void OnHttpHead(Conn& c);
  void OnSocksInput(Conn& c);
  void Decide(Conn& c);
  void OnAnswer(Conn& c, std::vector<policy::IpAddress> addresses, const std::string& error);
  void ConnectNext(Conn& c);
  void OnConnectReady(Conn& c);
  void StartRelay(Conn& c);
  void Pump(Conn& c, bool up);

  bool FlushToClient(Conn& c);
  void Refuse(Conn& c, const policy::NetDecision& d);
  void Fail(Conn& c, int http_status, uint8_t socks_code, std::string error);
  void SendReplyAndClose(Conn& c, std::string reply);
  void Drain(Conn& c);
  void Finish(Conn& c, std::string error);
  void UpdateInterest(Conn& c);
  void Destroy(uint64_t id);

  UniqueFd listener_;
  UniqueFd epoll_fd_;
  UniqueFd timer_fd_;
  std::unique_ptr<Resolver> resolver_;
  policy::NetRules rules_;
  ProxyOptions options_;
  ConnectionCallback on_event_;

  std::unordered_map<uint64_t, std::unique_ptr<Conn>> conns_;
  std::set<std::pair<int64_t, uint64_t>> timers_;  // (deadline ms, connection id); id 0: resume accepting
  int64_t armed_ms_ = -1;
  uint64_t next_id_ = 1;
  bool listening_ = false;
  bool shut_down_ = false;
};

}  // namespace cordon::net
