// The platform seam of net_rules.cc (policy/net_platform.h): the same answers from glibc + libidn2 on Linux and from
// Winsock + IdnToAscii + the hand-written inet_aton under Wine / Windows.
#include <gtest/gtest.h>

#include "policy/net_rules.h"

namespace cordon::policy {
namespace {

std::string Ip(std::string_view text) {
  std::optional<IpAddress> ip = ParseIpLiteral(text);
  return ip ? ip->ToString() : "<none>";
}

TEST(NetPlatformTest, InetAtonNotations) {
  EXPECT_EQ(Ip("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(Ip("0x7f.1"), "127.0.0.1");
  EXPECT_EQ(Ip("0177.0.0.1"), "127.0.0.1");
  EXPECT_EQ(Ip("2130706433"), "127.0.0.1");
  EXPECT_EQ(Ip("10.1.258"), "10.1.1.2");
  EXPECT_EQ(Ip("1.2.3.4.5"), "<none>");
  EXPECT_EQ(Ip("256.1.1.1"), "<none>");
  EXPECT_EQ(Ip("1.2.65536"), "<none>");
  EXPECT_EQ(Ip("08.1.1.1"), "<none>");
  EXPECT_EQ(Ip("4294967296"), "<none>");
}

TEST(NetPlatformTest, Ipv6) {
  EXPECT_EQ(Ip("::1"), "::1");
  EXPECT_EQ(Ip("::ffff:7f00:1"), "127.0.0.1");
  EXPECT_EQ(Ip("2001:db8::1"), "2001:db8::1");
  EXPECT_EQ(Ip("2001:db8:::1"), "<none>");
}

TEST(NetPlatformTest, Idna) {
  EXPECT_EQ(CanonicalHostName("BÜCHER.example").value_or("<invalid>"), "xn--bcher-kva.example");
  EXPECT_EQ(CanonicalHostName("xn--bcher-kva.example").value_or("<invalid>"), "xn--bcher-kva.example");
  EXPECT_EQ(CanonicalHostName("example.com").value_or("<invalid>"), "example.com");
}

}  // namespace
}  // namespace cordon::policy
