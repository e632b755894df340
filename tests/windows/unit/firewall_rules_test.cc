#include "winplan/firewall_rules.h"

#include <gtest/gtest.h>

namespace cordon::winplan {
namespace {

TEST(FirewallRulesTest, PortComplement) {
  EXPECT_EQ(ComplementPorts({}), (std::vector<PortRange>{{1, 65535}}));
  EXPECT_EQ(ComplementPorts({{3128, 3191}}), (std::vector<PortRange>{{1, 3127}, {3192, 65535}}));
  EXPECT_EQ(ComplementPorts({{1, 10}, {65535, 65535}}), (std::vector<PortRange>{{11, 65534}}));
  EXPECT_EQ(ComplementPorts({{1, 65535}}), (std::vector<PortRange>{}));
}

TEST(FirewallRulesTest, V4Complement) {
  EXPECT_EQ(ComplementV4({{0x7F000000, 0x7FFFFFFF}}),
            (std::vector<V4Range>{{0, 0x7EFFFFFF}, {0x80000000, 0xFFFFFFFF}}));
  EXPECT_EQ(ComplementV4({{0, 0xFFFFFFFF}}), (std::vector<V4Range>{}));
  EXPECT_EQ(FormatV4(0x7F000001), "127.0.0.1");
}

const FirewallRule* Find(const std::vector<FirewallRule>& rules, const std::string& name) {
  for (const FirewallRule& r : rules) {
    if (r.name == kFirewallRulePrefix + name) return &r;
  }
  return nullptr;
}

TEST(FirewallRulesTest, SandboxRulesBlockAllButTheProxy) {
  const std::string sid = "S-1-5-21-1-2-3-1001";
  std::vector<FirewallRule> rules = SandboxFirewallRules(sid, 3128, 64);
  for (const FirewallRule& r : rules) {
    EXPECT_EQ(r.user_sid, sid) << r.name;  // nothing but the account is affected
    EXPECT_TRUE(r.name.starts_with(kFirewallRulePrefix));
  }
  const FirewallRule* v4 = Find(rules, "block IPv4 beyond loopback");
  ASSERT_NE(v4, nullptr);
  EXPECT_EQ(v4->remote_addresses, "0.0.0.0-126.255.255.255,128.0.0.0-255.255.255.255");
  EXPECT_FALSE(v4->allow);
  const FirewallRule* lo = Find(rules, "block loopback TCP but the proxy");
  ASSERT_NE(lo, nullptr);
  EXPECT_EQ(lo->remote_ports, "1-3127,3192-65535");
  EXPECT_EQ(lo->remote_addresses, "127.0.0.0-127.255.255.255");
  EXPECT_TRUE(lo->loopback);
  for (const char* name : {"block DNS TCP", "block DNS UDP"}) {
    ASSERT_NE(Find(rules, name), nullptr) << name;
    EXPECT_EQ(Find(rules, name)->remote_ports, "53,853");
  }
  EXPECT_EQ(Find(rules, "block SMB TCP")->remote_ports, "139,445");
  EXPECT_EQ(Find(rules, "block ICMPv4")->protocol, FwProtocol::kIcmpV4);
  EXPECT_EQ(Find(rules, "block ICMPv6")->protocol, FwProtocol::kIcmpV6);
  EXPECT_FALSE(Find(rules, "block inbound")->outbound);
  const FirewallRule* allow = Find(rules, "allow the proxy");
  ASSERT_NE(allow, nullptr);
  EXPECT_TRUE(allow->allow);
  EXPECT_EQ(allow->remote_ports, "3128-3191");
  EXPECT_EQ(UserScopeSddl(sid), "D:(A;;CC;;;S-1-5-21-1-2-3-1001)");
}

TEST(FirewallRulesTest, NoProxyPortsMeansNoLoopbackTcp) {
  std::vector<FirewallRule> rules = SandboxFirewallRules("S-1-5-21-9", 0, 0);
  EXPECT_EQ(Find(rules, "block loopback TCP but the proxy")->remote_ports, "1-65535");
  EXPECT_EQ(Find(rules, "allow the proxy"), nullptr);
}

}  // namespace
}  // namespace cordon::winplan
