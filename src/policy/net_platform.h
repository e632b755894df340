// What net_rules.cc needs from the C library and the OS, one implementation per platform: net_platform_posix.cc
// (glibc's inet_aton/inet_pton/inet_ntop, libidn2) and net_platform_windows.cc (Winsock, IdnToAscii).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

namespace cordon::policy::platform {

// IPv4 in inet_aton's notations (1 to 4 parts, decimal, 0x-hex or 0-octal) -> 4 bytes, network order.
bool ParseV4Aton(const std::string& text, uint8_t out[4]);
// IPv6 text (inet_pton) -> 16 bytes.
bool ParseV6Text(const std::string& text, uint8_t out[16]);
// inet_ntop's text; "?" when it fails.
std::string FormatIp(bool v6, const uint8_t* bytes);
// One non-ASCII or "xn--" label to its A-label form (UTS #46, non-transitional); nullopt when invalid.
std::optional<std::string> LabelToAsciiIdna(const std::string& lower_label);

}  // namespace cordon::policy::platform
