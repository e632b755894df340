// Name resolution that fits an epoll loop: a few worker threads call getaddrinfo (which blocks) and hand the
// answers back through an eventfd the loop watches. The loop thread submits, cancels and collects; the
// workers touch nothing but the queue. Answers for a cancelled request are never returned, so a connection that
// closed before its answer arrived cannot be handed someone else's addresses.
//
// Not protected against: a resolver that answers slowly. getaddrinfo cannot be interrupted, so a worker stays
// busy until the system resolver's own timeout (resolv.conf), and destruction waits for the ones in flight.
// Callers bound the wait on their side (the proxy's connect timeout covers resolution).
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_set>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"
#include "policy/net_rules.h"

namespace cordon::net {

// The addresses a request can be answered with before any DNS: an IP literal is its own answer, and a name in
// the policy's hosts map gets the static address. nullopt: ask the resolver. `host` is what the client sent.
std::optional<std::vector<policy::IpAddress>> ImmediateAddresses(const policy::NetRules& rules,
                                                                 std::string_view host);

class Resolver {
 public:
  struct Answer {
    uint64_t id = 0;
    std::vector<policy::IpAddress> addresses;  // in getaddrinfo's order, without duplicates
    std::string error;                         // gai_strerror text when there are no addresses
  };

  // threads: 1..16 workers; max_queue: requests waiting for a worker before Submit refuses more.
  static Result<std::unique_ptr<Resolver>> Create(int threads = 4, size_t max_queue = 1024);
  ~Resolver();  // stops the workers and waits for the lookups in flight
  Resolver(const Resolver&) = delete;
  Resolver& operator=(const Resolver&) = delete;

  // Readable (EPOLLIN) when answers wait; TakeAnswers clears it.
  int fd() const { return event_fd_.get(); }
  // Queues a lookup of `name` (AF_UNSPEC, SOCK_STREAM). Fails when the queue is full. One request per id.
  Status Submit(uint64_t id, std::string name);
  // Forgets the request: a queued one is dropped, an answer for one in flight is discarded.
  void Cancel(uint64_t id);
  std::vector<Answer> TakeAnswers();

 private:
  explicit Resolver(size_t max_queue);
  void Work();

  struct Request {
    uint64_t id;
    std::string name;
  };

  size_t max_queue_;
  UniqueFd event_fd_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_ = false;
  std::deque<Request> queue_;
  std::unordered_set<uint64_t> in_flight_, cancelled_;
  std::vector<Answer> answers_;
  std::vector<std::thread> workers_;
};

}  // namespace cordon::net
