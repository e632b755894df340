// What `cordon.exe setup` creates and records, so that `setup --undo` removes exactly that (and a setup that failed
// half-way can be undone too: the record is written after every step). Platform-neutral: no Windows headers.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "winplan/firewall_rules.h"

namespace cordon::winplan {

// The loopback ports the sandbox account may connect to: where the cordon proxy listens (one port per concurrent run).
inline constexpr uint16_t kProxyFirstPort = 43128;
inline constexpr uint16_t kProxyPortCount = 16;

struct SetupRecord {
  std::string account;             // local account name (kSandboxAccountName)
  std::string account_sid;         // "S-1-5-21-..."; empty until the account exists
  bool account_created = false;    // false: it existed before setup, --undo leaves it
  std::string password_file;       // native path of the DPAPI blob, "" when none was written
  uint16_t proxy_first = kProxyFirstPort;
  uint16_t proxy_count = kProxyPortCount;
  std::vector<std::string> firewall_rules;  // names of the Windows Firewall rules added
  std::string wfp_sublayer;                 // "{GUID}" of the WFP sublayer added, "" when none
  std::vector<std::string> wfp_filters;     // "{GUID}"s of the WFP filters added
  bool operator==(const SetupRecord&) const = default;
};

std::string SetupRecordToJson(const SetupRecord& r);
Result<SetupRecord> SetupRecordFromJson(std::string_view text);

// The Windows Firewall part of SandboxFirewallRules: everything not marked loopback (Windows Firewall does not
// filter loopback traffic; those are WFP filters, below).
std::vector<FirewallRule> WindowsFirewallPart(const std::vector<FirewallRule>& rules);

// One WFP filter at an ALE connect layer, matched to the account's SID (FWPM_CONDITION_ALE_USER_ID).
struct WfpFilterSpec {
  std::string name;              // "cordon: wfp ..."
  bool v6 = false;               // FWPM_LAYER_ALE_AUTH_CONNECT_V6 (all addresses) vs _V4 (127.0.0.0/8 only)
  FwProtocol protocol = FwProtocol::kAny;
  PortRange remote_ports{0, 0};  // {0, 0}: any port
  bool operator==(const WfpFilterSpec&) const = default;
};

// The loopback half of the policy as WFP filters: TCP to 127.0.0.0/8 outside the proxy's ports, UDP to
// 127.0.0.0/8, and IPv6 altogether (::1 included, which Windows Firewall exempts).
std::vector<WfpFilterSpec> LoopbackWfpFilters(uint16_t proxy_first, uint16_t proxy_count);

// A password for the sandbox account from `random` (at least kPasswordLength bytes from a CSPRNG): one upper-case
// letter, one lower-case, one digit and one symbol first (local password complexity policies ask for three of the
// four classes), then characters from a 64-symbol alphabet. Nobody types it: it is kept with DPAPI.
inline constexpr size_t kPasswordLength = 28;
std::string SandboxPassword(std::span<const uint8_t> random);

}  // namespace cordon::winplan
