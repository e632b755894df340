// What `cordon.exe setup` records and installs, computed without Windows: the record's round trip, the split of the
// firewall rules between Windows Firewall and WFP, the WFP filters, the account password's shape.
#include "winplan/setup_record.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <vector>

#include "winplan/identity.h"

namespace cordon::winplan {
namespace {

constexpr const char* kSid = "S-1-5-21-1-2-3-1001";

TEST(SetupRecordTest, RoundTrips) {
  SetupRecord r;
  r.account = kSandboxAccountName;
  r.account_sid = kSid;
  r.account_created = true;
  r.password_file = "C:\\Users\\me\\AppData\\Local\\cordon\\sandbox-password.dpapi";
  r.firewall_rules = {"cordon: block IPv6", "cordon: block ICMPv4"};
  r.wfp_sublayer = "{01234567-89ab-cdef-0123-456789abcdef}";
  r.wfp_filters = {"{11111111-2222-3333-4444-555555555555}"};
  Result<SetupRecord> back = SetupRecordFromJson(SetupRecordToJson(r));
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(*back, r);
}

TEST(SetupRecordTest, RefusesWhatIsNotARecord) {
  EXPECT_FALSE(SetupRecordFromJson("").ok());
  EXPECT_FALSE(SetupRecordFromJson("[]").ok());
  EXPECT_FALSE(SetupRecordFromJson(R"({"account": "x"})").ok());  // no version
  EXPECT_FALSE(SetupRecordFromJson(R"({"version": 1, "firewall_rules": 3})").ok());
}

TEST(SetupRecordTest, FirewallGetsEverythingButLoopback) {
  const std::vector<FirewallRule> all = SandboxFirewallRules(kSid, kProxyFirstPort, kProxyPortCount);
  const std::vector<FirewallRule> fw = WindowsFirewallPart(all);
  EXPECT_LT(fw.size(), all.size());
  for (const FirewallRule& r : fw) {
    EXPECT_FALSE(r.loopback) << r.name;
    EXPECT_EQ(r.name.rfind(kFirewallRulePrefix, 0), 0u) << r.name;  // --undo finds them by prefix
    EXPECT_EQ(r.user_sid, kSid) << r.name;
  }
  auto named = [&](const std::string& n) {
    return std::any_of(fw.begin(), fw.end(), [&](const FirewallRule& r) { return r.name == kFirewallRulePrefix + n; });
  };
  EXPECT_TRUE(named("block DNS UDP"));
  EXPECT_TRUE(named("block DNS TCP"));
  EXPECT_TRUE(named("block SMB TCP"));
  EXPECT_TRUE(named("block ICMPv4"));
  EXPECT_TRUE(named("block ICMPv6"));
}

TEST(SetupRecordTest, WfpFiltersLeaveOnlyTheProxyPortsOpenOnLoopback) {
  const std::vector<WfpFilterSpec> f = LoopbackWfpFilters(43128, 16);
  ASSERT_EQ(f.size(), 4u);
  EXPECT_EQ(f[0], (WfpFilterSpec{"cordon: wfp block loopback TCP 1-43127", false, FwProtocol::kTcp, {1, 43127}}));
  EXPECT_EQ(f[1], (WfpFilterSpec{"cordon: wfp block loopback TCP 43144-65535", false, FwProtocol::kTcp, {43144, 65535}}));
  EXPECT_EQ(f[2].protocol, FwProtocol::kUdp);
  EXPECT_FALSE(f[2].v6);
  EXPECT_TRUE(f[3].v6);
  EXPECT_EQ(f[3].protocol, FwProtocol::kAny);
  // No proxy: every loopback TCP port is blocked.
  const std::vector<WfpFilterSpec> none = LoopbackWfpFilters(0, 0);
  ASSERT_EQ(none.size(), 3u);
  EXPECT_EQ(none[0].remote_ports, (PortRange{1, 65535}));
}

TEST(SetupRecordTest, PasswordHasEveryClassAndTheFullLength) {
  std::vector<uint8_t> random(kPasswordLength);
  for (size_t i = 0; i < random.size(); ++i) random[i] = static_cast<uint8_t>(i * 37 + 11);
  const std::string p = SandboxPassword(random);
  ASSERT_EQ(p.size(), kPasswordLength);
  EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) { return std::isupper(static_cast<unsigned char>(c)); }));
  EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) { return std::islower(static_cast<unsigned char>(c)); }));
  EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }));
  EXPECT_TRUE(std::any_of(p.begin(), p.end(), [](char c) { return std::ispunct(static_cast<unsigned char>(c)); }));
  EXPECT_NE(SandboxPassword(std::vector<uint8_t>(kPasswordLength, 0)), p);
  EXPECT_EQ(SandboxPassword(std::vector<uint8_t>(kPasswordLength - 1, 0)), "");  // too little randomness: none
}

}  // namespace
}  // namespace cordon::winplan
