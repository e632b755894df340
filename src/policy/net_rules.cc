#include "policy/net_rules.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "policy/net_platform.h"

namespace cordon::policy {
namespace {

constexpr size_t kMaxNameLength = 253;
constexpr size_t kMaxLabelLength = 63;
// Longer than any IP literal or host name we would accept; bounds the copies made before parsing.
constexpr size_t kMaxInputLength = 1024;

IpAddress V4(uint8_t a, uint8_t b, uint8_t c, uint8_t d) {
  IpAddress ip;
  ip.bytes = {a, b, c, d};
  return ip;
}

IpAddress V4At(const IpAddress& v6, size_t offset) {
  return V4(v6.bytes[offset], v6.bytes[offset + 1], v6.bytes[offset + 2], v6.bytes[offset + 3]);
}

bool IsMappedV4(const IpAddress& a) {
  if (!a.v6) return false;
  for (size_t i = 0; i < 10; ++i) {
    if (a.bytes[i] != 0) return false;
  }
  return a.bytes[10] == 0xff && a.bytes[11] == 0xff;
}

// One form per address: IPv4-mapped IPv6 becomes IPv4 and an IPv4 address has zeros after its 4 bytes, so
// that == compares addresses, not spellings.
IpAddress Normalized(const IpAddress& a) {
  if (IsMappedV4(a)) return V4At(a, 12);
  if (a.v6) return a;
  return V4At(a, 0);
}

// Does `a` lie in prefix/len? Both of the same family.
bool InPrefix(const IpAddress& a, const IpAddress& prefix, int len) {
  if (a.v6 != prefix.v6) return false;
  int whole = len / 8;
  for (int i = 0; i < whole; ++i) {
    if (a.bytes[i] != prefix.bytes[i]) return false;
  }
  int rest = len % 8;
  if (rest == 0) return true;
  auto mask = static_cast<uint8_t>(0xff << (8 - rest));
  return (a.bytes[whole] & mask) == (prefix.bytes[whole] & mask);
}

IpAddress V6(const char* text) {
  IpAddress ip;
  ip.v6 = true;
  if (!platform::ParseV6Text(text, ip.bytes.data())) std::abort();  // our own constant: a broken build
  return ip;
}

constexpr IpAddress kV4Compatible{true, {}};                  // ::/96
constexpr IpAddress kNat64{true, {0x00, 0x64, 0xff, 0x9b}};     // 64:ff9b::/96
constexpr IpAddress k6to4{true, {0x20, 0x02}};                  // 2002::/16
constexpr IpAddress kTeredo{true, {0x20, 0x01, 0x00, 0x00}};    // 2001::/32

struct Range {
  IpAddress prefix;
  int len;
  const char* label;
};

// Most specific first: the first match names the range.
const std::vector<Range>& V4Ranges() {
  static const std::vector<Range> ranges = {
      {V4(169, 254, 169, 254), 32, "cloud-metadata"},  // AWS, GCP, Azure, OpenStack, ...
      {V4(169, 254, 170, 2), 32, "cloud-metadata"},    // AWS ECS task credentials
      {V4(100, 100, 100, 200), 32, "cloud-metadata"},  // Alibaba Cloud
      {V4(0, 0, 0, 0), 8, "unspecified"},              // "this network"; 0.0.0.0 reaches the local host on Linux
      {V4(10, 0, 0, 0), 8, "private"},
      {V4(100, 64, 0, 0), 10, "cgnat"},
      {V4(127, 0, 0, 0), 8, "loopback"},
      {V4(169, 254, 0, 0), 16, "link-local"},
      {V4(172, 16, 0, 0), 12, "private"},
      {V4(192, 0, 0, 0), 24, "reserved"},  // IETF protocol assignments
      {V4(192, 0, 2, 0), 24, "documentation"},
      {V4(192, 168, 0, 0), 16, "private"},
      {V4(198, 18, 0, 0), 15, "benchmarking"},
      {V4(198, 51, 100, 0), 24, "documentation"},
      {V4(203, 0, 113, 0), 24, "documentation"},
      {V4(224, 0, 0, 0), 4, "multicast"},
      {V4(255, 255, 255, 255), 32, "broadcast"},
      {V4(240, 0, 0, 0), 4, "reserved"},
  };
  return ranges;
}

const std::vector<Range>& V6Ranges() {
  static const std::vector<Range> ranges = {
      {V6("::"), 128, "unspecified"},
      {V6("::1"), 128, "loopback"},
      {V6("fd00:ec2::254"), 128, "cloud-metadata"},  // AWS over IPv6
      {V6("fc00::"), 7, "private"},                  // unique local
      {V6("fe80::"), 10, "link-local"},
      {V6("fec0::"), 10, "site-local"},
      {V6("ff00::"), 8, "multicast"},
      {V6("2001:db8::"), 32, "documentation"},
      {V6("100::"), 64, "discard"},
      {V6("64:ff9b:1::"), 48, "private"},  // local-use NAT64 (RFC 8215): translates into some private network
  };
  return ranges;
}

const char* FirstRange(const std::vector<Range>& ranges, const IpAddress& a) {
  for (const Range& r : ranges) {
    if (InPrefix(a, r.prefix, r.len)) return r.label;
  }
  return nullptr;
}

// The IPv4 address an IPv6 address carries to an IPv4 host, for the forms that get there without any
// configuration of ours: IPv4-mapped and IPv4-compatible (::a.b.c.d), NAT64 (64:ff9b::/96), 6to4 (2002::/16)
// and Teredo (2001::/32, client address inverted in the last 4 bytes).
std::optional<IpAddress> EmbeddedV4(const IpAddress& a) {
  if (!a.v6) return std::nullopt;
  if (IsMappedV4(a) || InPrefix(a, kV4Compatible, 96) || InPrefix(a, kNat64, 96)) return V4At(a, 12);
  if (InPrefix(a, k6to4, 16)) return V4At(a, 2);
  if (InPrefix(a, kTeredo, 32)) {
    IpAddress v4 = V4At(a, 12);
    for (size_t i = 0; i < 4; ++i) v4.bytes[i] = static_cast<uint8_t>(~v4.bytes[i]);
    return v4;
  }
  return std::nullopt;
}

bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }
bool IsAsciiHexDigit(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char AsciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t start = 0;
  for (;;) {
    size_t end = s.find(sep, start);
    if (end == std::string_view::npos) {
      out.push_back(s.substr(start));
      return out;
    }
    out.push_back(s.substr(start, end - start));
    start = end + 1;
  }
}

// IPv4 in inet_aton's notations: 1 to 4 parts, each decimal, 0x-hex or 0-octal.
std::optional<IpAddress> ParseV4(const std::string& s) {
  // inet_aton stops at the first white space and ignores the rest ("1.2.3.4 junk"); only the exact set of
  // characters its notations use is handed to it.
  for (char c : s) {
    if (!IsAsciiHexDigit(c) && c != '.' && c != 'x' && c != 'X') return std::nullopt;
  }
  IpAddress ip;
  if (!platform::ParseV4Aton(s, ip.bytes.data())) return std::nullopt;
  return ip;
}

std::optional<IpAddress> ParseV6(const std::string& s) {
  IpAddress ip;
  ip.v6 = true;
  if (!platform::ParseV6Text(s, ip.bytes.data())) return std::nullopt;
  return Normalized(ip);
}

// WHATWG URL's "ends in a number": a last label of digits, or 0x and hex digits, is an IPv4 address to a
// browser and to inet_aton. A name like that is either an IP literal or broken, never a host name, so the
// proxy never hands something like "1.2.3.08" to DNS hoping for an IP.
bool EndsInNumber(std::string_view name) {
  std::string_view last = name.substr(name.rfind('.') + 1);
  if (last.empty()) return false;
  if (std::all_of(last.begin(), last.end(), IsAsciiDigit)) return true;
  if (last.size() >= 2 && last[0] == '0' && (last[1] == 'x' || last[1] == 'X')) {
    return std::all_of(last.begin() + 2, last.end(), IsAsciiHexDigit);
  }
  return false;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// One label to its A-label form. ASCII labels are only lower-cased: libidn2 would refuse real host names
// such as "r3---sn-abc" (hyphens at positions 3-4), which DNS serves. Non-ASCII labels and "xn--" labels go
// through UTS #46 (non-transitional: "ß" stays "ß", as browsers do), so that a U-label and its punycode are one
// name and an invalid punycode label is refused. The result may hold dots: UTS #46 maps "。" to ".".
std::optional<std::string> LabelToAscii(std::string_view label) {
  std::string lower(label);
  for (char& c : lower) c = AsciiLower(c);
  if (IsAscii(label) && !lower.starts_with("xn--")) return lower;
  std::optional<std::string> idna = platform::LabelToAsciiIdna(lower);
  if (!idna) return std::nullopt;
  std::string ascii = std::move(*idna);
  for (char& c : ascii) c = AsciiLower(c);
  return ascii;
}

bool ValidLabel(std::string_view label) {
  if (label.empty() || label.size() > kMaxLabelLength) return false;
  if (label.front() == '-' || label.back() == '-') return false;
  return std::all_of(label.begin(), label.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || IsAsciiDigit(c) || c == '-' || c == '_'; });
}

bool ValidCanonicalName(std::string_view name) {
  if (name.empty() || name.size() > kMaxNameLength) return false;
  for (std::string_view label : Split(name, '.')) {
    if (!ValidLabel(label)) return false;
  }
  return !EndsInNumber(name);
}

Result<std::pair<uint16_t, uint16_t>> ParsePortSpec(std::string_view spec, std::string_view pattern) {
  if (spec == "*") return std::pair<uint16_t, uint16_t>{1, 65535};
  auto one = [&](std::string_view p) -> Result<uint16_t> {
    if (p.empty() || !std::all_of(p.begin(), p.end(), IsAsciiDigit)) {
      return MakeError("bad port \"" + std::string(p) + "\" in \"" + std::string(pattern) +
                       "\": write a number, a range such as 8000-8100, or * for any port");
    }
    unsigned long n = p.size() > 5 ? 0 : std::strtoul(std::string(p).c_str(), nullptr, 10);
    if (n < 1 || n > 65535) {
      return MakeError("port " + std::string(p) + " out of range 1-65535 in \"" + std::string(pattern) + "\"");
    }
    return static_cast<uint16_t>(n);
  };
  size_t dash = spec.find('-');
  CORDON_ASSIGN_OR_RETURN(uint16_t lo, one(spec.substr(0, dash)));
  if (dash == std::string_view::npos) return std::pair<uint16_t, uint16_t>{lo, lo};
  CORDON_ASSIGN_OR_RETURN(uint16_t hi, one(spec.substr(dash + 1)));
  if (lo > hi) {
    return MakeError("port range " + std::string(spec) + " in \"" + std::string(pattern) +
                     "\" is reversed: write the low port first");
  }
  return std::pair<uint16_t, uint16_t>{lo, hi};
}

// "host:port" -> {host, port}; brackets kept on an IPv6 host so that ParseIpLiteral sees them.
Result<std::pair<std::string_view, std::string_view>> SplitHostPort(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  size_t colon;
  if (text.starts_with("[")) {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return MakeError("bad host pattern " + quoted + ": missing ']'");
    colon = close + 1;
    if (colon < text.size() && text[colon] != ':') {
      return MakeError("bad host pattern " + quoted + ": expected ':' and a port after ']'");
    }
  } else {
    colon = text.find(':');
    if (colon != std::string_view::npos && text.find(':', colon + 1) != std::string_view::npos) {
      return MakeError("bad host pattern " + quoted + ": write an IPv6 address in brackets, as [::1]:443");
    }
  }
  if (colon == std::string_view::npos || colon >= text.size()) {
    return MakeError("missing port in " + quoted + ": write " + std::string(text) + ":443 (one port), " +
                     std::string(text) + ":8000-8100 (a range) or " + std::string(text) + ":* (any port)");
  }
  return std::pair<std::string_view, std::string_view>{text.substr(0, colon), text.substr(colon + 1)};
}

bool PortsCover(const EndpointPattern& outer, const EndpointPattern& inner) {
  return outer.port_lo <= inner.port_lo && inner.port_hi <= outer.port_hi;
}

std::string PortText(uint16_t lo, uint16_t hi) {
  if (lo == 1 && hi == 65535) return "*";
  if (lo == hi) return std::to_string(lo);
  return std::to_string(lo) + "-" + std::to_string(hi);
}

const EndpointPattern* FirstNameMatch(const std::vector<EndpointPattern>& list, std::string_view host,
                                      uint16_t port) {
  for (const EndpointPattern& p : list) {
    if (p.MatchesName(host, port)) return &p;
  }
  return nullptr;
}

const EndpointPattern* FirstAddressMatch(const std::vector<EndpointPattern>& list, const IpAddress& addr,
                                         uint16_t port) {
  for (const EndpointPattern& p : list) {
    if (p.MatchesAddress(addr, port)) return &p;
  }
  return nullptr;
}

NetDecision Allowed(const EndpointPattern& p) { return {true, p.text, "allowed by " + p.text}; }
NetDecision Denied(const EndpointPattern& p) { return {false, p.text, "denied by " + p.text}; }

}  // namespace

