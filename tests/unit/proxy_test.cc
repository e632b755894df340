// The proxy end to end over loopback: a Proxy on 127.0.0.1:0 driven by its own thread (poll → Dispatch),
// upstream echo and HTTP servers started by the test, and NetRules whose hosts map sends "upstream.test" to
// 127.0.0.1. Loopback is reachable only through the hosts map or an exact address rule, which the tests rely on
// and check.
#include "net/proxy.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <map>
#include <mutex>
#include <random>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

#include "net/resolver.h"

namespace cordon::net {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;
using namespace std::string_literals;

// ---- sockets ----

UniqueFd Listen(int family, uint16_t* port, int backlog = 4096) {
  UniqueFd fd(socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0));
  EXPECT_TRUE(fd.valid());
  int one = 1;
  setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_storage ss{};
  socklen_t len;
  if (family == AF_INET6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(&ss);
    a->sin6_family = AF_INET6;
    a->sin6_addr = in6addr_loopback;
    len = sizeof(*a);
  } else {
    auto* a = reinterpret_cast<sockaddr_in*>(&ss);
    a->sin_family = AF_INET;
    a->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    len = sizeof(*a);
  }
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&ss), len) != 0 || listen(fd.get(), backlog) != 0) {
    return UniqueFd();
  }
  len = sizeof(ss);
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&ss), &len);
  *port = ntohs(family == AF_INET6 ? reinterpret_cast<sockaddr_in6*>(&ss)->sin6_port
                                   : reinterpret_cast<sockaddr_in*>(&ss)->sin_port);
  return fd;
}

// A blocking client socket with a receive timeout, so a broken proxy fails a test instead of hanging it.
UniqueFd Dial(uint16_t port, int timeout_s = 10) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) return UniqueFd();
  timeval tv{timeout_s, 0};
  setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
  return fd;
}

bool SendAll(int fd, std::string_view data) {
  while (!data.empty()) {
    ssize_t n = send(fd, data.data(), data.size(), MSG_NOSIGNAL);
    if (n <= 0) return false;
    data.remove_prefix(static_cast<size_t>(n));
  }
  return true;
}

std::string ReadExactly(int fd, size_t n) {
  std::string out(n, '\0');
  size_t got = 0;
  while (got < n) {
    ssize_t r = recv(fd, out.data() + got, n - got, 0);
    if (r <= 0) break;
    got += static_cast<size_t>(r);
  }
  out.resize(got);
  return out;
}

// Everything until the peer closes (or the receive timeout).
std::string ReadAll(int fd) {
  std::string out;
  char buf[65536];
  while (true) {
    ssize_t r = recv(fd, buf, sizeof(buf), 0);
    if (r <= 0) break;
    out.append(buf, static_cast<size_t>(r));
  }
  return out;
}

// Reads until the peer closes, then closes too: the proxy reports a refused connection when the client is gone
// (it drains the client for a moment after its reply, so the reply is not lost to a reset).
std::string ReadAllAndClose(UniqueFd& fd) {
  std::string out = ReadAll(fd.get());
  fd.Reset();
  return out;
}

std::string ReadHead(int fd) {
  std::string out;
  char c;
  while (out.find("\r\n\r\n") == std::string::npos && recv(fd, &c, 1, 0) == 1) out.push_back(c);
  return out;
}

// ---- upstream servers ----

// Echoes every byte back; passes a half-close on once everything is echoed. Handles many connections at once.
class EchoServer {
 public:
  explicit EchoServer(int family = AF_INET) {
    listener_ = Listen(family, &port_);
    if (!listener_.valid()) return;
    epoll_ = UniqueFd(epoll_create1(EPOLL_CLOEXEC));
    stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC));
    Watch(listener_.get(), EPOLLIN);
    Watch(stop_.get(), EPOLLIN);
    thread_ = std::thread([this] { Loop(); });
  }
  ~EchoServer() {
    if (!thread_.joinable()) return;
    uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof(one));
    thread_.join();
  }
  bool ok() const { return listener_.valid(); }
  uint16_t port() const { return port_; }

 private:
  struct Peer {
    UniqueFd fd;
    std::string pending;
    bool eof = false;
  };
  void Watch(int fd, uint32_t events, int op = EPOLL_CTL_ADD) {
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    epoll_ctl(epoll_.get(), op, fd, &ev);
  }
  void Loop() {
    epoll_event events[64];
    std::vector<char> buf(1 << 16);
    while (true) {
      int n = epoll_wait(epoll_.get(), events, 64, -1);
      for (int i = 0; i < n; ++i) {
        int fd = events[i].data.fd;
        if (fd == stop_.get()) return;
        if (fd == listener_.get()) {
          int c = accept4(listener_.get(), nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
          if (c < 0) continue;
          auto p = std::make_unique<Peer>();
          p->fd = UniqueFd(c);
          Watch(c, EPOLLIN);
          peers_[c] = std::move(p);
          continue;
        }
        auto it = peers_.find(fd);
        if (it == peers_.end()) continue;
        Peer& p = *it->second;
        if (!p.pending.empty()) {
          ssize_t w = send(fd, p.pending.data(), p.pending.size(), MSG_NOSIGNAL);
          if (w < 0 && errno != EAGAIN) {
            peers_.erase(it);
            continue;
          }
          if (w > 0) p.pending.erase(0, static_cast<size_t>(w));
          if (!p.pending.empty()) continue;
          if (p.eof) {
            shutdown(fd, SHUT_WR);
            peers_.erase(it);
            continue;
          }
          Watch(fd, EPOLLIN, EPOLL_CTL_MOD);
          continue;
        }
        ssize_t r = recv(fd, buf.data(), buf.size(), 0);
        if (r < 0) {
          if (errno != EAGAIN) peers_.erase(it);
          continue;
        }
        if (r == 0) {
          shutdown(fd, SHUT_WR);
          peers_.erase(it);
          continue;
        }
        ssize_t w = send(fd, buf.data(), static_cast<size_t>(r), MSG_NOSIGNAL);
        if (w < 0 && errno != EAGAIN) {
          peers_.erase(it);
          continue;
        }
        if (w < r) {
          p.pending.assign(buf.data() + std::max<ssize_t>(w, 0), buf.data() + r);
          Watch(fd, EPOLLOUT, EPOLL_CTL_MOD);
        }
      }
    }
  }

  uint16_t port_ = 0;
  UniqueFd listener_, epoll_, stop_;
  std::unordered_map<int, std::unique_ptr<Peer>> peers_;
  std::thread thread_;
};

