// Windows Firewall rules through COM (INetFwPolicy2, INetFwRule3), each scoped to one account with
// LocalUserAuthorizedList. A rule whose scope cannot be set is never added: unscoped, it would block the machine.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "windows/win32.h"
#include "winplan/firewall_rules.h"

namespace cordon::windows {

// Adds the rules in order; `added` is called with each name once Windows has it (so the caller can record it).
Status AddFirewallRules(const std::vector<winplan::FirewallRule>& rules, const std::function<void(const std::string&)>& added);
// Removes the rules with these names; names Windows does not know are not an error. Returns the names that failed.
Result<std::vector<std::string>> RemoveFirewallRules(const std::vector<std::string>& names);

}  // namespace cordon::windows