std::string IpAddress::ToString() const {
  return platform::FormatIp(v6, bytes.data());
}

std::optional<IpAddress> ParseIpLiteral(std::string_view text) {
  if (text.empty() || text.size() > kMaxInputLength || text.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  if (text.front() == '[') {
    if (text.size() < 2 || text.back() != ']') return std::nullopt;
    return ParseV6(std::string(text.substr(1, text.size() - 2)));
  }
  std::string s(text);
  if (s.find(':') != std::string::npos) return ParseV6(s);
  return ParseV4(s);
}

std::optional<std::string> NonPublicRange(const IpAddress& addr) {
  IpAddress a = Normalized(addr);
  if (!a.v6) {
    if (const char* label = FirstRange(V4Ranges(), a)) return label;
    return std::nullopt;
  }
  if (const char* label = FirstRange(V6Ranges(), a)) return label;
  if (std::optional<IpAddress> v4 = EmbeddedV4(a)) {
    if (std::optional<std::string> inner = NonPublicRange(*v4)) return inner;
  }
  if (InPrefix(a, kNat64, 96)) return std::nullopt;  // NAT64 of a public address
  // Everything outside 2000::/3 is unassigned or special (IPv4-compatible addresses included): never public.
  if ((a.bytes[0] & 0xe0) != 0x20) return "reserved";
  return std::nullopt;
}

std::optional<std::string> CanonicalHostName(std::string_view name) {
  if (name.empty() || name.size() > kMaxInputLength || name.find('\0') != std::string_view::npos) {
    return std::nullopt;
  }
  if (ParseIpLiteral(name)) return std::nullopt;
  if (name.back() == '.') name.remove_suffix(1);
  std::string out;
  for (std::string_view label : Split(name, '.')) {
    if (label.empty()) return std::nullopt;
    std::optional<std::string> ascii = LabelToAscii(label);
    if (!ascii) return std::nullopt;
    out += (out.empty() ? "" : ".") + *ascii;
  }
  // UTS #46 maps full-width digits and dots too: check the result, not only the input.
  if (!ValidCanonicalName(out) || ParseIpLiteral(out)) return std::nullopt;
  return out;
}

bool EndpointPattern::MatchesName(std::string_view canonical_host, uint16_t port) const {
  if (port < port_lo || port > port_hi) return false;
  switch (kind) {
    case Kind::kName: return canonical_host == name;
    case Kind::kWildcard:
      // A strict subdomain: at least one more label, joined by a dot, so "evilexample.org" is not under it.
      return canonical_host.size() > name.size() + 1 && canonical_host.ends_with(name) &&
             canonical_host[canonical_host.size() - name.size() - 1] == '.';
    case Kind::kAddress: return false;
  }
  return false;
}

bool EndpointPattern::MatchesAddress(const IpAddress& addr, uint16_t port) const {
  if (kind != Kind::kAddress || port < port_lo || port > port_hi) return false;
  return Normalized(address) == Normalized(addr);
}

bool EndpointPattern::Covers(const EndpointPattern& other) const {
  if (!PortsCover(*this, other)) return false;
  switch (kind) {
    case Kind::kName: return other.kind == Kind::kName && other.name == name;
    case Kind::kWildcard:
      // *.example.org covers *.example.org, *.a.example.org and a.example.org.
      if (other.kind == Kind::kWildcard && other.name == name) return true;
      return other.kind != Kind::kAddress && MatchesName(other.name, other.port_lo);
    case Kind::kAddress: return other.kind == Kind::kAddress && Normalized(other.address) == Normalized(address);
  }
  return false;
}

std::string EndpointPattern::CanonicalText() const {
  std::string host;
  switch (kind) {
    case Kind::kName: host = name; break;
    case Kind::kWildcard: host = "*." + name; break;
    case Kind::kAddress: host = address.v6 ? "[" + address.ToString() + "]" : address.ToString(); break;
  }
  return host + ":" + PortText(port_lo, port_hi);
}

Result<EndpointPattern> ParseEndpointPattern(std::string_view text) {
  const std::string quoted = "\"" + std::string(text) + "\"";
  if (text.empty()) return MakeError("empty host pattern: write host:port, as github.com:443");
  if (text.size() > kMaxInputLength || text.find('\0') != std::string_view::npos) {
    return MakeError("bad host pattern: too long or holds a NUL byte");
  }
  CORDON_ASSIGN_OR_RETURN(auto host_port, SplitHostPort(text));
  auto [host, port] = host_port;
  EndpointPattern p;
  p.text = std::string(text);
  CORDON_ASSIGN_OR_RETURN(auto ports, ParsePortSpec(port, text));
  p.port_lo = ports.first;
  p.port_hi = ports.second;

  if (host == "*") {
    return MakeError(quoted + " is too broad: it allows every host; list the hosts, or use mode = \"full\"");
  }
  if (host.starts_with("*.")) {
    std::string_view suffix = host.substr(2);
    if (suffix.find('*') != std::string_view::npos) {
      return MakeError("bad host pattern " + quoted + ": a wildcard may only be the whole first label (*.example.org)");
    }
    std::optional<std::string> canonical = CanonicalHostName(suffix);
    if (!canonical) return MakeError("bad host pattern " + quoted + ": \"" + std::string(suffix) + "\" is not a valid host name");
    if (canonical->find('.') == std::string::npos) {
      return MakeError(quoted + " is too broad: a wildcard needs at least two labels after it (*.example.org)");
    }
    p.kind = EndpointPattern::Kind::kWildcard;
    p.name = std::move(*canonical);
    return p;
  }
  if (host.find('*') != std::string_view::npos) {
    return MakeError("bad host pattern " + quoted + ": a wildcard may only be the whole first label (*.example.org)");
  }
  if (std::optional<IpAddress> ip = ParseIpLiteral(host)) {
    p.kind = EndpointPattern::Kind::kAddress;
    p.address = *ip;
    return p;
  }
  if (host.starts_with("[")) {
    return MakeError("bad host pattern " + quoted + ": brackets hold an IPv6 address, as [2001:db8::1]:443");
  }
  std::optional<std::string> canonical = CanonicalHostName(host);
  if (!canonical) {
    return MakeError("bad host pattern " + quoted + ": \"" + std::string(host) +
                     "\" is neither a valid host name nor an IP address");
  }
  p.kind = EndpointPattern::Kind::kName;
  p.name = std::move(*canonical);
  return p;
}

NetRules::NetRules(std::vector<EndpointPattern> allow, std::vector<EndpointPattern> deny,
                   std::map<std::string, IpAddress> hosts)
    : allow_(std::move(allow)), deny_(std::move(deny)), hosts_(std::move(hosts)) {
  for (auto& [name, addr] : hosts_) addr = Normalized(addr);
}

NetDecision NetRules::DecideName(std::string_view host, uint16_t port) const {
  if (std::optional<IpAddress> ip = ParseIpLiteral(host)) {
    if (const EndpointPattern* d = FirstAddressMatch(deny_, *ip, port)) return Denied(*d);
    if (const EndpointPattern* a = FirstAddressMatch(allow_, *ip, port)) return Allowed(*a);
    return {false, "", "no allow rule matches"};
  }
  std::optional<std::string> canonical = CanonicalHostName(host);
  if (!canonical) return {false, "", "not a valid host name"};
  if (const EndpointPattern* d = FirstNameMatch(deny_, *canonical, port)) return Denied(*d);
  if (const EndpointPattern* a = FirstNameMatch(allow_, *canonical, port)) return Allowed(*a);
  return {false, "", "no allow rule matches"};
}

std::optional<IpAddress> NetRules::StaticAddress(std::string_view canonical_host) const {
  auto it = hosts_.find(std::string(canonical_host));
  if (it == hosts_.end()) return std::nullopt;
  return it->second;
}

NetDecision NetRules::DecideAddress(std::string_view canonical_host, uint16_t port, const IpAddress& addr) const {
  IpAddress a = Normalized(addr);
  if (const EndpointPattern* d = FirstAddressMatch(deny_, a, port)) return Denied(*d);
  // The hosts map is the policy author's own word on where a name goes, so it may point anywhere.
  if (std::optional<IpAddress> fixed = StaticAddress(canonical_host); fixed && *fixed == a) {
    std::string rule = "hosts." + std::string(canonical_host);
    return {true, rule, "allowed by " + rule};
  }
  if (const EndpointPattern* exact = FirstAddressMatch(allow_, a, port)) return Allowed(*exact);
  if (std::optional<std::string> range = NonPublicRange(a)) return {false, "", a.ToString() + " is " + *range};
  return {true, "", "public address"};
}

}  // namespace cordon::policy