// Answers every request with a fixed body and records the request (head and Content-Length body) it got.
class HttpServer {
 public:
  static constexpr const char* kBody = "hello from upstream\n";
  HttpServer() {
    listener_ = Listen(AF_INET, &port_);
    stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC));
    thread_ = std::thread([this] { Loop(); });
  }
  ~HttpServer() {
    uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof(one));
    thread_.join();
  }
  uint16_t port() const { return port_; }
  std::string Response() const {
    return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(std::strlen(kBody)) +
           "\r\nConnection: close\r\n\r\n" + kBody;
  }
  std::vector<std::string> requests() {
    std::lock_guard<std::mutex> lock(mu_);
    return requests_;
  }

 private:
  void Loop() {
    while (true) {
      pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
      poll(fds, 2, -1);
      if (fds[1].revents != 0) return;
      UniqueFd c(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!c.valid()) continue;
      timeval tv{5, 0};
      setsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
      std::string req = ReadHead(c.get());
      size_t cl = req.find("Content-Length: ");
      if (cl != std::string::npos) req += ReadExactly(c.get(), std::stoul(req.substr(cl + 16)));
      {
        std::lock_guard<std::mutex> lock(mu_);
        requests_.push_back(req);
      }
      SendAll(c.get(), Response());
      shutdown(c.get(), SHUT_WR);
      ReadAll(c.get());
    }
  }
  uint16_t port_ = 0;
  UniqueFd listener_, stop_;
  std::mutex mu_;
  std::vector<std::string> requests_;
  std::thread thread_;
};

// ---- the proxy under test ----

policy::NetRules Rules(const std::vector<std::string>& allow, const std::vector<std::string>& deny = {},
                       const std::map<std::string, std::string>& hosts = {}) {
  std::vector<policy::EndpointPattern> a, d;
  for (const std::string& s : allow) {
    auto p = policy::ParseEndpointPattern(s);
    EXPECT_TRUE(p.ok()) << s << ": " << p.error().ToString();
    if (p.ok()) a.push_back(*p);
  }
  for (const std::string& s : deny) {
    auto p = policy::ParseEndpointPattern(s);
    EXPECT_TRUE(p.ok()) << s << ": " << p.error().ToString();
    if (p.ok()) d.push_back(*p);
  }
  std::map<std::string, policy::IpAddress> h;
  for (const auto& [name, addr] : hosts) h[name] = *policy::ParseIpLiteral(addr);
  return policy::NetRules(std::move(a), std::move(d), std::move(h));
}

class ProxyRunner {
 public:
  explicit ProxyRunner(policy::NetRules rules, ProxyOptions options = {}) {
    UniqueFd listener = Listen(AF_INET, &port_);
    auto p = Proxy::Create(std::move(listener), std::move(rules), options, [this](const ConnectionEvent& e) {
      std::lock_guard<std::mutex> lock(mu_);
      events_.push_back(e);
      cv_.notify_all();
    });
    if (!p.ok()) {
      ADD_FAILURE() << p.error().ToString();
      return;
    }
    proxy_ = std::move(*p);
    stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC));
    thread_ = std::thread([this] {
      while (true) {
        pollfd fds[2] = {{proxy_->fd(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
        poll(fds, 2, -1);
        if (fds[1].revents != 0) {
          proxy_->Shutdown();
          return;
        }
        proxy_->Dispatch();
      }
    });
  }
  ~ProxyRunner() { Stop(); }
  void Stop() {
    if (!thread_.joinable()) return;
    uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof(one));
    thread_.join();
  }
  uint16_t port() const { return port_; }

  std::vector<ConnectionEvent> WaitForEvents(size_t n, int timeout_ms = 10000) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, std::chrono::milliseconds(timeout_ms), [&] { return events_.size() >= n; });
    return events_;
  }
  ConnectionEvent OneEvent() {
    std::vector<ConnectionEvent> e = WaitForEvents(1);
    EXPECT_EQ(e.size(), 1u);
    return e.empty() ? ConnectionEvent{} : e[0];
  }

 private:
  uint16_t port_ = 0;
  std::unique_ptr<Proxy> proxy_;
  UniqueFd stop_;
  std::thread thread_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<ConnectionEvent> events_;
};

