// Windows: Winsock for IPv6 text, inet_aton's notations by hand (Winsock has no inet_aton), IdnToAscii for IDNA.
// IdnToAscii implements IDNA2008 with Windows' own mapping, not libidn2's UTS #46: a few labels (rare scripts,
// deviation characters) may canonicalise differently than on Linux (docs/WINDOWS.md).
#include <winsock2.h>
#include <ws2tcpip.h>
#include <windows.h>

#include <vector>

#include "policy/net_platform.h"

namespace cordon::policy::platform {
namespace {

// One part of an inet_aton address: decimal, 0x-hex or 0-octal; false on anything else or overflow.
bool ParsePart(const std::string& s, uint64_t* value) {
  if (s.empty()) return false;
  int base = 10;
  size_t i = 0;
  if (s.size() > 1 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
    base = 16;
    i = 2;
  } else if (s.size() > 1 && s[0] == '0') {
    base = 8;
    i = 1;
  }
  uint64_t v = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 99;
    if (d >= base) return false;
    v = v * static_cast<uint64_t>(base) + static_cast<uint64_t>(d);
    if (v > 0xFFFFFFFFull) return false;
  }
  *value = v;
  return true;
}

}  // namespace

bool ParseV4Aton(const std::string& text, uint8_t out[4]) {
  std::vector<uint64_t> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    uint64_t v = 0;
    if (!ParsePart(text.substr(start, dot == std::string::npos ? std::string::npos : dot - start), &v)) return false;
    parts.push_back(v);
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  if (parts.size() > 4) return false;
  for (size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i] > 0xFF) return false;
  }
  const int rest_bits = 8 * static_cast<int>(5 - parts.size());
  if (rest_bits < 32 && parts.back() >> rest_bits != 0) return false;
  uint32_t addr = 0;
  for (size_t i = 0; i + 1 < parts.size(); ++i) addr |= static_cast<uint32_t>(parts[i]) << (24 - 8 * i);
  addr |= static_cast<uint32_t>(parts.back());
  for (int i = 0; i < 4; ++i) out[i] = static_cast<uint8_t>(addr >> (24 - 8 * i));
  return true;
}

bool ParseV6Text(const std::string& text, uint8_t out[16]) { return inet_pton(AF_INET6, text.c_str(), out) == 1; }

std::string FormatIp(bool v6, const uint8_t* bytes) {
  char buf[64] = {};
  if (inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buf, sizeof buf) == nullptr) return "?";
  return buf;
}

std::optional<std::string> LabelToAsciiIdna(const std::string& lower_label) {
  int wide_len = MultiByteToWideChar(CP_UTF8, MB_ERR_INVALID_CHARS, lower_label.data(),
                                     static_cast<int>(lower_label.size()), nullptr, 0);
  if (wide_len <= 0) return std::nullopt;
  std::wstring wide(static_cast<size_t>(wide_len), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, lower_label.data(), static_cast<int>(lower_label.size()), wide.data(), wide_len);
  wchar_t ascii[256] = {};
  int n = IdnToAscii(0, wide.c_str(), wide_len, ascii, 255);
  if (n <= 0) return std::nullopt;
  std::string out;
  for (int i = 0; i < n; ++i) {
    if (ascii[i] > 0x7F) return std::nullopt;
    out += static_cast<char>(ascii[i]);
  }
  return out;
}

}  // namespace cordon::policy::platform
