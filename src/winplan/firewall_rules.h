// The Windows Firewall rules `cordon.exe setup` installs for the sandbox account: everything it sends is blocked
// except TCP to the proxy's loopback ports. Windows Firewall lets a block rule beat any allow rule, so "all but
// these" is written as blocks on the complement (address and port ranges), plus explicit, separately named blocks
// for DNS (53, 853), SMB/NetBIOS (445, 139, 137, 138) and ICMP, so each shows up by name in the firewall and in tests.
// Every rule is scoped to the account (INetFwRule3::LocalUserAuthorizedList "D:(A;;CC;;;SID)"), so nothing else on
// the machine is affected.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace cordon::winplan {

struct PortRange {
  uint16_t first, last;
  bool operator==(const PortRange&) const = default;
};

struct V4Range {
  uint32_t first, last;  // host byte order
  bool operator==(const V4Range&) const = default;
};

// The gaps that `taken` (sorted, disjoint) leaves in 1..65535 / the whole IPv4 space.
std::vector<PortRange> ComplementPorts(const std::vector<PortRange>& taken);
std::vector<V4Range> ComplementV4(const std::vector<V4Range>& taken);

enum class FwProtocol { kAny, kTcp, kUdp, kIcmpV4, kIcmpV6 };

struct FirewallRule {
  std::string name;         // "cordon: ..."; setup --undo removes every rule whose name starts with "cordon: "
  bool outbound = true;
  bool allow = false;
  FwProtocol protocol = FwProtocol::kAny;
  std::string remote_addresses;  // Windows Firewall syntax: "1.2.3.4-1.2.3.9,..."; "*" for any
  std::string remote_ports;      // "53,853", "1-3127"; "" when the protocol has none
  std::string user_sid;          // LocalUserAuthorizedList
  // Windows Firewall exempts loopback traffic: a rule on 127.0.0.0/8 must be installed as a WFP filter of its own
  // (ALE connect layers, condition ALE_USER_ID, a sublayer that outweighs the loopback permits).
  bool loopback = false;
};

inline constexpr const char* kFirewallRulePrefix = "cordon: ";

std::vector<FirewallRule> SandboxFirewallRules(const std::string& account_sid, uint16_t proxy_first,
                                               uint16_t proxy_count);

std::string FormatV4(uint32_t a);
// The SDDL that scopes a rule to one account.
std::string UserScopeSddl(const std::string& sid);

}  // namespace cordon::winplan