std::string P(uint16_t port) { return std::to_string(port); }

std::string Connect(const std::string& authority) {
  return "CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n\r\n";
}

constexpr const char* kEstablished = "HTTP/1.1 200 Connection established\r\n\r\n";

std::string RandomBytes(size_t n, unsigned seed) {
  std::mt19937 rng(seed);
  std::string s(n, '\0');
  for (char& c : s) c = static_cast<char>(rng());
  return s;
}

// Sends `data` from a second thread while reading the echo here: a tunnel must move both ways at once.
std::string EchoThrough(int fd, const std::string& data) {
  std::thread writer([&] { SendAll(fd, data); });
  std::string back = ReadExactly(fd, data.size());
  writer.join();
  return back;
}

std::string SocksGreeting() { return "\x05\x01\x00"s; }
std::string SocksDomain(const std::string& name, uint16_t port) {
  std::string r = "\x05\x01\x00\x03"s;
  r.push_back(static_cast<char>(name.size()));
  r += name;
  r.push_back(static_cast<char>(port >> 8));
  r.push_back(static_cast<char>(port & 0xff));
  return r;
}
std::string SocksIpv4(const char* addr, uint16_t port) {
  std::string r = "\x05\x01\x00\x01"s;
  in_addr a;
  inet_pton(AF_INET, addr, &a);
  r.append(reinterpret_cast<char*>(&a), 4);
  r.push_back(static_cast<char>(port >> 8));
  r.push_back(static_cast<char>(port & 0xff));
  return r;
}
std::string SocksIpv6(const char* addr, uint16_t port) {
  std::string r = "\x05\x01\x00\x04"s;
  in6_addr a;
  inet_pton(AF_INET6, addr, &a);
  r.append(reinterpret_cast<char*>(&a), 16);
  r.push_back(static_cast<char>(port >> 8));
  r.push_back(static_cast<char>(port & 0xff));
  return r;
}

// An unused port: bound, then closed, so a connect there is refused.
uint16_t ClosedPort() {
  uint16_t port;
  UniqueFd fd = Listen(AF_INET, &port);
  return port;
}

// ---- CONNECT ----

// Both relay paths: splice() through pipes, and the read/write copy it falls back to.
class ProxyRelay : public ::testing::TestWithParam<bool> {};

TEST_P(ProxyRelay, ConnectTunnelRelaysBothWays) {
  EchoServer echo;
  const std::string rule = "upstream.test:" + P(echo.port());
  ProxyOptions options;
  options.splice = GetParam();
  ProxyRunner proxy(Rules({rule}, {}, {{"upstream.test", "127.0.0.1"}}), options);
  UniqueFd c = Dial(proxy.port());
  // Early data right behind the request head is relayed too, after the reply.
  ASSERT_TRUE(SendAll(c.get(), Connect("upstream.test:" + P(echo.port())) + "early"));
  ASSERT_EQ(ReadExactly(c.get(), std::strlen(kEstablished)), kEstablished);
  ASSERT_EQ(ReadExactly(c.get(), 5), "early");
  const std::string data = RandomBytes(1 << 20, 1);
  ASSERT_TRUE(EchoThrough(c.get(), data) == data);
  shutdown(c.get(), SHUT_WR);  // half-close goes through: the echo server closes, so do we
  EXPECT_EQ(ReadAllAndClose(c), "");

  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.protocol, "connect");
  EXPECT_THAT(e.client, StartsWith("127.0.0.1:"));
  EXPECT_EQ(e.host, "upstream.test");
  EXPECT_EQ(e.port, echo.port());
  EXPECT_EQ(e.address, "127.0.0.1");
  EXPECT_TRUE(e.allowed);
  EXPECT_EQ(e.rule, rule);
  EXPECT_EQ(e.reason, "allowed by " + rule);
  EXPECT_EQ(e.bytes_up, data.size() + 5);
  EXPECT_EQ(e.bytes_down, data.size() + 5);
  EXPECT_EQ(e.error, "");
  EXPECT_LT(e.duration_ms, 10000u);
}

INSTANTIATE_TEST_SUITE_P(SpliceAndCopy, ProxyRelay, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "splice" : "copy"; });

TEST(Proxy, ConnectByExactAddressRule) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"127.0.0.1:" + P(echo.port())}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("127.0.0.1:" + P(echo.port()))));
  ASSERT_EQ(ReadExactly(c.get(), std::strlen(kEstablished)), kEstablished);
  EXPECT_EQ(EchoThrough(c.get(), "ping"), "ping");
  c.Reset();
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_TRUE(e.allowed);
  EXPECT_EQ(e.address, "127.0.0.1");
  EXPECT_EQ(e.rule, "127.0.0.1:" + P(echo.port()));
}

// ---- plain HTTP ----

