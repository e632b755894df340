#include "winplan/setup_record.h"

#include <nlohmann/json.hpp>

namespace cordon::winplan {

std::string SetupRecordToJson(const SetupRecord& r) {
  nlohmann::json j = {{"version", 1},
                      {"account", r.account},
                      {"account_sid", r.account_sid},
                      {"account_created", r.account_created},
                      {"password_file", r.password_file},
                      {"proxy_first", r.proxy_first},
                      {"proxy_count", r.proxy_count},
                      {"firewall_rules", r.firewall_rules},
                      {"wfp_sublayer", r.wfp_sublayer},
                      {"wfp_filters", r.wfp_filters}};
  return j.dump(1) + "\n";
}

Result<SetupRecord> SetupRecordFromJson(std::string_view text) {
  nlohmann::json j = nlohmann::json::parse(text, nullptr, false);
  if (!j.is_object() || j.value("version", 0) != 1) return MakeError("not a cordon setup record (version 1)");
  SetupRecord r;
  try {
    r.account = j.value("account", "");
    r.account_sid = j.value("account_sid", "");
    r.account_created = j.value("account_created", false);
    r.password_file = j.value("password_file", "");
    r.proxy_first = j.value("proxy_first", kProxyFirstPort);
    r.proxy_count = j.value("proxy_count", kProxyPortCount);
    r.firewall_rules = j.value("firewall_rules", std::vector<std::string>{});
    r.wfp_sublayer = j.value("wfp_sublayer", "");
    r.wfp_filters = j.value("wfp_filters", std::vector<std::string>{});
  } catch (const nlohmann::json::exception& e) {
    return MakeError(std::string("malformed cordon setup record: ") + e.what());
  }
  return r;
}

std::vector<FirewallRule> WindowsFirewallPart(const std::vector<FirewallRule>& rules) {
  std::vector<FirewallRule> out;
  for (const FirewallRule& r : rules) {
    if (!r.loopback) out.push_back(r);
  }
  return out;
}

std::vector<WfpFilterSpec> LoopbackWfpFilters(uint16_t proxy_first, uint16_t proxy_count) {
  std::vector<PortRange> proxy;
  if (proxy_count > 0) proxy.push_back({proxy_first, static_cast<uint16_t>(proxy_first + proxy_count - 1)});
  std::vector<WfpFilterSpec> out;
  for (const PortRange& r : ComplementPorts(proxy)) {
    out.push_back({std::string(kFirewallRulePrefix) + "wfp block loopback TCP " + std::to_string(r.first) + "-" +
                       std::to_string(r.last),
                   false, FwProtocol::kTcp, r});
  }
  out.push_back({std::string(kFirewallRulePrefix) + "wfp block loopback UDP", false, FwProtocol::kUdp, {0, 0}});
  out.push_back({std::string(kFirewallRulePrefix) + "wfp block IPv6", true, FwProtocol::kAny, {0, 0}});
  return out;
}

std::string SandboxPassword(std::span<const uint8_t> random) {
  static constexpr std::string_view kUpper = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  static constexpr std::string_view kLower = "abcdefghijklmnopqrstuvwxyz";
  static constexpr std::string_view kDigit = "0123456789";
  static constexpr std::string_view kSymbol = "-_.+=#%@";
  static constexpr std::string_view kAll = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";  // 64
  if (random.size() < kPasswordLength) return "";
  std::string out;
  out += kUpper[random[0] % kUpper.size()];
  out += kLower[random[1] % kLower.size()];
  out += kDigit[random[2] % kDigit.size()];
  out += kSymbol[random[3] % kSymbol.size()];
  for (size_t i = 4; i < kPasswordLength; ++i) out += kAll[random[i] % kAll.size()];
  return out;
}

}  // namespace cordon::winplan
