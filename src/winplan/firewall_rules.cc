#include "winplan/firewall_rules.h"

#include <algorithm>

namespace cordon::winplan {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& s : items) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string FormatPorts(const std::vector<PortRange>& ranges) {
  std::vector<std::string> items;
  for (const PortRange& r : ranges) {
    items.push_back(r.first == r.last ? std::to_string(r.first) : std::to_string(r.first) + "-" + std::to_string(r.last));
  }
  return Join(items);
}

std::string FormatV4Ranges(const std::vector<V4Range>& ranges) {
  std::vector<std::string> items;
  for (const V4Range& r : ranges) items.push_back(FormatV4(r.first) + "-" + FormatV4(r.last));
  return Join(items);
}

FirewallRule Block(std::string name, FwProtocol proto, std::string addresses, std::string ports, const std::string& sid) {
  return FirewallRule{kFirewallRulePrefix + std::move(name), true, false, proto, std::move(addresses), std::move(ports), sid};
}

constexpr uint32_t kLoopbackFirst = 0x7F000000;  // 127.0.0.0/8
constexpr uint32_t kLoopbackLast = 0x7FFFFFFF;

}  // namespace

std::string FormatV4(uint32_t a) {
  return std::to_string(a >> 24) + "." + std::to_string((a >> 16) & 0xFF) + "." + std::to_string((a >> 8) & 0xFF) +
         "." + std::to_string(a & 0xFF);
}

std::string UserScopeSddl(const std::string& sid) { return "D:(A;;CC;;;" + sid + ")"; }

std::vector<PortRange> ComplementPorts(const std::vector<PortRange>& taken) {
  std::vector<PortRange> out;
  uint32_t next = 1;
  for (const PortRange& r : taken) {
    if (r.first > next) out.push_back({static_cast<uint16_t>(next), static_cast<uint16_t>(r.first - 1)});
    next = std::max<uint32_t>(next, uint32_t{r.last} + 1);
  }
  if (next <= 65535) out.push_back({static_cast<uint16_t>(next), 65535});
  return out;
}

std::vector<V4Range> ComplementV4(const std::vector<V4Range>& taken) {
  std::vector<V4Range> out;
  uint64_t next = 0;
  for (const V4Range& r : taken) {
    if (r.first > next) out.push_back({static_cast<uint32_t>(next), r.first - 1});
    next = std::max<uint64_t>(next, uint64_t{r.last} + 1);
  }
  if (next <= 0xFFFFFFFFull) out.push_back({static_cast<uint32_t>(next), 0xFFFFFFFF});
  return out;
}

std::vector<FirewallRule> SandboxFirewallRules(const std::string& sid, uint16_t proxy_first, uint16_t proxy_count) {
  std::vector<FirewallRule> rules;
  rules.push_back(Block("block IPv4 beyond loopback", FwProtocol::kAny,
                        FormatV4Ranges(ComplementV4({{kLoopbackFirst, kLoopbackLast}})), "", sid));
  rules.push_back(Block("block IPv6", FwProtocol::kAny, "::-ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "", sid));
  const std::string loopback = FormatV4Ranges({{kLoopbackFirst, kLoopbackLast}});
  std::vector<PortRange> proxy;
  if (proxy_count > 0) proxy.push_back({proxy_first, static_cast<uint16_t>(proxy_first + proxy_count - 1)});
  rules.push_back(Block("block loopback TCP but the proxy", FwProtocol::kTcp, loopback, FormatPorts(ComplementPorts(proxy)), sid));
  rules.push_back(Block("block loopback UDP", FwProtocol::kUdp, loopback, "", sid));
  rules[rules.size() - 2].loopback = true;
  rules.back().loopback = true;
  for (FwProtocol p : {FwProtocol::kTcp, FwProtocol::kUdp}) {
    rules.push_back(Block(p == FwProtocol::kTcp ? "block DNS TCP" : "block DNS UDP", p, "*", "53,853", sid));
  }
  rules.push_back(Block("block SMB TCP", FwProtocol::kTcp, "*", "139,445", sid));
  rules.push_back(Block("block NetBIOS UDP", FwProtocol::kUdp, "*", "137,138", sid));
  rules.push_back(Block("block ICMPv4", FwProtocol::kIcmpV4, "*", "", sid));
  rules.push_back(Block("block ICMPv6", FwProtocol::kIcmpV6, "*", "", sid));
  FirewallRule inbound = Block("block inbound", FwProtocol::kAny, "*", "", sid);
  inbound.outbound = false;
  rules.push_back(inbound);
  if (!proxy.empty()) {
    // Meaningful where the machine's default for outbound traffic is block.
    rules.push_back(FirewallRule{std::string(kFirewallRulePrefix) + "allow the proxy", true, true, FwProtocol::kTcp,
                                 "127.0.0.1", FormatPorts(proxy), sid});
  }
  return rules;
}

}  // namespace cordon::winplan
