// Proxy benchmark: in one process and one run, over loopback,
//   - a download of --bytes (default 1 GiB) from an origin server
//   - --conns (default 200) sequential new connections, each a tiny request and response
// five ways: direct, through a minimal relay written here (plain read/write between two sockets, no policy: the
// ceiling on this machine), and through cordon's proxy by CONNECT, plain HTTP forwarding and SOCKS5. Prints
// throughput, ratios, the proxy thread's CPU time per GiB and the time added per new connection.
//
//   proxy_bench [--bytes N] [--conns N] [--runs N] [--copy]
//
// Client, origin, relay and proxy are threads of this process, so on a 2-core machine they share two cores, as
// they would in real use (the agent's tool, the proxy, and the kernel's loopback). Not a timed test: numbers
// vary with the machine; docs/PERFORMANCE.md records them.
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include "net/proxy.h"

namespace {

using cordon::UniqueFd;

double Now() {
  timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

double ThreadCpu(pthread_t t) {
  clockid_t id;
  if (pthread_getcpuclockid(t, &id) != 0) return 0;
  timespec ts;
  clock_gettime(id, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

UniqueFd Listen(uint16_t* port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(a);
  if (bind(fd.get(), reinterpret_cast<sockaddr*>(&a), len) != 0 || listen(fd.get(), 1024) != 0) {
    std::perror("listen");
    std::exit(2);
  }
  getsockname(fd.get(), reinterpret_cast<sockaddr*>(&a), &len);
  *port = ntohs(a.sin_port);
  return fd;
}

UniqueFd Dial(uint16_t port) {
  UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (connect(fd.get(), reinterpret_cast<sockaddr*>(&a), sizeof(a)) != 0) {
    std::perror("connect");
    std::exit(2);
  }
  return fd;
}

bool SendAll(int fd, const char* p, size_t n) {
  while (n > 0) {
    ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
    if (w <= 0) return false;
    p += w;
    n -= static_cast<size_t>(w);
  }
  return true;
}
bool SendAll(int fd, const std::string& s) { return SendAll(fd, s.data(), s.size()); }

bool ReadExactly(int fd, char* p, size_t n) {
  while (n > 0) {
    ssize_t r = recv(fd, p, n, 0);
    if (r <= 0) return false;
    p += r;
    n -= static_cast<size_t>(r);
  }
  return true;
}

// Reads a request head (the client sends nothing after it, so a chunked read cannot take more than the head).
std::string ReadRequestHead(int fd) {
  std::string h;
  char buf[4096];
  while (h.find("\r\n\r\n") == std::string::npos) {
    ssize_t r = recv(fd, buf, sizeof(buf), 0);
    if (r <= 0) break;
    h.append(buf, static_cast<size_t>(r));
  }
  return h;
}

// Reads a response to EOF; returns the body bytes, or -1 when it is not a 200.
int64_t ReadResponse(int fd, std::vector<char>& buf) {
  std::string head;
  bool in_body = false;
  int64_t body = 0;
  while (true) {
    ssize_t r = recv(fd, buf.data(), buf.size(), 0);
    if (r <= 0) break;
    if (in_body) {
      body += r;
      continue;
    }
    head.append(buf.data(), static_cast<size_t>(r));
    size_t end = head.find("\r\n\r\n");
    if (end == std::string::npos) continue;
    if (head.rfind("HTTP/1.1 200", 0) != 0) return -1;
    in_body = true;
    body = static_cast<int64_t>(head.size() - end - 4);
  }
  return in_body ? body : -1;
}

// Origin: for each connection, reads a request head "GET /BYTES ..." and answers with BYTES bytes of body.
class Origin {
 public:
  Origin() {
    listener_ = Listen(&port_);
    stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC));
    thread_ = std::thread([this] { Loop(); });
  }
  ~Origin() {
    uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof(one));
    thread_.join();
  }
  uint16_t port() const { return port_; }

 private:
  void Loop() {
    std::vector<char> chunk(1 << 20, 'x');
    while (true) {
      pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
      poll(fds, 2, -1);
      if (fds[1].revents != 0) return;
      UniqueFd c(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!c.valid()) continue;
      const int one = 1;
      setsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      std::string head = ReadRequestHead(c.get());
      size_t at = head.find('/');
      uint64_t n = at == std::string::npos ? 0 : std::strtoull(head.c_str() + at + 1, nullptr, 10);
      std::string reply = "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(n) + "\r\nConnection: close\r\n\r\n";
      if (!SendAll(c.get(), reply)) continue;
      while (n > 0) {
        size_t k = static_cast<size_t>(std::min<uint64_t>(n, chunk.size()));
        if (!SendAll(c.get(), chunk.data(), k)) break;
        n -= k;
      }
      shutdown(c.get(), SHUT_WR);
      char sink[256];
      while (recv(c.get(), sink, sizeof(sink), 0) > 0) {
      }
    }
  }
  uint16_t port_ = 0;
  UniqueFd listener_, stop_;
  std::thread thread_;
};

// The bare relay: one connection at a time, poll + read/write 64 KiB, half-close passed on. No parsing.
class BareRelay {
 public:
  explicit BareRelay(uint16_t origin_port) : origin_port_(origin_port) {
    listener_ = Listen(&port_);
    stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC));
    thread_ = std::thread([this] { Loop(); });
  }
  ~BareRelay() {
    uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof(one));
    thread_.join();
  }
  uint16_t port() const { return port_; }
  pthread_t thread() { return thread_.native_handle(); }

 private:
  void Loop() {
    std::vector<char> buf(1 << 16);
    while (true) {
      pollfd fds[2] = {{listener_.get(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
      poll(fds, 2, -1);
      if (fds[1].revents != 0) return;
      UniqueFd a(accept4(listener_.get(), nullptr, nullptr, SOCK_CLOEXEC));
      if (!a.valid()) continue;
      UniqueFd b = Dial(origin_port_);
      const int one = 1;
      setsockopt(a.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      setsockopt(b.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
      bool open[2] = {true, true};  // a→b, b→a
      while (open[0] || open[1]) {
        pollfd p[2] = {{a.get(), static_cast<short>(open[0] ? POLLIN : 0), 0},
                       {b.get(), static_cast<short>(open[1] ? POLLIN : 0), 0}};
        poll(p, 2, -1);
        for (int i = 0; i < 2; ++i) {
          if (!open[i] || p[i].revents == 0) continue;
          int from = i == 0 ? a.get() : b.get();
          int to = i == 0 ? b.get() : a.get();
          ssize_t r = read(from, buf.data(), buf.size());
          if (r <= 0 || !SendAll(to, buf.data(), static_cast<size_t>(r))) {
            shutdown(to, SHUT_WR);
            open[i] = false;
          }
        }
      }
    }
  }
  uint16_t origin_port_;
  uint16_t port_ = 0;
  UniqueFd listener_, stop_;
  std::thread thread_;
};

class ProxyThread {
 public:
  ProxyThread(uint16_t origin_port, bool splice) {
    UniqueFd listener = Listen(&port_);
    std::vector<cordon::policy::EndpointPattern> allow;
    allow.push_back(*cordon::policy::ParseEndpointPattern("origin.test:" + std::to_string(origin_port)));
    std::map<std::string, cordon::policy::IpAddress> hosts{{"origin.test", *cordon::policy::ParseIpLiteral("127.0.0.1")}};
    cordon::net::ProxyOptions options;
    options.splice = splice;
    auto p = cordon::net::Proxy::Create(std::move(listener), cordon::policy::NetRules(std::move(allow), {}, hosts),
                                        options, [this](const cordon::net::ConnectionEvent& e) {
                                          if (!e.error.empty()) errors_.fetch_add(1);
                                        });
    if (!p.ok()) {
      std::fprintf(stderr, "proxy: %s\n", p.error().ToString().c_str());
      std::exit(2);
    }
    proxy_ = std::move(*p);
    stop_ = UniqueFd(eventfd(0, EFD_CLOEXEC));
    thread_ = std::thread([this] {
      while (true) {
        pollfd fds[2] = {{proxy_->fd(), POLLIN, 0}, {stop_.get(), POLLIN, 0}};
        poll(fds, 2, -1);
        if (fds[1].revents != 0) return proxy_->Shutdown();
        proxy_->Dispatch();
      }
    });
  }
  ~ProxyThread() {
    uint64_t one = 1;
    (void)!write(stop_.get(), &one, sizeof(one));
    thread_.join();
  }
  uint16_t port() const { return port_; }
  pthread_t thread() { return thread_.native_handle(); }
  int errors() const { return errors_.load(); }

 private:
  uint16_t port_ = 0;
  std::unique_ptr<cordon::net::Proxy> proxy_;
  UniqueFd stop_;
  std::thread thread_;
  std::atomic<int> errors_{0};
};

enum class Mode { kDirect, kRelay, kConnect, kHttp, kSocks5 };
const char* Name(Mode m) {
  switch (m) {
    case Mode::kDirect:
      return "direct";
    case Mode::kRelay:
      return "bare relay";
    case Mode::kConnect:
      return "cordon CONNECT";
    case Mode::kHttp:
      return "cordon HTTP";
    case Mode::kSocks5:
      return "cordon SOCKS5";
  }
  return "?";
}

struct Ports {
  uint16_t origin, relay, proxy;
};

// One request for `bytes` of body through `mode`; returns the body bytes received (0 on failure).
uint64_t Fetch(Mode mode, const Ports& ports, uint64_t bytes, std::vector<char>& buf) {
  const std::string path = "/" + std::to_string(bytes);
  const std::string origin = "origin.test:" + std::to_string(ports.origin);
  UniqueFd c;
  std::string request = "GET " + path + " HTTP/1.1\r\nHost: " + origin + "\r\n\r\n";
  switch (mode) {
    case Mode::kDirect:
      c = Dial(ports.origin);
      break;
    case Mode::kRelay:
      c = Dial(ports.relay);
      break;
    case Mode::kConnect: {
      c = Dial(ports.proxy);
      SendAll(c.get(), "CONNECT " + origin + " HTTP/1.1\r\nHost: " + origin + "\r\n\r\n");
      const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
      std::string reply(ok.size(), '\0');
      if (!ReadExactly(c.get(), reply.data(), reply.size()) || reply != ok) return 0;
      break;
    }
    case Mode::kHttp:
      c = Dial(ports.proxy);
      request = "GET http://" + origin + path + " HTTP/1.1\r\nHost: " + origin + "\r\n\r\n";
      break;
    case Mode::kSocks5: {
      c = Dial(ports.proxy);
      std::string hello("\x05\x01\x00\x05\x01\x00\x03", 7);  // greeting and request in one write
      hello.push_back(static_cast<char>(std::strlen("origin.test")));
      hello += "origin.test";
      hello.push_back(static_cast<char>(ports.origin >> 8));
      hello.push_back(static_cast<char>(ports.origin & 0xff));
      SendAll(c.get(), hello);
      char reply[12];
      if (!ReadExactly(c.get(), reply, sizeof(reply)) || reply[3] != 0) return 0;
      break;
    }
  }
  const int one = 1;
  setsockopt(c.get(), IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
  SendAll(c.get(), request);
  int64_t got = ReadResponse(c.get(), buf);
  return got < 0 ? 0 : static_cast<uint64_t>(got);
}

struct Args {
  uint64_t bytes = 1ull << 30;
  int conns = 200;
  int runs = 3;
  bool splice = true;
};

}  // namespace

int main(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--bytes" && i + 1 < argc) {
      args.bytes = std::strtoull(argv[++i], nullptr, 10);
    } else if (a == "--conns" && i + 1 < argc) {
      args.conns = std::atoi(argv[++i]);
    } else if (a == "--runs" && i + 1 < argc) {
      args.runs = std::max(1, std::atoi(argv[++i]));
    } else if (a == "--copy") {
      args.splice = false;
    } else {
      std::fprintf(stderr, "usage: %s [--bytes N] [--conns N] [--runs N] [--copy]\n", argv[0]);
      return 2;
    }
  }
  Origin origin;
  BareRelay relay(origin.port());
  ProxyThread proxy(origin.port(), args.splice);
  Ports ports{origin.port(), relay.port(), proxy.port()};
  std::vector<char> buf(1 << 18);
  const Mode modes[] = {Mode::kDirect, Mode::kRelay, Mode::kConnect, Mode::kHttp, Mode::kSocks5};

  std::printf("download: %.0f MiB, best of %d; %d sequential connections, median of %d; cordon copies by %s\n",
              static_cast<double>(args.bytes) / (1 << 20), args.runs, args.conns, args.runs,
              args.splice ? "splice" : "read/write");
  std::map<Mode, double> mibps, cpu_per_gib, setup_us;
  for (Mode m : modes) {
    double best = 0, cpu_best = 0;
    for (int r = 0; r < args.runs; ++r) {
      pthread_t worker = m == Mode::kRelay ? relay.thread() : proxy.thread();
      double cpu0 = ThreadCpu(worker);
      double t0 = Now();
      uint64_t got = Fetch(m, ports, args.bytes, buf);
      double t = Now() - t0;
      double cpu = ThreadCpu(worker) - cpu0;
      if (got != args.bytes) {
        std::fprintf(stderr, "%s: received %llu of %llu bytes\n", Name(m), static_cast<unsigned long long>(got),
                     static_cast<unsigned long long>(args.bytes));
        return 1;
      }
      double rate = static_cast<double>(got) / (1 << 20) / t;
      if (rate > best) {
        best = rate;
        cpu_best = cpu / (static_cast<double>(got) / (1 << 30));
      }
    }
    mibps[m] = best;
    cpu_per_gib[m] = m == Mode::kDirect ? 0 : cpu_best;
  }
  for (Mode m : modes) {
    std::vector<double> medians;
    for (int r = 0; r < args.runs; ++r) {
      std::vector<double> each;
      for (int i = 0; i < args.conns; ++i) {
        double t0 = Now();
        if (Fetch(m, ports, 16, buf) != 16) {
          std::fprintf(stderr, "%s: connection %d failed\n", Name(m), i);
          return 1;
        }
        each.push_back(Now() - t0);
      }
      std::sort(each.begin(), each.end());
      medians.push_back(each[each.size() / 2]);
    }
    std::sort(medians.begin(), medians.end());
    setup_us[m] = medians[medians.size() / 2] * 1e6;
  }

  std::printf("\n%-16s %10s %10s %10s %14s %14s %12s\n", "path", "MiB/s", "/direct", "/relay", "worker CPU s/GiB",
              "conn+req µs", "added µs");
  for (Mode m : modes) {
    std::printf("%-16s %10.0f %10.2f %10.2f %14.2f %14.0f %12.0f\n", Name(m), mibps[m], mibps[m] / mibps[Mode::kDirect],
                mibps[m] / mibps[Mode::kRelay], cpu_per_gib[m], setup_us[m], setup_us[m] - setup_us[Mode::kDirect]);
  }
  const double relay_rate = mibps[Mode::kRelay];
  std::printf("\ntargets (issue 3): CONNECT/SOCKS5 >= 0.80 x relay: %.2f / %.2f; HTTP >= 0.50 x relay: %.2f; "
              "<= 0.5 CPU-s/GiB: %.2f; <= 150 µs added per connection: %.0f\n",
              mibps[Mode::kConnect] / relay_rate, mibps[Mode::kSocks5] / relay_rate, mibps[Mode::kHttp] / relay_rate,
              std::max({cpu_per_gib[Mode::kConnect], cpu_per_gib[Mode::kHttp], cpu_per_gib[Mode::kSocks5]}),
              std::max({setup_us[Mode::kConnect], setup_us[Mode::kHttp], setup_us[Mode::kSocks5]}) -
                  setup_us[Mode::kDirect]);
  if (proxy.errors() != 0) std::printf("proxy reported %d connections with errors\n", proxy.errors());
  return 0;
}
