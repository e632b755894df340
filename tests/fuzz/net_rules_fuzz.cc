// libFuzzer target: the network rule parsers (ParseIpLiteral, CanonicalHostName, ParseEndpointPattern) and the
// decisions on them must take any bytes without crashing, and what they accept must be stable: a canonical
// name is canonical again, an address prints and parses back to itself, a pattern's canonical text parses to
// the same pattern. Built only with clang and -DCORDON_FUZZ=ON (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>

#include "policy/net_rules.h"

namespace p = cordon::policy;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  uint16_t port = size >= 2 ? static_cast<uint16_t>(data[0] << 8 | data[1]) : 443;

  if (std::optional<p::IpAddress> ip = p::ParseIpLiteral(text)) {
    std::optional<p::IpAddress> again = p::ParseIpLiteral(ip->ToString());
    if (!again || !(*again == *ip)) __builtin_trap();
    (void)p::NonPublicRange(*ip);
  }
  if (std::optional<std::string> name = p::CanonicalHostName(text)) {
    if (name->empty() || name->size() > 253 || p::ParseIpLiteral(*name)) __builtin_trap();
    if (p::CanonicalHostName(*name) != name) __builtin_trap();
  }
  cordon::Result<p::EndpointPattern> pattern = p::ParseEndpointPattern(text);
  if (pattern.ok()) {
    if (pattern->port_lo < 1 || pattern->port_lo > pattern->port_hi) __builtin_trap();
    cordon::Result<p::EndpointPattern> again = p::ParseEndpointPattern(pattern->CanonicalText());
    if (!again.ok() || again->CanonicalText() != pattern->CanonicalText()) __builtin_trap();
    if (!pattern->Covers(*again) || !again->Covers(*pattern)) __builtin_trap();
    p::NetRules rules({*pattern}, {}, {});
    if (pattern->kind == p::EndpointPattern::Kind::kName && !rules.DecideName(pattern->name, pattern->port_lo).allowed) {
      __builtin_trap();
    }
    if (pattern->kind == p::EndpointPattern::Kind::kAddress &&
        !rules.DecideAddress("x.test", pattern->port_hi, pattern->address).allowed) {
      __builtin_trap();  // an exactly allowed address is reachable, whatever its range
    }
  } else if (pattern.error().message.empty()) {
    __builtin_trap();
  }
  p::NetRules rules({}, {}, {});
  (void)rules.DecideName(text, port);
  if (size >= 16) {
    p::IpAddress v6;
    v6.v6 = true;
    std::memcpy(v6.bytes.data(), data, 16);
    (void)rules.DecideAddress("x.test", port, v6);
    p::IpAddress v4;
    std::memcpy(v4.bytes.data(), data, 4);
    (void)p::NonPublicRange(v4);
  }
  return 0;
}
