#include "net/address.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <cstring>

#include "net/protocol.h"

namespace cordon::net {

socklen_t ToSockaddr(const policy::IpAddress& addr, uint16_t port, sockaddr_storage* out) {
  std::memset(out, 0, sizeof(*out));
  if (addr.v6) {
    auto* a = reinterpret_cast<sockaddr_in6*>(out);
    a->sin6_family = AF_INET6;
    a->sin6_port = htons(port);
    std::memcpy(&a->sin6_addr, addr.bytes.data(), 16);
    return sizeof(sockaddr_in6);
  }
  auto* a = reinterpret_cast<sockaddr_in*>(out);
  a->sin_family = AF_INET;
  a->sin_port = htons(port);
  std::memcpy(&a->sin_addr, addr.bytes.data(), 4);
  return sizeof(sockaddr_in);
}

std::optional<policy::IpAddress> FromSockaddr(const sockaddr* sa) {
  policy::IpAddress out;
  if (sa->sa_family == AF_INET) {
    std::memcpy(out.bytes.data(), &reinterpret_cast<const sockaddr_in*>(sa)->sin_addr, 4);
    return out;
  }
  if (sa->sa_family != AF_INET6) return std::nullopt;
  const in6_addr& a6 = reinterpret_cast<const sockaddr_in6*>(sa)->sin6_addr;
  if (IN6_IS_ADDR_V4MAPPED(&a6)) {
    std::memcpy(out.bytes.data(), a6.s6_addr + 12, 4);
    return out;
  }
  out.v6 = true;
  std::memcpy(out.bytes.data(), a6.s6_addr, 16);
  return out;
}

std::string AddressText(const policy::IpAddress& addr) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(addr.v6 ? AF_INET6 : AF_INET, addr.bytes.data(), text, sizeof(text));
  return text;
}

std::string SockaddrText(const sockaddr* sa) {
  std::optional<policy::IpAddress> a = FromSockaddr(sa);
  if (!a) return "?";
  uint16_t port = sa->sa_family == AF_INET ? ntohs(reinterpret_cast<const sockaddr_in*>(sa)->sin_port)
                                           : ntohs(reinterpret_cast<const sockaddr_in6*>(sa)->sin6_port);
  return HostPort(AddressText(*a), port);
}

}  // namespace cordon::net