TEST(Proxy, PlainHttpIsForwardedInOriginForm) {
  HttpServer server;
  const std::string authority = "upstream.test:" + P(server.port());
  ProxyRunner proxy(Rules({authority}, {}, {{"upstream.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), "GET http://" + authority + "/path?x=1 HTTP/1.1\r\nHost: " + authority +
                                   "\r\nUser-Agent: t\r\nProxy-Authorization: Basic dTpw\r\n"
                                   "Proxy-Connection: keep-alive\r\n\r\n"));
  EXPECT_EQ(ReadAllAndClose(c), server.Response());
  const std::string sent = "GET /path?x=1 HTTP/1.1\r\nHost: " + authority + "\r\nUser-Agent: t\r\nConnection: close\r\n\r\n";
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0], sent);
  c.Reset();
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.protocol, "http");
  EXPECT_EQ(e.host, "upstream.test");
  EXPECT_EQ(e.port, server.port());
  EXPECT_TRUE(e.allowed);
  EXPECT_EQ(e.address, "127.0.0.1");
  EXPECT_EQ(e.bytes_up, sent.size());
  EXPECT_EQ(e.bytes_down, server.Response().size());
  EXPECT_EQ(e.error, "");
}

TEST(Proxy, PlainHttpPostBodyFollowsTheHead) {
  HttpServer server;
  const std::string authority = "upstream.test:" + P(server.port());
  ProxyRunner proxy(Rules({authority}, {}, {{"upstream.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), "POST http://" + authority + "/up HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  ASSERT_TRUE(SendAll(c.get(), " world"));
  EXPECT_EQ(ReadAllAndClose(c), server.Response());
  ASSERT_EQ(server.requests().size(), 1u);
  EXPECT_EQ(server.requests()[0], "POST /up HTTP/1.1\r\nHost: " + authority +
                                      "\r\nContent-Length: 11\r\nConnection: close\r\n\r\nhello world");
}

// ---- SOCKS5 ----

void ExpectSocksTunnel(ProxyRunner& proxy, const std::string& request, size_t reply_size) {
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), SocksGreeting()));
  ASSERT_EQ(ReadExactly(c.get(), 2), "\x05\x00"s);
  ASSERT_TRUE(SendAll(c.get(), request));
  std::string reply = ReadExactly(c.get(), reply_size);
  ASSERT_EQ(reply.size(), reply_size);
  EXPECT_EQ(reply.substr(0, 3), "\x05\x00\x00"s);
  const std::string data = RandomBytes(200000, 2);
  EXPECT_TRUE(EchoThrough(c.get(), data) == data);
  shutdown(c.get(), SHUT_WR);
  EXPECT_EQ(ReadAllAndClose(c), "");
}

TEST(Proxy, Socks5Domain) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  ExpectSocksTunnel(proxy, SocksDomain("upstream.test", echo.port()), 10);
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.protocol, "socks5");
  EXPECT_EQ(e.host, "upstream.test");
  EXPECT_EQ(e.address, "127.0.0.1");
  EXPECT_TRUE(e.allowed);
  EXPECT_EQ(e.bytes_up, 200000u);
  EXPECT_EQ(e.bytes_down, 200000u);
  EXPECT_EQ(e.error, "");
}

TEST(Proxy, Socks5GreetingAndRequestInOneWrite) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), SocksGreeting() + SocksDomain("upstream.test", echo.port()) + "early"));
  EXPECT_EQ(ReadExactly(c.get(), 2 + 10 + 5).substr(0, 4), "\x05\x00\x05\x00"s);
}

TEST(Proxy, Socks5Ipv4) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"127.0.0.1:" + P(echo.port())}));
  ExpectSocksTunnel(proxy, SocksIpv4("127.0.0.1", echo.port()), 10);
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.host, "127.0.0.1");
  EXPECT_TRUE(e.allowed);
}

TEST(Proxy, Socks5Ipv6) {
  EchoServer echo(AF_INET6);
  if (!echo.ok()) GTEST_SKIP() << "no IPv6 loopback here";
  ProxyRunner proxy(Rules({"[::1]:" + P(echo.port())}));
  ExpectSocksTunnel(proxy, SocksIpv6("::1", echo.port()), 22);
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.host, "::1");
  EXPECT_EQ(e.address, "::1");
  EXPECT_TRUE(e.allowed);
}

TEST(Proxy, Socks5RefusesAuthenticationOnlyClientsAndBind) {
  ProxyRunner proxy(Rules({"upstream.test:1"}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), "\x05\x01\x02"s));  // username/password only
  EXPECT_EQ(ReadAllAndClose(c), "\x05\xff"s);
  UniqueFd d = Dial(proxy.port());
  ASSERT_TRUE(SendAll(d.get(), SocksGreeting() + "\x05\x02\x00\x01\x7f\x00\x00\x01\x00\x50"s));  // BIND
  EXPECT_EQ(ReadAllAndClose(d), "\x05\x00\x05\x07\x00\x01\x00\x00\x00\x00\x00\x00"s);
  std::vector<ConnectionEvent> e = proxy.WaitForEvents(2);
  ASSERT_EQ(e.size(), 2u);
  for (const ConnectionEvent& ev : e) {
    EXPECT_EQ(ev.protocol, "socks5");
    EXPECT_FALSE(ev.allowed);
    EXPECT_THAT(ev.error, HasSubstr("socks5:"));
  }
}

// ---- refusals ----

