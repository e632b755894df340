#include "linux/egress.h"

#include <sys/socket.h>

#include "linux/network.h"

namespace cordon::linux_backend {
namespace {

nlohmann::json EventFields(const net::ConnectionEvent& e) {
  nlohmann::json j = {{"protocol", e.protocol}, {"client", e.client},       {"host", e.host},
                      {"port", e.port},         {"address", e.address},     {"decision", e.allowed ? "allow" : "deny"},
                      {"rule", e.rule},         {"reason", e.reason},       {"bytes_up", e.bytes_up},
                      {"bytes_down", e.bytes_down}, {"duration_ms", e.duration_ms}};
  if (!e.error.empty()) j["error"] = e.error;
  return j;
}

}  // namespace

Result<void> Egress::Prepare(const plan::LaunchPlan& plan) {
  plan_ = &plan;
  if (plan.network.mode != policy::NetworkMode::kAllowlist) return {};
  int fds[2];
  if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fds) != 0) return ErrnoError("socketpair for the proxy");
  parent_end_.Reset(fds[0]);
  child_end_.Reset(fds[1]);
  return {};
}

Result<void> Egress::Start(audit::EventSink& events, std::function<std::string(const std::string&)> scrub) {
  if (!parent_end_.valid()) return {};
  CORDON_ASSIGN_OR_RETURN(UniqueFd listener, network::ReceiveListener(parent_end_.get()));
  parent_end_.Reset();
  if (auto r = net::RaiseOpenFileLimit(); !r.ok()) return std::move(r).error().With("starting the proxy");
  auto on_event = [&events, scrub = std::move(scrub)](const net::ConnectionEvent& e) {
    nlohmann::json fields = EventFields(e);
    for (const char* key : {"host", "reason", "error"}) {
      if (scrub && fields.contains(key) && !fields[key].get<std::string>().empty()) {
        fields[key] = scrub(fields[key].get<std::string>());
      }
    }
    events.Emit("net.connection", fields);
  };
  auto proxy = net::Proxy::Create(std::move(listener), plan_->network.Rules(), net::ProxyOptions{}, on_event);
  if (!proxy.ok()) return std::move(proxy).error().With("starting the proxy");
  proxy_ = std::move(*proxy);
  return {};
}

}  // namespace cordon::linux_backend
