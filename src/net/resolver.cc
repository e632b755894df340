#include "net/resolver.h"

#include <netdb.h>
#include <sys/eventfd.h>

#include <algorithm>

#include "net/address.h"

namespace cordon::net {

std::optional<std::vector<policy::IpAddress>> ImmediateAddresses(const policy::NetRules& rules,
                                                                 std::string_view host) {
  if (std::optional<policy::IpAddress> literal = policy::ParseIpLiteral(host)) {
    return std::vector<policy::IpAddress>{*literal};
  }
  std::optional<std::string> canonical = policy::CanonicalHostName(host);
  if (!canonical) return std::nullopt;
  if (std::optional<policy::IpAddress> fixed = rules.StaticAddress(*canonical)) {
    return std::vector<policy::IpAddress>{*fixed};
  }
  return std::nullopt;
}

Resolver::Resolver(size_t max_queue) : max_queue_(max_queue) {}

Result<std::unique_ptr<Resolver>> Resolver::Create(int threads, size_t max_queue) {
  if (threads < 1 || threads > 16) return MakeError("resolver: threads must be 1..16");
  std::unique_ptr<Resolver> r(new Resolver(max_queue));
  r->event_fd_ = UniqueFd(eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC));
  if (!r->event_fd_.valid()) return ErrnoError("eventfd");
  for (int i = 0; i < threads; ++i) r->workers_.emplace_back([p = r.get()] { p->Work(); });
  return r;
}

Resolver::~Resolver() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
  }
  cv_.notify_all();
  for (std::thread& t : workers_) t.join();
}

Status Resolver::Submit(uint64_t id, std::string name) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (queue_.size() >= max_queue_) return MakeError("resolver queue full");
    queue_.push_back(Request{id, std::move(name)});
  }
  cv_.notify_one();
  return {};
}

void Resolver::Cancel(uint64_t id) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = std::find_if(queue_.begin(), queue_.end(), [id](const Request& r) { return r.id == id; });
  if (it != queue_.end()) {
    queue_.erase(it);
    return;
  }
  if (in_flight_.count(id) != 0) cancelled_.insert(id);
  // An answer already waiting is dropped too.
  std::erase_if(answers_, [id](const Answer& a) { return a.id == id; });
}

std::vector<Resolver::Answer> Resolver::TakeAnswers() {
  uint64_t count;
  (void)!read(event_fd_.get(), &count, sizeof(count));  // EAGAIN: nothing signalled since the last take
  std::lock_guard<std::mutex> lock(mu_);
  return std::exchange(answers_, {});
}

void Resolver::Work() {
  while (true) {
    Request req;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      req = std::move(queue_.front());
      queue_.pop_front();
      in_flight_.insert(req.id);
    }
    Answer answer{req.id, {}, {}};
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    addrinfo* list = nullptr;
    int rc = getaddrinfo(req.name.c_str(), nullptr, &hints, &list);
    if (rc != 0) {
      answer.error = gai_strerror(rc);
    } else {
      for (addrinfo* ai = list; ai != nullptr; ai = ai->ai_next) {
        std::optional<policy::IpAddress> a = FromSockaddr(ai->ai_addr);
        if (a && std::find(answer.addresses.begin(), answer.addresses.end(), *a) == answer.addresses.end()) {
          answer.addresses.push_back(*a);
        }
      }
      freeaddrinfo(list);
      if (answer.addresses.empty()) answer.error = "no IP address";
    }
    {
      std::lock_guard<std::mutex> lock(mu_);
      in_flight_.erase(req.id);
      if (cancelled_.erase(req.id) != 0) continue;
      answers_.push_back(std::move(answer));
    }
    uint64_t one = 1;
    (void)!write(event_fd_.get(), &one, sizeof(one));
  }
}

}  // namespace cordon::net
