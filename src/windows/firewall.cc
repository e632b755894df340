#include "windows/firewall.h"

// clang-format off
#include <windows.h>
#include <initguid.h>
#include <netfw.h>
// clang-format on

#include "windows/com.h"

namespace cordon::windows {
namespace {

LONG ProtocolNumber(winplan::FwProtocol p) {
  switch (p) {
    case winplan::FwProtocol::kTcp: return NET_FW_IP_PROTOCOL_TCP;
    case winplan::FwProtocol::kUdp: return NET_FW_IP_PROTOCOL_UDP;
    case winplan::FwProtocol::kIcmpV4: return 1;
    case winplan::FwProtocol::kIcmpV6: return 58;
    case winplan::FwProtocol::kAny: break;
  }
  return 256;  // NET_FW_IP_PROTOCOL_ANY (not in mingw's icftypes.h)
}

Result<INetFwRules*> OpenRules(ComPtr<INetFwPolicy2>& policy, ComPtr<INetFwRules>& rules) {
  HRESULT hr = CoCreateInstance(CLSID_NetFwPolicy2, nullptr, CLSCTX_INPROC_SERVER, IID_INetFwPolicy2, policy.put_void());
  if (FAILED(hr)) return HresultError("CoCreateInstance(NetFwPolicy2)", hr);
  hr = policy->get_Rules(rules.put());
  if (FAILED(hr) || rules.get() == nullptr) return HresultError("INetFwPolicy2::get_Rules", hr);
  return rules.get();
}

#define CORDON_HR(call, what)                                   \
  do {                                                          \
    const HRESULT hr_ = (call);                                 \
    if (FAILED(hr_)) return HresultError(what, hr_).With(name); \
  } while (0)

Status AddOne(INetFwRules* rules, const winplan::FirewallRule& r) {
  const std::string& name = r.name;
  ComPtr<INetFwRule> rule;
  HRESULT hr = CoCreateInstance(CLSID_NetFwRule, nullptr, CLSCTX_INPROC_SERVER, IID_INetFwRule, rule.put_void());
  if (FAILED(hr)) return HresultError("CoCreateInstance(NetFwRule)", hr);
  // The scope first: a rule that cannot be scoped to the account is not added at all.
  ComPtr<INetFwRule3> rule3;
  hr = rule->QueryInterface(IID_INetFwRule3, rule3.put_void());
  if (FAILED(hr) || rule3.get() == nullptr) {
    return HresultError("this Windows Firewall cannot scope a rule to one user (INetFwRule3, Windows 8 or later)", hr);
  }
  CORDON_HR(rule3->put_LocalUserAuthorizedList(Bstr(winplan::UserScopeSddl(r.user_sid)).get()), "LocalUserAuthorizedList");
  CORDON_HR(rule->put_Name(Bstr(r.name).get()), "Name");
  CORDON_HR(rule->put_Description(Bstr("added by cordon.exe setup; cordon.exe setup --undo removes it").get()), "Description");
  CORDON_HR(rule->put_Grouping(Bstr("cordon").get()), "Grouping");
  CORDON_HR(rule->put_Direction(r.outbound ? NET_FW_RULE_DIR_OUT : NET_FW_RULE_DIR_IN), "Direction");
  CORDON_HR(rule->put_Action(r.allow ? NET_FW_ACTION_ALLOW : NET_FW_ACTION_BLOCK), "Action");
  CORDON_HR(rule->put_Protocol(ProtocolNumber(r.protocol)), "Protocol");
  if (!r.remote_addresses.empty() && r.remote_addresses != "*") {
    CORDON_HR(rule->put_RemoteAddresses(Bstr(r.remote_addresses).get()), "RemoteAddresses");
  }
  if (!r.remote_ports.empty()) CORDON_HR(rule->put_RemotePorts(Bstr(r.remote_ports).get()), "RemotePorts");
  CORDON_HR(rule->put_Profiles(NET_FW_PROFILE2_ALL), "Profiles");
  CORDON_HR(rule->put_Enabled(VARIANT_TRUE), "Enabled");
  CORDON_HR(rules->Add(rule.get()), "INetFwRules::Add");
  return {};
}

}  // namespace

Status AddFirewallRules(const std::vector<winplan::FirewallRule>& rules,
                        const std::function<void(const std::string&)>& added) {
  ComApartment com;
  if (!com.ok()) return HresultError("CoInitializeEx", com.hr());
  ComPtr<INetFwPolicy2> policy;
  ComPtr<INetFwRules> set;
  CORDON_ASSIGN_OR_RETURN(INetFwRules * fw, OpenRules(policy, set));
  for (const winplan::FirewallRule& r : rules) {
    CORDON_TRY(AddOne(fw, r));
    added(r.name);
  }
  return {};
}

Result<std::vector<std::string>> RemoveFirewallRules(const std::vector<std::string>& names) {
  ComApartment com;
  if (!com.ok()) return HresultError("CoInitializeEx", com.hr());
  ComPtr<INetFwPolicy2> policy;
  ComPtr<INetFwRules> set;
  CORDON_ASSIGN_OR_RETURN(INetFwRules * fw, OpenRules(policy, set));
  std::vector<std::string> failed;
  for (const std::string& name : names) {
    // Remove takes away every rule of that name, and succeeds when there is none.
    if (FAILED(fw->Remove(Bstr(name).get()))) failed.push_back(name);
  }
  return failed;
}

}  // namespace cordon::windows
