// Network allowlist rules: pure data and decisions, no sockets. The proxy (net/) asks these two questions:
//   1. may the sandbox ask for HOST:PORT at all?            DecideName
//   2. may it be sent to this resolved address?             DecideAddress
// Host names are compared in canonical form (lower case, no trailing dot, IDNA A-labels); IP literals in any
// notation inet_aton accepts (decimal, hex, octal, short forms) and IPv6 (incl. IPv4-mapped) are normalised first.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "policy/origin.h"

namespace cordon::policy {

// An IPv4 or IPv6 address. IPv4 is kept as 4 bytes; an IPv4-mapped IPv6 address (::ffff:a.b.c.d) becomes IPv4.
struct IpAddress {
  bool v6 = false;
  std::array<uint8_t, 16> bytes{};  // v4: first 4 bytes
  std::string ToString() const;     // "10.0.0.1", "fd00:ec2::254"
  friend bool operator==(const IpAddress&, const IpAddress&) = default;
};

// Parses an IP literal in any notation (see above); brackets around IPv6 are accepted. nullopt: not an IP literal.
std::optional<IpAddress> ParseIpLiteral(std::string_view text);

// Why an address must not be reached unless explicitly allowed: "loopback", "private", "link-local", "cgnat",
// "cloud-metadata", "unspecified", "multicast", "broadcast", "reserved", "documentation", "benchmarking",
// "site-local", "discard". nullopt for a public unicast address. IPv6 forms that carry an IPv4 address to an
// IPv4 host (IPv4-mapped, IPv4-compatible, NAT64 64:ff9b::/96, 6to4 2002::/16, Teredo) are judged by the IPv4
// address inside; IPv6 outside 2000::/3 is never public. Not protected against: a public address that routes
// somewhere private (a NAT64 gateway of the operator's own, a cloud's internal public ranges).
std::optional<std::string> NonPublicRange(const IpAddress& addr);

// Lower case, no trailing dot, IDNA (UTS #46, non-transitional) to A-labels; each label 1..63 of [a-z0-9-_]
// not starting or ending with '-', total <= 253. nullopt when the name is not a valid host name: an IP literal
// in any notation is not a host name, nor is a name whose last label is a number ("1.2.3.08": inet_aton and
// browsers read such names as IPv4). ASCII labels are only lower-cased (so "r3---sn-x" stays valid, as in DNS);
// labels with non-ASCII characters or "xn--" go through libidn2.
std::optional<std::string> CanonicalHostName(std::string_view name);

// One allow/deny entry: "github.com:443", "*.example.org:443", "10.1.2.3:8080", "[::1]:80", "host:8000-8100".
struct EndpointPattern {
  enum class Kind { kName, kWildcard, kAddress } kind = Kind::kName;
  std::string name;     // kName: canonical name; kWildcard: canonical suffix without "*." ("example.org")
  IpAddress address;    // kAddress
  uint16_t port_lo = 0;
  uint16_t port_hi = 0;
  std::string text;     // as written, for decisions and errors
  Origin origin;

  // kWildcard matches strict subdomains only: "a.example.org" yes, "example.org" and "evilexample.org" no.
  bool MatchesName(std::string_view canonical_host, uint16_t port) const;
  // kAddress only; IPv4-mapped IPv6 compares equal to its IPv4 address.
  bool MatchesAddress(const IpAddress& addr, uint16_t port) const;
  // Everything `other` matches, this matches too (same kind of target, ports included): the loader uses it to
  // find an allow entry that a deny entry makes dead.
  bool Covers(const EndpointPattern& other) const;
  // One spelling per pattern: "github.com:443", "*.example.org:*", "127.0.0.1:8000-8100", "[::1]:80".
  std::string CanonicalText() const;
};

// Parses one pattern; the error quotes it and names what is wrong ("port 70000 out of range 1-65535", "bad host
// pattern ...", "missing port ...: write host:443 ... or host:*"). Port: N, N-M, or * (1-65535). Refused as too
// broad: "*" alone and a wildcard over a single label ("*.com"). Not protected against: other public suffixes
// ("*.co.uk" is accepted; there is no public suffix list here). `origin` is left for the caller to fill.
Result<EndpointPattern> ParseEndpointPattern(std::string_view text);

struct NetDecision {
  bool allowed = false;
  std::string rule;    // the pattern text that decided ("github.com:443"), empty when no rule matched
  std::string reason;  // "allowed by github.com:443", "denied by *.evil.com:*", "no allow rule matches",
                       // "127.0.0.1 is loopback", "not a valid host name"
};

// The validated [network] section in decision-ready form.
class NetRules {
 public:
  NetRules() = default;
  // allow/deny: parsed patterns; hosts: canonical name -> address (the static map, consulted before DNS).
  NetRules(std::vector<EndpointPattern> allow, std::vector<EndpointPattern> deny,
           std::map<std::string, IpAddress> hosts);

  // Decides on the requested host (a name or an IP literal, as the client sent it) and port. Deny wins over allow.
  // A name matches only name/wildcard patterns; an IP literal only address patterns. The hosts map allows
  // nothing by itself.
  NetDecision DecideName(std::string_view host, uint16_t port) const;
  // The static address for a (canonical) name, if the hosts map has one.
  std::optional<IpAddress> StaticAddress(std::string_view canonical_host) const;
  // Decides on one resolved address for a request DecideName allowed. A non-public address is refused unless the
  // hosts map sent the name there or an address pattern allows exactly that address and port. Deny patterns on
  // addresses also apply here (first). Reasons: "denied by X", "allowed by hosts.NAME", "allowed by X",
  // "127.0.0.1 is loopback", "public address" (allowed; `rule` empty).
  NetDecision DecideAddress(std::string_view canonical_host, uint16_t port, const IpAddress& addr) const;

  const std::vector<EndpointPattern>& allow() const { return allow_; }
  const std::vector<EndpointPattern>& deny() const { return deny_; }
  const std::map<std::string, IpAddress>& hosts() const { return hosts_; }

 private:
  std::vector<EndpointPattern> allow_, deny_;
  std::map<std::string, IpAddress> hosts_;
};

}  // namespace cordon::policy
