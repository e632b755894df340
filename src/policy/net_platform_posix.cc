#include <arpa/inet.h>
#include <idn2.h>
#include <netinet/in.h>

#include <cstring>
#include <memory>

#include "policy/net_platform.h"

namespace cordon::policy::platform {

bool ParseV4Aton(const std::string& text, uint8_t out[4]) {
  in_addr in{};
  if (inet_aton(text.c_str(), &in) == 0) return false;
  std::memcpy(out, &in.s_addr, 4);  // network byte order: a.b.c.d in bytes 0..3
  return true;
}

bool ParseV6Text(const std::string& text, uint8_t out[16]) { return inet_pton(AF_INET6, text.c_str(), out) == 1; }

std::string FormatIp(bool v6, const uint8_t* bytes) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (inet_ntop(v6 ? AF_INET6 : AF_INET, bytes, buf, sizeof buf) == nullptr) return "?";
  return buf;
}

std::optional<std::string> LabelToAsciiIdna(const std::string& lower_label) {
  char* out = nullptr;
  int rc = idn2_to_ascii_8z(lower_label.c_str(), &out, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
  std::unique_ptr<char, decltype(&idn2_free)> owned(out, &idn2_free);
  if (rc != IDN2_OK || out == nullptr) return std::nullopt;
  return std::string(out);
}

}  // namespace cordon::policy::platform
