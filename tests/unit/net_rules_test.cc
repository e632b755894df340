// Network allowlist rules: IP literal parsing in every notation, non-public ranges, canonical host names,
// endpoint patterns and the two decisions the proxy asks for.
#include "policy/net_rules.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace cordon::policy {
namespace {

using ::testing::HasSubstr;

// The address a literal parses to, printed ("" when it is not an IP literal): compares notations by result.
std::string Ip(std::string_view text) {
  std::optional<IpAddress> ip = ParseIpLiteral(text);
  return ip ? ip->ToString() : "";
}

IpAddress MustIp(std::string_view text) {
  std::optional<IpAddress> ip = ParseIpLiteral(text);
  EXPECT_TRUE(ip.has_value()) << text;
  return ip.value_or(IpAddress{});
}

std::string Range(std::string_view text) { return NonPublicRange(MustIp(text)).value_or("public"); }

std::string Canon(std::string_view name) { return CanonicalHostName(name).value_or("<invalid>"); }

EndpointPattern MustPattern(std::string_view text) {
  Result<EndpointPattern> p = ParseEndpointPattern(text);
  EXPECT_TRUE(p.ok()) << text << ": " << (p.ok() ? "" : p.error().message);
  return p.ok() ? *p : EndpointPattern{};
}

std::string PatternError(std::string_view text) {
  Result<EndpointPattern> p = ParseEndpointPattern(text);
  EXPECT_FALSE(p.ok()) << "pattern unexpectedly accepted: " << text;
  return p.ok() ? "" : p.error().message;
}

std::vector<EndpointPattern> Patterns(std::initializer_list<const char*> texts) {
  std::vector<EndpointPattern> out;
  for (const char* t : texts) out.push_back(MustPattern(t));
  return out;
}

NetRules Rules(std::initializer_list<const char*> allow, std::initializer_list<const char*> deny = {},
               std::map<std::string, IpAddress> hosts = {}) {
  return NetRules(Patterns(allow), Patterns(deny), std::move(hosts));
}

// ---------------------------------------------------------------------------------------------------------------
// ParseIpLiteral

TEST(ParseIpLiteral, DottedQuad) {
  EXPECT_EQ(Ip("127.0.0.1"), "127.0.0.1");
  EXPECT_EQ(Ip("10.1.2.3"), "10.1.2.3");
  EXPECT_EQ(Ip("255.255.255.255"), "255.255.255.255");
  EXPECT_EQ(Ip("0.0.0.0"), "0.0.0.0");
  IpAddress a = MustIp("1.2.3.4");
  EXPECT_FALSE(a.v6);
  EXPECT_EQ(a.bytes[0], 1);
  EXPECT_EQ(a.bytes[3], 4);
  for (size_t i = 4; i < 16; ++i) EXPECT_EQ(a.bytes[i], 0) << i;
}

TEST(ParseIpLiteral, EveryInetAtonNotationOfLoopback) {
  for (const char* s : {"2130706433", "0x7f000001", "0X7F000001", "017700000001", "0177.0.0.1", "0x7f.0.0.1",
                        "127.1", "127.0.1", "0x7f.1", "0177.1", "127.000.000.001", "0x7f.0x0.0x0.0x1",
                        "127.0.0.01"}) {
    EXPECT_EQ(Ip(s), "127.0.0.1") << s;
  }
}

TEST(ParseIpLiteral, OtherShortForms) {
  EXPECT_EQ(Ip("10.1"), "10.0.0.1");
  EXPECT_EQ(Ip("10.1.258"), "10.1.1.2");  // the last part fills the remaining 16 bits
  EXPECT_EQ(Ip("0"), "0.0.0.0");
  EXPECT_EQ(Ip("4294967295"), "255.255.255.255");
  EXPECT_EQ(Ip("169.254.43518"), "169.254.169.254");
  EXPECT_EQ(Ip("0xa9fea9fe"), "169.254.169.254");
  EXPECT_EQ(Ip("2852039166"), "169.254.169.254");
  EXPECT_EQ(Ip("010.0.0.1"), "8.0.0.1");  // a leading zero is octal, as inet_aton and getaddrinfo read it
}

TEST(ParseIpLiteral, NotAnIpLiteral) {
  for (const char* s : {"", "example.com", "1.2.3.4.5", "256.0.0.1", "4294967296", "1.2.3.4 junk", " 1.2.3.4",
                        "1.2.3.4\n", "08.0.0.1", "0x", "1..2", "1.2.3.", ".1.2.3", "[127.0.0.1]", "127.0.0.1:80",
                        "1.2.3.-4", "+1.2.3.4", "::g", "1:2:3:4:5:6:7:8:9", "[::1", "::1]", "[]", "[::1]x",
                        "fe80::1%eth0", "[fe80::1%25eth0]", "localhost", "0x7g000001"}) {
    EXPECT_EQ(Ip(s), "") << "\"" << s << "\" parsed as an IP";
  }
  EXPECT_FALSE(ParseIpLiteral(std::string_view("1.2.3.4\0", 8)).has_value());
  EXPECT_FALSE(ParseIpLiteral(std::string(5000, '1')).has_value());
}

TEST(ParseIpLiteral, Ipv6) {
  EXPECT_EQ(Ip("::1"), "::1");
  EXPECT_EQ(Ip("[::1]"), "::1");
  EXPECT_EQ(Ip("2001:DB8::1"), "2001:db8::1");
  EXPECT_EQ(Ip("[2001:0db8:0000:0000:0000:0000:0000:0001]"), "2001:db8::1");  // zero-padded
  EXPECT_EQ(Ip("fd00:ec2::254"), "fd00:ec2::254");
  EXPECT_EQ(Ip("::"), "::");
  IpAddress a = MustIp("[2606:4700::1111]");
  EXPECT_TRUE(a.v6);
  EXPECT_EQ(a.bytes[0], 0x26);
  EXPECT_EQ(a.bytes[15], 0x11);
}

TEST(ParseIpLiteral, Ipv4MappedBecomesIpv4) {
  for (const char* s : {"::ffff:127.0.0.1", "[::ffff:127.0.0.1]", "::ffff:7f00:1", "0:0:0:0:0:ffff:7f00:0001",
                        "::FFFF:127.0.0.1"}) {
    IpAddress a = MustIp(s);
    EXPECT_FALSE(a.v6) << s;
    EXPECT_EQ(a, MustIp("127.0.0.1")) << s;
  }
  // IPv4-compatible and NAT64 forms stay IPv6 (they are other addresses); NonPublicRange looks inside them.
  EXPECT_TRUE(MustIp("::127.0.0.1").v6);
  EXPECT_TRUE(MustIp("64:ff9b::127.0.0.1").v6);
}

TEST(ParseIpLiteral, ToStringRoundTrips) {
  for (const char* s : {"1.2.3.4", "255.255.255.255", "::1", "2001:db8::8:800:200c:417a", "fd00:ec2::254"}) {
    EXPECT_EQ(MustIp(MustIp(s).ToString()), MustIp(s)) << s;
    EXPECT_EQ(MustIp(s).ToString(), s);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// NonPublicRange

TEST(NonPublicRange, Ipv4Ranges) {
  struct Case {
    const char* ip;
    const char* range;
  };
  for (const Case& c : std::vector<Case>{
           {"0.0.0.0", "unspecified"},      {"0.1.2.3", "unspecified"},      {"10.0.0.1", "private"},
           {"10.255.255.255", "private"},   {"100.64.0.1", "cgnat"},         {"100.127.255.254", "cgnat"},
           {"127.0.0.1", "loopback"},       {"127.255.0.9", "loopback"},     {"169.254.1.1", "link-local"},
           {"172.16.0.1", "private"},       {"172.31.255.255", "private"},   {"192.0.0.8", "reserved"},
           {"192.0.2.1", "documentation"},  {"192.168.1.1", "private"},      {"198.18.0.1", "benchmarking"},
           {"198.19.255.255", "benchmarking"}, {"198.51.100.7", "documentation"}, {"203.0.113.9", "documentation"},
           {"224.0.0.1", "multicast"},      {"239.255.255.250", "multicast"}, {"240.0.0.1", "reserved"},
           {"255.255.255.254", "reserved"}, {"255.255.255.255", "broadcast"},
       }) {
    EXPECT_EQ(Range(c.ip), c.range) << c.ip;
  }
}

TEST(NonPublicRange, CloudMetadataIsNamed) {
  for (const char* ip : {"169.254.169.254", "169.254.170.2", "100.100.100.200", "fd00:ec2::254", "2852039166",
                         "::ffff:169.254.169.254", "[::ffff:a9fe:a9fe]", "64:ff9b::169.254.169.254"}) {
    EXPECT_EQ(Range(ip), "cloud-metadata") << ip;
  }
  // Their neighbours are only the range around them.
  EXPECT_EQ(Range("169.254.169.253"), "link-local");
  EXPECT_EQ(Range("100.100.100.201"), "cgnat");
  EXPECT_EQ(Range("fd00:ec2::253"), "private");
}

TEST(NonPublicRange, RangeEdgesArePublic) {
  for (const char* ip : {"1.1.1.1", "8.8.8.8", "9.255.255.255", "11.0.0.0", "100.63.255.255", "100.128.0.0",
                         "126.255.255.255", "128.0.0.0", "169.253.255.255", "169.255.0.0", "172.15.255.255",
                         "172.32.0.0", "192.0.1.0", "192.0.3.0", "192.167.255.255", "192.169.0.0", "198.17.255.255",
                         "198.20.0.0", "198.51.99.255", "198.51.101.0", "203.0.112.255", "203.0.114.0",
                         "223.255.255.255", "140.82.112.3"}) {
    EXPECT_EQ(Range(ip), "public") << ip;
  }
}

TEST(NonPublicRange, Ipv6Ranges) {
  struct Case {
    const char* ip;
    const char* range;
  };
  for (const Case& c : std::vector<Case>{
           {"::", "unspecified"},         {"::1", "loopback"},        {"fc00::1", "private"},
           {"fdff:ffff::1", "private"},   {"fe80::1", "link-local"},  {"febf::1", "link-local"},
           {"fec0::1", "site-local"},     {"ff02::1", "multicast"},   {"2001:db8::1", "documentation"},
           {"100::1", "discard"},         {"64:ff9b:1::1", "private"}, {"5f00::1", "reserved"},
           {"4000::1", "reserved"},       {"1000::1", "reserved"},
       }) {
    EXPECT_EQ(Range(c.ip), c.range) << c.ip;
  }
  for (const char* ip : {"2606:4700:4700::1111", "2a00:1450:4001::1", "2001:4860:4860::8888", "3fff:ffff::1",
                         "2001:db9::1"}) {
    EXPECT_EQ(Range(ip), "public") << ip;
  }
}

TEST(NonPublicRange, EmbeddedIpv4IsCheckedRecursively) {
  // IPv4-mapped: normally already IPv4 after parsing, but an IpAddress built from a sockaddr_in6 may keep it.
  IpAddress mapped;
  mapped.v6 = true;
  mapped.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 1};
  EXPECT_EQ(NonPublicRange(mapped), "private");
  mapped.bytes[12] = 8;
  mapped.bytes[13] = 8;
  mapped.bytes[14] = 8;
  mapped.bytes[15] = 8;
  EXPECT_EQ(NonPublicRange(mapped), std::nullopt);

  EXPECT_EQ(Range("::127.0.0.1"), "loopback");          // IPv4-compatible
  EXPECT_EQ(Range("::10.0.0.1"), "private");
  EXPECT_EQ(Range("::8.8.8.8"), "reserved");            // deprecated form: never public even around 8.8.8.8
  EXPECT_EQ(Range("64:ff9b::7f00:1"), "loopback");      // NAT64
  EXPECT_EQ(Range("64:ff9b::192.168.0.1"), "private");
  EXPECT_EQ(Range("64:ff9b::8.8.8.8"), "public");
  EXPECT_EQ(Range("2002:7f00:1::"), "loopback");        // 6to4
  EXPECT_EQ(Range("2002:a9fe:a9fe::1"), "cloud-metadata");
  EXPECT_EQ(Range("2002:c0a8:0101::1"), "private");
  EXPECT_EQ(Range("2002:0808:0808::1"), "public");
  EXPECT_EQ(Range("2001:0:4136:e378:8000:63bf:80ff:fffe"), "loopback");  // Teredo, client ~127.0.0.1
  EXPECT_EQ(Range("2001:0:4136:e378:8000:63bf:f7f7:f7f7"), "public");    // Teredo, client 8.8.8.8
}

TEST(NonPublicRange, Ipv4WithStrayBytesIsJudgedByItsFourBytes) {
  IpAddress a;
  a.bytes = {127, 0, 0, 1, 9, 9, 9, 9};
  EXPECT_EQ(NonPublicRange(a), "loopback");
}

// ---------------------------------------------------------------------------------------------------------------
// CanonicalHostName

TEST(CanonicalHostName, CaseAndTrailingDot) {
  EXPECT_EQ(Canon("GitHub.COM"), "github.com");
  EXPECT_EQ(Canon("github.com."), "github.com");
  EXPECT_EQ(Canon("localhost"), "localhost");
  EXPECT_EQ(Canon("_dmarc.Example.org"), "_dmarc.example.org");
  EXPECT_EQ(Canon("r3---sn-abc.googlevideo.com"), "r3---sn-abc.googlevideo.com");  // "--" at 3-4 is fine in DNS
  EXPECT_EQ(Canon("a-b.c9.io"), "a-b.c9.io");
  EXPECT_EQ(Canon("1.2.3.example"), "1.2.3.example");
  EXPECT_EQ(Canon("123abc.com"), "123abc.com");
}

TEST(CanonicalHostName, Idna) {
  EXPECT_EQ(Canon("BÜCHER.example"), "xn--bcher-kva.example");
  EXPECT_EQ(Canon("bücher.example"), "xn--bcher-kva.example");
  EXPECT_EQ(Canon("bu\xcc\x88" "cher.example"), "xn--bcher-kva.example");  // NFD input: u + combining diaeresis
  EXPECT_EQ(Canon("xn--bcher-kva.example"), "xn--bcher-kva.example");       // punycode stays
  EXPECT_EQ(Canon("XN--BCHER-KVA.Example."), "xn--bcher-kva.example");
  EXPECT_EQ(Canon("faß.de"), "xn--fa-hia.de");  // non-transitional: not "fass.de"
  EXPECT_EQ(Canon("例え.テスト"), "xn--r8jz45g.xn--zckzah");
  EXPECT_EQ(Canon("a\xe3\x80\x82" "b.example"), "a.b.example");  // ideographic full stop is a dot
  EXPECT_EQ(Canon("ＥＸＡＭＰＬＥ.com"), "example.com");             // full-width letters
}

TEST(CanonicalHostName, Invalid) {
  for (const char* s : {"", ".", "..", "a..b", ".a.com", "a.com..", "-a.com", "a-.com", "a.-b.com", "a b.com",
                        "a/b.com", "a:b", "a@b.com", "a%b.com", "*.example.com", "ex*mple.com", "a.com\n", "[::1]",
                        "xn--zz.example", "ü-.com", "a\xff.com", "a,b.com", "a+b.com"}) {
    EXPECT_EQ(Canon(s), "<invalid>") << "\"" << s << "\"";
  }
  EXPECT_EQ(Canon(std::string_view("a.com\0.evil", 11)), "<invalid>");
}

TEST(CanonicalHostName, Lengths) {
  std::string label63(63, 'a');
  EXPECT_EQ(Canon(label63 + ".com"), label63 + ".com");
  EXPECT_EQ(Canon(std::string(64, 'a') + ".com"), "<invalid>");
  // 253 characters is the longest name; 254 is too long (a trailing dot does not count).
  std::string name = label63 + "." + label63 + "." + label63 + "." + std::string(61, 'b');
  ASSERT_EQ(name.size(), 253u);
  EXPECT_EQ(Canon(name), name);
  EXPECT_EQ(Canon(name + "."), name);
  EXPECT_EQ(Canon("c" + name), "<invalid>");
  EXPECT_EQ(Canon(std::string(30, '\xc3') + ".com"), "<invalid>");  // not UTF-8
  // A U-label whose A-label is longer than 63.
  EXPECT_EQ(Canon("一严乊乯五亹仞伃伨位佲侗.com"), "xn--4gq6c1e7f9goiqjqkolwmrnyo.com");
  EXPECT_EQ(Canon("一严乊乯五亹仞伃伨位佲侗侼信倆倫偐偵傚傿僤儉儮兓典冝凂凧.com"), "<invalid>");
}

TEST(CanonicalHostName, IpLiteralsAreNotHostNames) {
  for (const char* s : {"127.0.0.1", "2130706433", "0x7f000001", "127.1", "::1", "[::1]", "::ffff:127.0.0.1",
                        "１２７.0.0.1", "127.0.0.1.", "1.2.3.08", "example.0x10", "example.123", "0x7f.1."}) {
    EXPECT_EQ(Canon(s), "<invalid>") << s;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// ParseEndpointPattern

TEST(ParseEndpointPattern, Names) {
  EndpointPattern p = MustPattern("GitHub.com:443");
  EXPECT_EQ(p.kind, EndpointPattern::Kind::kName);
  EXPECT_EQ(p.name, "github.com");
  EXPECT_EQ(p.port_lo, 443);
  EXPECT_EQ(p.port_hi, 443);
  EXPECT_EQ(p.text, "GitHub.com:443");
  EXPECT_EQ(p.CanonicalText(), "github.com:443");
  EXPECT_EQ(MustPattern("bücher.example:80").name, "xn--bcher-kva.example");
  EXPECT_EQ(MustPattern("localhost:8080").name, "localhost");
}

TEST(ParseEndpointPattern, Wildcards) {
  EndpointPattern p = MustPattern("*.Example.org:443");
  EXPECT_EQ(p.kind, EndpointPattern::Kind::kWildcard);
  EXPECT_EQ(p.name, "example.org");
  EXPECT_EQ(p.CanonicalText(), "*.example.org:443");
  EXPECT_EQ(MustPattern("*.a.b.example.org.:*").name, "a.b.example.org");
}

TEST(ParseEndpointPattern, Addresses) {
  EndpointPattern p = MustPattern("10.1.2.3:8080");
  EXPECT_EQ(p.kind, EndpointPattern::Kind::kAddress);
  EXPECT_EQ(p.address, MustIp("10.1.2.3"));
  EXPECT_EQ(MustPattern("2130706433:80").address, MustIp("127.0.0.1"));
  EXPECT_EQ(MustPattern("127.1:80").CanonicalText(), "127.0.0.1:80");
  EndpointPattern v6 = MustPattern("[2001:DB8::1]:443");
  EXPECT_EQ(v6.kind, EndpointPattern::Kind::kAddress);
  EXPECT_EQ(v6.CanonicalText(), "[2001:db8::1]:443");
  EXPECT_EQ(MustPattern("[::ffff:10.0.0.1]:22").CanonicalText(), "10.0.0.1:22");
}

TEST(ParseEndpointPattern, Ports) {
  EndpointPattern range = MustPattern("host.example:8000-8100");
  EXPECT_EQ(range.port_lo, 8000);
  EXPECT_EQ(range.port_hi, 8100);
  EndpointPattern any = MustPattern("host.example:*");
  EXPECT_EQ(any.port_lo, 1);
  EXPECT_EQ(any.port_hi, 65535);
  EXPECT_EQ(any.CanonicalText(), "host.example:*");
  EXPECT_EQ(MustPattern("h.example:1").port_lo, 1);
  EXPECT_EQ(MustPattern("h.example:65535").port_hi, 65535);
  EXPECT_EQ(MustPattern("h.example:1-65535").CanonicalText(), "h.example:*");
  EXPECT_EQ(MustPattern("h.example:0443").port_lo, 443);
  EXPECT_EQ(MustPattern("h.example:22-22").CanonicalText(), "h.example:22");
}

TEST(ParseEndpointPattern, BadPorts) {
  EXPECT_THAT(PatternError("github.com:70000"), HasSubstr("port 70000 out of range 1-65535"));
  EXPECT_THAT(PatternError("github.com:0"), HasSubstr("out of range"));
  EXPECT_THAT(PatternError("github.com:99999999999999999999"), HasSubstr("out of range"));
  EXPECT_THAT(PatternError("github.com:1-70000"), HasSubstr("out of range"));
  EXPECT_THAT(PatternError("github.com:8100-8000"), HasSubstr("reversed"));
  for (const char* s : {"github.com:", "github.com:https", "github.com:-1", "github.com:+443", "github.com:44 3",
                        "github.com:1-", "github.com:-", "github.com:1-2-3", "github.com:**", "github.com:443 ",
                        "[::1]:", "github.com:0x50"}) {
    EXPECT_THAT(PatternError(s), HasSubstr("port")) << s;
  }
}

TEST(ParseEndpointPattern, MissingPortSaysWhatToWrite) {
  std::string e = PatternError("github.com");
  EXPECT_THAT(e, HasSubstr("missing port"));
  EXPECT_THAT(e, HasSubstr("github.com:443"));
  EXPECT_THAT(e, HasSubstr("github.com:*"));
  EXPECT_THAT(PatternError("[::1]"), HasSubstr("missing port"));
  EXPECT_THAT(PatternError("*.example.org"), HasSubstr("missing port"));
}

TEST(ParseEndpointPattern, TooBroad) {
  EXPECT_THAT(PatternError("*:443"), HasSubstr("too broad"));
  EXPECT_THAT(PatternError("*:*"), HasSubstr("too broad"));
  EXPECT_THAT(PatternError("*.com:443"), HasSubstr("too broad"));
  EXPECT_THAT(PatternError("*.COM.:443"), HasSubstr("too broad"));
  EXPECT_THAT(PatternError("*.xn--zckzah:443"), HasSubstr("too broad"));
}

TEST(ParseEndpointPattern, BadHosts) {
  for (const char* s : {"*example.org:443", "a.*.example.org:443", "*.*.example.org:443", "**.example.org:443",
                        "example.*:443", "*.:443", "*:", ":443", "exa mple.com:443", "-a.com:443", "a..b:443",
                        "[github.com]:443", "[127.0.0.1]:80", "[::1]x:80", "[::1:80", "::1:80", "1:2::3:443",
                        "256.1.1.1:80", "1.2.3.08:80", "10.0.0.0/8:80", "host_name%:1", "*.1.2.3.4:80",
                        "*.0.0.1:80"}) {
    Result<EndpointPattern> p = ParseEndpointPattern(s);
    EXPECT_FALSE(p.ok()) << "accepted: " << s;
    if (!p.ok()) {
      EXPECT_THAT(p.error().message, HasSubstr(s)) << "the error quotes the pattern";
    }
  }
  EXPECT_THAT(PatternError("::1:80"), HasSubstr("brackets"));
  EXPECT_THAT(PatternError("a.*.example.org:443"), HasSubstr("first label"));
  EXPECT_THAT(PatternError(""), HasSubstr("empty"));
  EXPECT_FALSE(ParseEndpointPattern(std::string_view("a.com\0:443", 10)).ok());
}

// ---------------------------------------------------------------------------------------------------------------
// Matching

TEST(EndpointPattern, NameMatchesExactlyAndOnItsPorts) {
  EndpointPattern p = MustPattern("github.com:443");
  EXPECT_TRUE(p.MatchesName("github.com", 443));
  EXPECT_FALSE(p.MatchesName("github.com", 80));
  EXPECT_FALSE(p.MatchesName("api.github.com", 443));
  EXPECT_FALSE(p.MatchesName("evilgithub.com", 443));
  EXPECT_FALSE(p.MatchesName("github.com.evil.org", 443));
  EXPECT_FALSE(p.MatchesAddress(MustIp("140.82.112.3"), 443));
}

TEST(EndpointPattern, WildcardMatchesStrictSubdomainsOnly) {
  EndpointPattern p = MustPattern("*.example.org:443");
  EXPECT_TRUE(p.MatchesName("a.example.org", 443));
  EXPECT_TRUE(p.MatchesName("a.b.example.org", 443));
  EXPECT_TRUE(p.MatchesName("_x.example.org", 443));
  EXPECT_FALSE(p.MatchesName("example.org", 443));
  EXPECT_FALSE(p.MatchesName("evilexample.org", 443));
  EXPECT_FALSE(p.MatchesName("a.evilexample.org", 443));
  EXPECT_FALSE(p.MatchesName(".example.org", 443));  // an empty first label is no subdomain
  EXPECT_FALSE(p.MatchesName("example.org.evil.com", 443));
  EXPECT_FALSE(p.MatchesName("a.example.org", 444));
  EXPECT_FALSE(p.MatchesName("org", 443));
}

TEST(EndpointPattern, PortRanges) {
  EndpointPattern p = MustPattern("h.example:8000-8100");
  EXPECT_FALSE(p.MatchesName("h.example", 7999));
  EXPECT_TRUE(p.MatchesName("h.example", 8000));
  EXPECT_TRUE(p.MatchesName("h.example", 8050));
  EXPECT_TRUE(p.MatchesName("h.example", 8100));
  EXPECT_FALSE(p.MatchesName("h.example", 8101));
  EndpointPattern any = MustPattern("h.example:*");
  EXPECT_TRUE(any.MatchesName("h.example", 1));
  EXPECT_TRUE(any.MatchesName("h.example", 65535));
  EXPECT_FALSE(any.MatchesName("h.example", 0));
}

TEST(EndpointPattern, AddressMatchesAnyNotationOfTheSameAddress) {
  EndpointPattern p = MustPattern("127.0.0.1:80");
  EXPECT_TRUE(p.MatchesAddress(MustIp("2130706433"), 80));
  EXPECT_TRUE(p.MatchesAddress(MustIp("::ffff:127.0.0.1"), 80));
  EXPECT_FALSE(p.MatchesAddress(MustIp("127.0.0.2"), 80));
  EXPECT_FALSE(p.MatchesAddress(MustIp("::1"), 80));
  EXPECT_FALSE(p.MatchesAddress(MustIp("127.0.0.1"), 81));
  EXPECT_FALSE(p.MatchesName("127.0.0.1", 80));
  IpAddress mapped;  // as a resolver might hand it over
  mapped.v6 = true;
  mapped.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1};
  EXPECT_TRUE(p.MatchesAddress(mapped, 80));
  EXPECT_TRUE(MustPattern("[::1]:80").MatchesAddress(MustIp("0:0:0:0:0:0:0:1"), 80));
}

TEST(EndpointPattern, Covers) {
  EXPECT_TRUE(MustPattern("*.example.org:*").Covers(MustPattern("api.example.org:443")));
  EXPECT_TRUE(MustPattern("*.example.org:*").Covers(MustPattern("*.a.example.org:443")));
  EXPECT_TRUE(MustPattern("*.example.org:443").Covers(MustPattern("*.Example.org:443")));
  EXPECT_TRUE(MustPattern("github.com:1-1000").Covers(MustPattern("GITHUB.com:443")));
  EXPECT_TRUE(MustPattern("127.0.0.1:*").Covers(MustPattern("2130706433:80")));
  EXPECT_FALSE(MustPattern("*.example.org:*").Covers(MustPattern("example.org:443")));
  EXPECT_FALSE(MustPattern("*.a.example.org:*").Covers(MustPattern("*.example.org:443")));
  EXPECT_FALSE(MustPattern("github.com:443").Covers(MustPattern("github.com:442-443")));
  EXPECT_FALSE(MustPattern("github.com:443").Covers(MustPattern("*.github.com:443")));
  EXPECT_FALSE(MustPattern("127.0.0.1:*").Covers(MustPattern("localhost:80")));
  EXPECT_FALSE(MustPattern("localhost:*").Covers(MustPattern("127.0.0.1:80")));
}

// ---------------------------------------------------------------------------------------------------------------
// NetRules::DecideName

TEST(DecideName, AllowedByItsRule) {
  NetRules r = Rules({"github.com:443", "*.example.org:443"});
  NetDecision d = r.DecideName("GitHub.com.", 443);
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, "github.com:443");
  EXPECT_EQ(d.reason, "allowed by github.com:443");
  EXPECT_TRUE(r.DecideName("api.example.org", 443).allowed);
  EXPECT_EQ(r.DecideName("api.example.org", 443).rule, "*.example.org:443");
}

TEST(DecideName, NoRuleMeansNo) {
  NetRules r = Rules({"github.com:443", "*.example.org:443"});
  for (auto [host, port] : std::vector<std::pair<const char*, uint16_t>>{{"github.com", 80},
                                                                           {"gist.github.com", 443},
                                                                           {"example.org", 443},
                                                                           {"evilexample.org", 443},
                                                                           {"example.org.evil.com", 443},
                                                                           {"github.com", 0}}) {
    NetDecision d = r.DecideName(host, port);
    EXPECT_FALSE(d.allowed) << host << ":" << port;
    EXPECT_EQ(d.rule, "");
    EXPECT_EQ(d.reason, "no allow rule matches");
  }
  EXPECT_FALSE(NetRules().DecideName("github.com", 443).allowed);
}

TEST(DecideName, DenyWinsOverAllow) {
  NetRules r = Rules({"*.example.org:*", "api.example.org:443"}, {"secret.example.org:*", "*.evil.example.org:443"});
  EXPECT_TRUE(r.DecideName("api.example.org", 443).allowed);
  NetDecision d = r.DecideName("SECRET.example.org", 443);
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.rule, "secret.example.org:*");
  EXPECT_EQ(d.reason, "denied by secret.example.org:*");
  EXPECT_FALSE(r.DecideName("x.evil.example.org", 443).allowed);
  EXPECT_TRUE(r.DecideName("x.evil.example.org", 80).allowed);  // the deny is on 443 only
  EXPECT_TRUE(r.DecideName("evil.example.org", 443).allowed);    // the deny wildcard is strict too
}

TEST(DecideName, IpLiteralMatchesAddressPatternsOnly) {
  NetRules r = Rules({"127.0.0.1:80", "localhost:8080", "[::1]:9000"});
  for (const char* host : {"127.0.0.1", "2130706433", "0x7f000001", "0177.0.0.1", "127.1", "::ffff:127.0.0.1",
                           "[::ffff:7f00:1]"}) {
    NetDecision d = r.DecideName(host, 80);
    EXPECT_TRUE(d.allowed) << host;
    EXPECT_EQ(d.rule, "127.0.0.1:80") << host;
  }
  EXPECT_FALSE(r.DecideName("127.0.0.1", 8080).allowed);  // "localhost:8080" is a name pattern
  EXPECT_FALSE(r.DecideName("localhost", 80).allowed);    // "127.0.0.1:80" is an address pattern
  EXPECT_TRUE(r.DecideName("localhost", 8080).allowed);
  EXPECT_TRUE(r.DecideName("[::1]", 9000).allowed);
  EXPECT_TRUE(r.DecideName("::1", 9000).allowed);
  EXPECT_FALSE(r.DecideName("127.0.0.2", 80).allowed);
}

TEST(DecideName, NamePatternNeverMatchesAnAddressSpelling) {
  // A wildcard over digits is refused at parse time, and a requested IP never reaches name patterns.
  NetRules r = Rules({"*.example.org:*"});
  EXPECT_FALSE(r.DecideName("1.2.3.4", 80).allowed);
  EXPECT_FALSE(r.DecideName("16909060", 80).allowed);
}

TEST(DecideName, DeniedAddressLiteral) {
  NetRules r = Rules({"10.0.0.0:80", "10.0.0.1:*"}, {"10.0.0.1:22"});
  NetDecision d = r.DecideName("167772161", 22);  // 10.0.0.1
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "denied by 10.0.0.1:22");
  EXPECT_TRUE(r.DecideName("10.0.0.1", 23).allowed);
}