TEST(Proxy, DeniedNameGets403AndSocksNotAllowed) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}, {"evil.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("evil.test:" + P(echo.port()))));
  std::string reply = ReadAllAndClose(c);
  EXPECT_THAT(reply, StartsWith("HTTP/1.1 403 Forbidden\r\n"));
  EXPECT_THAT(reply, HasSubstr("\r\n\r\ncordon: evil.test:" + P(echo.port()) + " refused: no allow rule matches\n"));
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.protocol, "connect");
  EXPECT_EQ(e.host, "evil.test");
  EXPECT_FALSE(e.allowed);
  EXPECT_EQ(e.rule, "");
  EXPECT_EQ(e.reason, "no allow rule matches");
  EXPECT_EQ(e.address, "");
  EXPECT_EQ(e.bytes_up, 0u);
  EXPECT_EQ(e.bytes_down, 0u);
  EXPECT_EQ(e.error, "");

  UniqueFd s = Dial(proxy.port());
  ASSERT_TRUE(SendAll(s.get(), SocksGreeting() + SocksDomain("evil.test", echo.port())));
  EXPECT_EQ(ReadAllAndClose(s), "\x05\x00\x05\x02\x00\x01\x00\x00\x00\x00\x00\x00"s);
  EXPECT_EQ(proxy.WaitForEvents(2).size(), 2u);
}

TEST(Proxy, DenyRuleWinsAndIsNamed) {
  EchoServer echo;
  const std::string port = P(echo.port());
  ProxyRunner proxy(Rules({"*.example.test:" + port}, {"bad.example.test:" + port},
                          {{"good.example.test", "127.0.0.1"}, {"bad.example.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("BAD.example.test.:" + port)));  // canonical form decides
  EXPECT_THAT(ReadAllAndClose(c), HasSubstr("refused: denied by bad.example.test:" + port));
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.rule, "bad.example.test:" + port);
  EXPECT_FALSE(e.allowed);
  UniqueFd d = Dial(proxy.port());
  ASSERT_TRUE(SendAll(d.get(), Connect("good.example.test:" + port)));
  EXPECT_EQ(ReadExactly(d.get(), std::strlen(kEstablished)), kEstablished);
}

TEST(Proxy, AllowedNameOnTheWrongPort) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  uint16_t other = static_cast<uint16_t>(echo.port() == 65535 ? 1 : echo.port() + 1);
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("upstream.test:" + P(other))));
  EXPECT_THAT(ReadAllAndClose(c), StartsWith("HTTP/1.1 403 "));
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_FALSE(e.allowed);
  EXPECT_EQ(e.port, other);
}

TEST(Proxy, RawIpIsNotAllowedByANameRule) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  for (const std::string& host : {"127.0.0.1"s, "2130706433"s, "0x7f.1"s}) {
    UniqueFd c = Dial(proxy.port());
    ASSERT_TRUE(SendAll(c.get(), Connect(host + ":" + P(echo.port()))));
    EXPECT_THAT(ReadAllAndClose(c), StartsWith("HTTP/1.1 403 ")) << host;
  }
  UniqueFd h = Dial(proxy.port());
  ASSERT_TRUE(SendAll(h.get(), "GET http://127.0.0.1:" + P(echo.port()) + "/ HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_THAT(ReadAllAndClose(h), StartsWith("HTTP/1.1 403 "));
  UniqueFd s = Dial(proxy.port());
  ASSERT_TRUE(SendAll(s.get(), SocksGreeting() + SocksIpv4("127.0.0.1", echo.port())));
  EXPECT_EQ(ReadAllAndClose(s).substr(2, 2), "\x05\x02"s);
  for (const ConnectionEvent& e : proxy.WaitForEvents(5)) EXPECT_FALSE(e.allowed);
}

TEST(Proxy, CloudMetadataAddressIsRefused) {
  ProxyRunner proxy(Rules({"upstream.test:80"}, {}, {{"upstream.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("169.254.169.254:80")));
  EXPECT_THAT(ReadAllAndClose(c), HasSubstr("cordon: 169.254.169.254:80 refused: "));
  UniqueFd h = Dial(proxy.port());
  ASSERT_TRUE(SendAll(h.get(), "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\nHost: x\r\n\r\n"));
  EXPECT_THAT(ReadAllAndClose(h), StartsWith("HTTP/1.1 403 "));
  UniqueFd s = Dial(proxy.port());
  ASSERT_TRUE(SendAll(s.get(), SocksGreeting() + SocksIpv4("169.254.169.254", 80)));
  EXPECT_EQ(ReadAllAndClose(s).substr(2, 2), "\x05\x02"s);
  UniqueFd v6 = Dial(proxy.port());
  ASSERT_TRUE(SendAll(v6.get(), SocksGreeting() + SocksIpv6("fd00:ec2::254", 80)));
  EXPECT_EQ(ReadAllAndClose(v6).substr(2, 2), "\x05\x02"s);
  for (const ConnectionEvent& e : proxy.WaitForEvents(4)) EXPECT_FALSE(e.allowed);
}

// An allowed name whose DNS answer is loopback is refused: only the hosts map or an exact address rule may send
// a request there (DNS rebinding must not reach the host's own services).
TEST(Proxy, AllowedNameResolvingToLoopbackIsRefused) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"localhost:" + P(echo.port())}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("localhost:" + P(echo.port()))));
  std::string reply = ReadAllAndClose(c);
  EXPECT_THAT(reply, StartsWith("HTTP/1.1 403 "));
  EXPECT_THAT(reply, HasSubstr("is loopback"));
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_FALSE(e.allowed);
  EXPECT_THAT(e.reason, HasSubstr("is loopback"));
  EXPECT_THAT(e.address, ::testing::AnyOf("127.0.0.1", "::1"));
}

// ---- failures ----

TEST(Proxy, ConnectionRefusedGets502AndSocks05) {
  const uint16_t closed = ClosedPort();
  ProxyRunner proxy(Rules({"closed.test:" + P(closed)}, {}, {{"closed.test", "127.0.0.1"}}));
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("closed.test:" + P(closed))));
  std::string reply = ReadAllAndClose(c);
  EXPECT_THAT(reply, StartsWith("HTTP/1.1 502 Bad Gateway\r\n"));
  EXPECT_THAT(reply, HasSubstr("Connection refused"));
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_TRUE(e.allowed);
  EXPECT_EQ(e.address, "127.0.0.1");
  EXPECT_THAT(e.error, HasSubstr("Connection refused"));
  UniqueFd s = Dial(proxy.port());
  ASSERT_TRUE(SendAll(s.get(), SocksGreeting() + SocksDomain("closed.test", closed)));
  EXPECT_EQ(ReadAllAndClose(s), "\x05\x00\x05\x05\x00\x01\x00\x00\x00\x00\x00\x00"s);
}

