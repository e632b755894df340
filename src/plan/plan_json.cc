// LaunchPlan as JSON (nlohmann-json), for `policy show --json` and `run --dry-run --json`: what an
// embedding agent reads to know what its commands may touch. Never contains environment values.
#include <nlohmann/json.hpp>

#include "plan/launch_plan.h"

namespace cordon::plan {
namespace {

nlohmann::ordered_json PatternsJson(const std::vector<policy::EndpointPattern>& patterns) {
  nlohmann::ordered_json out = nlohmann::ordered_json::array();
  for (const policy::EndpointPattern& p : patterns) out.push_back({{"pattern", p.text}, {"origin", p.origin.ToString()}});
  return out;
}

nlohmann::ordered_json NetworkJson(const policy::Network& net) {
  nlohmann::ordered_json hosts = nlohmann::ordered_json::object();
  for (const auto& [name, addr] : net.hosts) hosts[name] = addr.ToString();
  return {{"mode", policy::NetworkModeName(net.mode)},
          {"allow", PatternsJson(net.allow)},
          {"deny", PatternsJson(net.deny)},
          {"hosts", hosts}};
}

}  // namespace

std::string ToJson(const LaunchPlan& plan) {
  nlohmann::ordered_json j;
  j["schema"] = 1;
  j["profile"] = plan.profile;
  j["sandboxed"] = !plan.unrestricted;
  j["workspace"] = plan.workspace;
  j["home"] = plan.home;
  j["cwd"] = plan.cwd;
  j["network"] = NetworkJson(plan.network);
  if (plan.proxy_port != 0) j["network"]["proxy_port"] = plan.proxy_port;
  nlohmann::ordered_json fs = nlohmann::ordered_json::array();
  for (const policy::PathRule& r : plan.fs) {
    fs.push_back({{"path", r.path}, {"access", policy::AccessName(r.access)}, {"origin", r.origin.ToString()}});
  }
  j["filesystem"] = fs;
  j["unix_sockets"] = plan.unix_sockets;
  j["hide_env_files"] = !plan.hidden_env_roots.empty();
  j["limits"] = {{"processes", plan.limits.processes},
                 {"memory_bytes", plan.limits.memory_bytes},
                 {"file_size_bytes", plan.limits.file_size_bytes},
                 {"open_files", plan.limits.open_files},
                 {"tmp_size_bytes", plan.limits.tmp_size_bytes},
                 {"timeout_seconds", plan.limits.timeout_seconds},
                 {"cpus", plan.limits.cpus}};
  std::vector<std::string> names;
  for (const std::string& e : plan.env) names.push_back(e.substr(0, e.find('=')));
  j["environment"] = names;
  j["environment_dropped"] = plan.dropped_env;
  j["best_effort"] = plan.best_effort;
  return j.dump(2) + "\n";
}

}  // namespace cordon::plan