TEST(DecideName, InvalidHost) {
  NetRules r = Rules({"github.com:443"});
  for (const char* host : {"", "github..com", "git hub.com", "-github.com", "github.com/x", "a.com\r\nX: y",
                           "1.2.3.08", "[github.com]"}) {
    NetDecision d = r.DecideName(host, 443);
    EXPECT_FALSE(d.allowed) << host;
    EXPECT_EQ(d.reason, "not a valid host name") << host;
  }
}

TEST(DecideName, IdnaFormsAreOneName) {
  NetRules r = Rules({"bücher.example:443"});
  EXPECT_TRUE(r.DecideName("xn--bcher-kva.example", 443).allowed);
  EXPECT_TRUE(r.DecideName("BÜCHER.example.", 443).allowed);
  EXPECT_FALSE(r.DecideName("bucher.example", 443).allowed);
}

TEST(DecideName, HostsMapAllowsNothingByItself) {
  NetRules r = Rules({}, {}, {{"mirror.internal", MustIp("10.0.0.5")}});
  EXPECT_FALSE(r.DecideName("mirror.internal", 443).allowed);
  EXPECT_EQ(r.StaticAddress("mirror.internal"), MustIp("10.0.0.5"));
  EXPECT_EQ(r.StaticAddress("other.internal"), std::nullopt);
}