// A listener whose accept queue is full drops further SYNs: the connect hangs until the proxy's timeout.
TEST(Proxy, ConnectTimeoutGets504) {
  uint16_t port;
  UniqueFd full = Listen(AF_INET, &port, 0);
  std::vector<UniqueFd> fillers;
  for (int i = 0; i < 4; ++i) {
    UniqueFd f(socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    connect(f.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a));
    fillers.push_back(std::move(f));
  }
  ProxyOptions o;
  o.connect_timeout_ms = 300;
  ProxyRunner proxy(Rules({"slow.test:" + P(port)}, {}, {{"slow.test", "127.0.0.1"}}), o);
  UniqueFd c = Dial(proxy.port());
  auto t0 = std::chrono::steady_clock::now();
  ASSERT_TRUE(SendAll(c.get(), Connect("slow.test:" + P(port))));
  std::string reply = ReadAllAndClose(c);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_THAT(reply, StartsWith("HTTP/1.1 504 Gateway Timeout\r\n"));
  EXPECT_GE(ms, 250);
  EXPECT_THAT(proxy.OneEvent().error, HasSubstr("timed out"));
}

TEST(Proxy, MalformedRequestsGet400) {
  ProxyRunner proxy(Rules({"upstream.test:443"}));
  for (const std::string& bad : {"GET https://upstream.test/ HTTP/1.1\r\nHost: x\r\n\r\n"s,
                                 "CONNECT upstream.test HTTP/1.1\r\n\r\n"s, "\0\0\0\r\n\r\n"s,
                                 "GET / HTTP/1.1\r\nHost: x\r\n\r\n"s, "CONNECT a:1 HTTP/1.1\r\nX: a\r\n b\r\n\r\n"s}) {
    UniqueFd c = Dial(proxy.port());
    ASSERT_TRUE(SendAll(c.get(), bad));
    EXPECT_THAT(ReadAllAndClose(c), StartsWith("HTTP/1.1 400 Bad Request\r\n")) << bad;
  }
  for (const ConnectionEvent& e : proxy.WaitForEvents(5)) {
    EXPECT_FALSE(e.allowed);
    EXPECT_THAT(e.error, StartsWith("bad request: "));
  }
}

TEST(Proxy, HeaderTooLargeGets431) {
  ProxyRunner proxy(Rules({"upstream.test:443"}));
  UniqueFd c = Dial(proxy.port());
  std::string big = "CONNECT upstream.test:443 HTTP/1.1\r\nX-Big: " + std::string(40000, 'x') + "\r\n\r\n";
  std::thread writer([&] { SendAll(c.get(), big); });  // may fail half way: the proxy stops reading
  EXPECT_THAT(ReadAllAndClose(c), StartsWith("HTTP/1.1 431 "));
  writer.join();
  EXPECT_THAT(proxy.OneEvent().error, HasSubstr("larger than 16384"));
}

TEST(Proxy, HeaderTimeout) {
  ProxyOptions o;
  o.header_timeout_ms = 300;
  ProxyRunner proxy(Rules({"upstream.test:443"}), o);
  UniqueFd partial = Dial(proxy.port());
  UniqueFd silent = Dial(proxy.port());
  ASSERT_TRUE(SendAll(partial.get(), "CONNECT upstream.te"));
  auto t0 = std::chrono::steady_clock::now();
  EXPECT_THAT(ReadAllAndClose(partial), StartsWith("HTTP/1.1 408 Request Timeout\r\n"));
  EXPECT_EQ(ReadAllAndClose(silent), "");
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_LT(ms, 3000);
  std::vector<ConnectionEvent> e = proxy.WaitForEvents(2);
  ASSERT_EQ(e.size(), 2u);
  for (const ConnectionEvent& ev : e) EXPECT_EQ(ev.error, "header timeout");
}

