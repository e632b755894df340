// The sandbox's way out in allowlist mode: init hands cordon the socket it listens on (127.0.0.1:PORT inside
// the sandbox's network namespace, see network.h), and cordon's proxy (net/proxy.h) accepts on it from
// outside, decides each request by the policy's rules and connects on the sandbox's behalf. Every attempt is
// an event. In modes none and full there is no proxy and this does nothing.
#pragma once

#include <functional>
#include <memory>

#include "audit/event_log.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "net/proxy.h"
#include "plan/launch_plan.h"

namespace cordon::linux_backend {

class Egress {
 public:
  // Before clone: the channel the listener comes through.
  Result<void> Prepare(const plan::LaunchPlan& plan);
  int child_end() const { return child_end_.get(); }
  int parent_end() const { return parent_end_.get(); }
  // After clone, in the parent.
  void CloseChildEnd() { child_end_.Reset(); }
  // Receives the listener and starts the proxy. An error means the sandbox did not hand it over. `scrub` is
  // applied to what the command chose in each connection event (host, reason, error) before it is emitted.
  Result<void> Start(audit::EventSink& events, std::function<std::string(const std::string&)> scrub);

  int fd() const { return proxy_ ? proxy_->fd() : -1; }  // poll for POLLIN, then Dispatch()
  void Dispatch() {
    if (proxy_) proxy_->Dispatch();
  }
  void Shutdown() {
    if (proxy_) proxy_->Shutdown();
  }

 private:
  const plan::LaunchPlan* plan_ = nullptr;
  UniqueFd child_end_, parent_end_;
  std::unique_ptr<net::Proxy> proxy_;
};

}  // namespace cordon::linux_backend
