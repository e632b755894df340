// The local sandbox account `cordon.exe setup` creates (NetUserAdd), and elevation.
#pragma once

#include <string>

#include "windows/win32.h"

namespace cordon::windows {

// True when this process runs elevated as a member of Administrators (what NetUserAdd and the firewall need).
bool IsElevated();

// The account's SID as a string; an error when there is no such account.
Result<std::string> AccountSid(const std::string& name);

// A standard user (USER_PRIV_USER: in Users, not in Administrators) whose password never expires and cannot be
// changed by the account itself. Fails when the name is taken.
Status CreateLocalAccount(const std::string& name, const std::string& password);
// Removes it; an account that is already gone is not an error.
Status DeleteLocalAccount(const std::string& name);

// `n` bytes from the system's CSPRNG (BCryptGenRandom).
Result<std::string> RandomBytes(size_t n);

}  // namespace cordon::windows
