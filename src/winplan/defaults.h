// Windows' own places for credentials, added to deny_read by cordon.exe on top of the policy's (whose built-in list
// names the same tools' Unix locations, which mostly do not exist on Windows).
#pragma once

#include <string>
#include <vector>

namespace cordon::winplan {

const std::vector<std::string>& WindowsDefaultDenyRead();  // "~/..." entries

}  // namespace cordon::winplan