TEST(Proxy, IdleTimeoutClosesATunnel) {
  EchoServer echo;
  ProxyOptions o;
  o.idle_timeout_ms = 300;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}), o);
  UniqueFd c = Dial(proxy.port());
  ASSERT_TRUE(SendAll(c.get(), Connect("upstream.test:" + P(echo.port()))));
  ASSERT_EQ(ReadExactly(c.get(), std::strlen(kEstablished)), kEstablished);
  // Activity keeps it open past the timeout...
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    ASSERT_EQ(EchoThrough(c.get(), "x"), "x");
  }
  // ...silence ends it.
  EXPECT_EQ(ReadAllAndClose(c), "");
  ConnectionEvent e = proxy.OneEvent();
  EXPECT_EQ(e.error, "idle timeout");
  EXPECT_EQ(e.bytes_up, 4u);
  EXPECT_GE(e.duration_ms, 800u);
}

TEST(Proxy, ShutdownReportsOpenConnections) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  UniqueFd tunnel = Dial(proxy.port());
  ASSERT_TRUE(SendAll(tunnel.get(), Connect("upstream.test:" + P(echo.port()))));
  ASSERT_EQ(ReadExactly(tunnel.get(), std::strlen(kEstablished)), kEstablished);
  UniqueFd waiting = Dial(proxy.port());
  ASSERT_TRUE(SendAll(waiting.get(), "CONN"));
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  proxy.Stop();
  std::vector<ConnectionEvent> e = proxy.WaitForEvents(2, 1000);
  ASSERT_EQ(e.size(), 2u);
  for (const ConnectionEvent& ev : e) EXPECT_EQ(ev.error, "proxy shut down");
  EXPECT_EQ(ReadAllAndClose(tunnel), "");
}

TEST(Proxy, ConnectionLimitQueuesTheRest) {
  EchoServer echo;
  ProxyOptions o;
  o.max_connections = 2;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}), o);
  std::vector<UniqueFd> open;
  for (int i = 0; i < 2; ++i) {
    open.push_back(Dial(proxy.port()));
    ASSERT_TRUE(SendAll(open.back().get(), Connect("upstream.test:" + P(echo.port()))));
    ASSERT_EQ(ReadExactly(open.back().get(), std::strlen(kEstablished)), kEstablished);
  }
  UniqueFd third = Dial(proxy.port(), 1);  // sits in the backlog
  ASSERT_TRUE(SendAll(third.get(), Connect("upstream.test:" + P(echo.port()))));
  EXPECT_EQ(ReadExactly(third.get(), 1), "");  // nothing within a second
  open[0].Reset();
  timeval tv{10, 0};
  setsockopt(third.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
  EXPECT_EQ(ReadExactly(third.get(), std::strlen(kEstablished)), kEstablished);
}

