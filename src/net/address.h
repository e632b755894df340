// Conversions between the policy's IpAddress and the socket API's sockaddr, and the text forms the proxy
// writes into events ("10.0.0.1", "[::1]:8080").
#pragma once

#include <sys/socket.h>

#include <cstdint>
#include <optional>
#include <string>

#include "policy/net_rules.h"

namespace cordon::net {

// Fills *out for connect(); returns the length to pass with it.
socklen_t ToSockaddr(const policy::IpAddress& addr, uint16_t port, sockaddr_storage* out);
// AF_INET or AF_INET6 (an IPv4-mapped IPv6 address becomes IPv4, as in the policy); nullopt for other families.
std::optional<policy::IpAddress> FromSockaddr(const sockaddr* sa);
// "10.0.0.1", "2001:db8::1".
std::string AddressText(const policy::IpAddress& addr);
// "10.0.0.1:5000", "[::1]:5000"; "?" for a family that is not IP.
std::string SockaddrText(const sockaddr* sa);

}  // namespace cordon::net