// ---------------------------------------------------------------------------------------------------------------
// NetRules::DecideAddress

TEST(DecideAddress, PublicAddressOfAnAllowedName) {
  NetRules r = Rules({"github.com:443"});
  NetDecision d = r.DecideAddress("github.com", 443, MustIp("140.82.112.3"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.reason, "public address");
  EXPECT_TRUE(r.DecideAddress("github.com", 443, MustIp("2606:50c0:8000::153")).allowed);
}

TEST(DecideAddress, NonPublicAnswersForAnAllowedNameAreRefused) {
  // DNS rebinding: the allowed name resolves to the host's own services, the LAN or the metadata service.
  NetRules r = Rules({"github.com:443"});
  struct Case {
    const char* ip;
    const char* reason;
  };
  for (const Case& c : std::vector<Case>{{"127.0.0.1", "127.0.0.1 is loopback"},
                                         {"::1", "::1 is loopback"},
                                         {"::ffff:127.0.0.1", "127.0.0.1 is loopback"},
                                         {"10.0.0.1", "10.0.0.1 is private"},
                                         {"192.168.1.10", "192.168.1.10 is private"},
                                         {"172.17.0.1", "172.17.0.1 is private"},
                                         {"169.254.169.254", "169.254.169.254 is cloud-metadata"},
                                         {"fd00:ec2::254", "fd00:ec2::254 is cloud-metadata"},
                                         {"100.64.1.1", "100.64.1.1 is cgnat"},
                                         {"fe80::1", "fe80::1 is link-local"},
                                         {"0.0.0.0", "0.0.0.0 is unspecified"},
                                         {"64:ff9b::a9fe:a9fe", "64:ff9b::a9fe:a9fe is cloud-metadata"}}) {
    NetDecision d = r.DecideAddress("github.com", 443, MustIp(c.ip));
    EXPECT_FALSE(d.allowed) << c.ip;
    EXPECT_EQ(d.reason, c.reason) << c.ip;
    EXPECT_EQ(d.rule, "") << c.ip;
  }
}

TEST(DecideAddress, HostsMapMayPointAnywhere) {
  NetRules r = Rules({"mirror.internal:443"}, {}, {{"mirror.internal", MustIp("127.0.0.1")}});
  NetDecision d = r.DecideAddress("mirror.internal", 443, MustIp("127.0.0.1"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, "hosts.mirror.internal");
  EXPECT_EQ(d.reason, "allowed by hosts.mirror.internal");
  // Only that address, and only for that name.
  EXPECT_FALSE(r.DecideAddress("mirror.internal", 443, MustIp("127.0.0.2")).allowed);
  EXPECT_FALSE(r.DecideAddress("other.internal", 443, MustIp("127.0.0.1")).allowed);
}

TEST(DecideAddress, HostsMapAddressIsNormalised) {
  IpAddress mapped;
  mapped.v6 = true;
  mapped.bytes = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 10, 0, 0, 5};
  NetRules r = Rules({"mirror.internal:443"}, {}, {{"mirror.internal", mapped}});
  EXPECT_TRUE(r.DecideAddress("mirror.internal", 443, MustIp("10.0.0.5")).allowed);
  EXPECT_EQ(r.StaticAddress("mirror.internal"), MustIp("10.0.0.5"));
}

TEST(DecideAddress, ExactAddressAllowLetsANameReachIt) {
  NetRules r = Rules({"registry.lan:5000", "10.1.2.3:5000"});
  NetDecision d = r.DecideAddress("registry.lan", 5000, MustIp("10.1.2.3"));
  EXPECT_TRUE(d.allowed);
  EXPECT_EQ(d.rule, "10.1.2.3:5000");
  EXPECT_FALSE(r.DecideAddress("registry.lan", 5001, MustIp("10.1.2.3")).allowed);  // not that port
  EXPECT_FALSE(r.DecideAddress("registry.lan", 5000, MustIp("10.1.2.4")).allowed);  // not that address
}

TEST(DecideAddress, IpLiteralRequestAllowedExactly) {
  NetRules r = Rules({"127.0.0.1:80", "8.8.8.8:53"});
  EXPECT_TRUE(r.DecideAddress("127.0.0.1", 80, MustIp("2130706433")).allowed);
  EXPECT_TRUE(r.DecideAddress("8.8.8.8", 53, MustIp("8.8.8.8")).allowed);
}

TEST(DecideAddress, DenyOnAnAddressWinsOverHostsAndAllow) {
  NetRules r = Rules({"a.example:443", "10.0.0.9:443"}, {"10.0.0.9:*", "140.82.112.3:443"},
                     {{"a.example", MustIp("10.0.0.9")}});
  NetDecision d = r.DecideAddress("a.example", 443, MustIp("10.0.0.9"));
  EXPECT_FALSE(d.allowed);
  EXPECT_EQ(d.reason, "denied by 10.0.0.9:*");
  EXPECT_FALSE(r.DecideAddress("github.com", 443, MustIp("140.82.112.3")).allowed);  // even a public one
}

}  // namespace
}  // namespace cordon::policy