// A client that stops reading holds only its own tunnel back (backpressure); the others keep moving.
TEST(Proxy, SlowReaderDoesNotBlockOthers) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  UniqueFd stuck = Dial(proxy.port());
  ASSERT_TRUE(SendAll(stuck.get(), Connect("upstream.test:" + P(echo.port()))));
  ASSERT_EQ(ReadExactly(stuck.get(), std::strlen(kEstablished)), kEstablished);
  // Write until every buffer on the way is full: the client's, the proxy's pipes, the echo server's.
  int flags = fcntl(stuck.get(), F_GETFL);
  fcntl(stuck.get(), F_SETFL, flags | O_NONBLOCK);
  const std::string chunk(1 << 16, 'z');
  size_t sent = 0;
  for (int idle = 0; idle < 20;) {
    ssize_t n = send(stuck.get(), chunk.data(), chunk.size(), MSG_NOSIGNAL);
    if (n > 0) {
      sent += static_cast<size_t>(n);
      idle = 0;
    } else {
      ++idle;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  EXPECT_GT(sent, 0u);
  UniqueFd other = Dial(proxy.port());
  ASSERT_TRUE(SendAll(other.get(), Connect("upstream.test:" + P(echo.port()))));
  ASSERT_EQ(ReadExactly(other.get(), std::strlen(kEstablished)), kEstablished);
  EXPECT_EQ(EchoThrough(other.get(), "still moving"), "still moving");
}

// A client that resets its connection while the upstream is still sending: the proxy's splice into the dead
// socket fails, the process lives on (a write to a reset socket can raise SIGPIPE), and the event says what broke.
TEST(Proxy, ClientResetMidTransferIsRecorded) {
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  for (int i = 0; i < 5; ++i) {
    UniqueFd c = Dial(proxy.port());
    ASSERT_TRUE(SendAll(c.get(), Connect("upstream.test:" + P(echo.port()))));
    ASSERT_EQ(ReadExactly(c.get(), std::strlen(kEstablished)), kEstablished);
    ASSERT_TRUE(SendAll(c.get(), RandomBytes(1 << 20, 3)));
    linger l{1, 0};  // close with a reset
    setsockopt(c.get(), SOL_SOCKET, SO_LINGER, &l, sizeof(l));
  }
  std::vector<ConnectionEvent> e = proxy.WaitForEvents(5);
  ASSERT_EQ(e.size(), 5u);
  for (const ConnectionEvent& ev : e) {
    EXPECT_TRUE(ev.allowed);
    EXPECT_THAT(ev.error, StartsWith("client: "));
  }
}

// ---- scale ----

TEST(Proxy, ThousandConcurrentTunnels) {
  constexpr int kTunnels = 1000;
  auto limit = RaiseOpenFileLimit();
  ASSERT_TRUE(limit.ok()) << limit.error().ToString();
  // Per tunnel: the test's client, the echo server's end, and up to 6 in the proxy.
  if (*limit < kTunnels * 8 + 100) GTEST_SKIP() << "RLIMIT_NOFILE hard limit " << *limit << " is too low";
  EchoServer echo;
  ProxyRunner proxy(Rules({"upstream.test:" + P(echo.port())}, {}, {{"upstream.test", "127.0.0.1"}}));
  std::vector<UniqueFd> clients;
  clients.reserve(kTunnels);
  for (int i = 0; i < kTunnels; ++i) {
    clients.push_back(Dial(proxy.port()));
    ASSERT_TRUE(clients.back().valid()) << i;
    ASSERT_TRUE(SendAll(clients.back().get(), Connect("upstream.test:" + P(echo.port()))));
  }
  for (int i = 0; i < kTunnels; ++i) {
    ASSERT_EQ(ReadExactly(clients[i].get(), std::strlen(kEstablished)), kEstablished) << i;
  }
  // Every tunnel is open at once now; each carries its own bytes.
  for (int i = 0; i < kTunnels; ++i) ASSERT_TRUE(SendAll(clients[i].get(), "tunnel " + std::to_string(i) + ";"));
  for (int i = 0; i < kTunnels; ++i) {
    std::string want = "tunnel " + std::to_string(i) + ";";
    ASSERT_EQ(ReadExactly(clients[i].get(), want.size()), want) << i;
  }
  for (UniqueFd& c : clients) shutdown(c.get(), SHUT_WR);
  for (UniqueFd& c : clients) EXPECT_EQ(ReadAllAndClose(c), "");
  std::vector<ConnectionEvent> e = proxy.WaitForEvents(kTunnels, 30000);
  ASSERT_EQ(e.size(), static_cast<size_t>(kTunnels));
  uint64_t up = 0, down = 0;
  for (const ConnectionEvent& ev : e) {
    EXPECT_EQ(ev.error, "");
    EXPECT_TRUE(ev.allowed);
    up += ev.bytes_up;
    down += ev.bytes_down;
  }
  uint64_t want = 0;
  for (int i = 0; i < kTunnels; ++i) want += ("tunnel " + std::to_string(i) + ";").size();
  EXPECT_EQ(up, want);
  EXPECT_EQ(down, want);
}

// ---- resolver ----

TEST(Resolver, AnswersThroughItsEventFd) {
  auto r = Resolver::Create(2, 4);
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  Resolver& res = **r;
  ASSERT_TRUE(res.Submit(7, "localhost").ok());
  pollfd p{res.fd(), POLLIN, 0};
  ASSERT_EQ(poll(&p, 1, 10000), 1);
  std::vector<Resolver::Answer> answers = res.TakeAnswers();
  ASSERT_EQ(answers.size(), 1u);
  EXPECT_EQ(answers[0].id, 7u);
  ASSERT_FALSE(answers[0].addresses.empty()) << answers[0].error;
  bool loopback = false;
  for (const policy::IpAddress& a : answers[0].addresses) loopback |= policy::NonPublicRange(a) == "loopback";
  EXPECT_TRUE(loopback);
  EXPECT_EQ(poll(&p, 1, 0), 0);  // taken: no longer readable
}

TEST(Resolver, CancelledRequestsAreNeverAnswered) {
  auto r = Resolver::Create(1, 100);
  ASSERT_TRUE(r.ok());
  Resolver& res = **r;
  for (uint64_t id = 1; id <= 20; ++id) ASSERT_TRUE(res.Submit(id, "localhost").ok());
  for (uint64_t id = 1; id <= 20; id += 2) res.Cancel(id);
  std::vector<Resolver::Answer> all;
  for (int i = 0; i < 200 && all.size() < 10; ++i) {
    pollfd p{res.fd(), POLLIN, 0};
    poll(&p, 1, 50);
    for (auto& a : res.TakeAnswers()) all.push_back(std::move(a));
  }
  ASSERT_EQ(all.size(), 10u);
  for (const auto& a : all) EXPECT_EQ(a.id % 2, 0u);
}

TEST(Resolver, QueueIsBounded) {
  auto r = Resolver::Create(1, 2);
  ASSERT_TRUE(r.ok());
  int refused = 0;
  for (uint64_t id = 1; id <= 10; ++id) refused += (*r)->Submit(id, "localhost").ok() ? 0 : 1;
  EXPECT_GT(refused, 0);
}

TEST(Resolver, LiteralsAndTheHostsMapSkipDns) {
  policy::NetRules rules = Rules({}, {}, {{"mirror.test", "10.9.8.7"}});
  auto a = ImmediateAddresses(rules, "MIRROR.test.");
  ASSERT_TRUE(a.has_value());
  ASSERT_EQ(a->size(), 1u);
  EXPECT_EQ((*a)[0], *policy::ParseIpLiteral("10.9.8.7"));
  a = ImmediateAddresses(rules, "0x7f.1");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ((*a)[0], *policy::ParseIpLiteral("127.0.0.1"));
  a = ImmediateAddresses(rules, "::ffff:10.0.0.1");
  ASSERT_TRUE(a.has_value());
  EXPECT_FALSE((*a)[0].v6);
  EXPECT_FALSE(ImmediateAddresses(rules, "other.test").has_value());
}

}  // namespace
}  // namespace cordon::net
