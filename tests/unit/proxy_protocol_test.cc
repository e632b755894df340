// The proxy's request parsers and reply encoders: every request form, every malformed case, and the same
// answer whichever way the bytes are split.
#include "net/protocol.h"

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

#include <string>
#include <vector>

namespace cordon::net {
namespace {

using namespace std::string_literals;

struct HttpOutcome {
  ParseStatus status = ParseStatus::kNeedMore;
  HttpRequest req;
  HttpParseError err;
};

HttpOutcome Whole(const std::string& in, size_t max_head = kDefaultMaxHeadBytes, size_t max_headers = 100) {
  HttpHeadParser p(max_head, max_headers);
  HttpOutcome o;
  o.status = p.Parse(in);
  if (o.status == ParseStatus::kDone) o.req = p.request();
  if (o.status == ParseStatus::kError) o.err = p.error();
  return o;
}

void ExpectSame(const HttpOutcome& a, const HttpOutcome& b, const std::string& where) {
  ASSERT_EQ(a.status, b.status) << where;
  if (a.status == ParseStatus::kDone) {
    EXPECT_EQ(a.req.protocol, b.req.protocol) << where;
    EXPECT_EQ(a.req.method, b.req.method) << where;
    EXPECT_EQ(a.req.host, b.req.host) << where;
    EXPECT_EQ(a.req.port, b.req.port) << where;
    EXPECT_EQ(a.req.upstream_head, b.req.upstream_head) << where;
    EXPECT_EQ(a.req.head_bytes, b.req.head_bytes) << where;
  }
  if (a.status == ParseStatus::kError) {
    EXPECT_EQ(a.err.status, b.err.status) << where;
    EXPECT_EQ(a.err.message, b.err.message) << where;
  }
}

// Feeds the input as a growing buffer split in two at every position, and byte by byte; every way must give the
// whole-input answer, and a valid head must not be reported done before its last byte arrived.
void ExpectSplitInvariant(const std::string& in, size_t max_head = kDefaultMaxHeadBytes) {
  const HttpOutcome whole = Whole(in, max_head);
  for (size_t split = 0; split <= in.size(); ++split) {
    HttpHeadParser p(max_head);
    ParseStatus first = p.Parse(std::string_view(in).substr(0, split));
    if (whole.status == ParseStatus::kDone && split < whole.req.head_bytes) {
      ASSERT_EQ(first, ParseStatus::kNeedMore) << "done early at " << split;
    }
    HttpOutcome o;
    o.status = p.Parse(in);
    if (o.status == ParseStatus::kDone) o.req = p.request();
    if (o.status == ParseStatus::kError) o.err = p.error();
    ExpectSame(whole, o, "split at " + std::to_string(split));
  }
  HttpHeadParser p(max_head);
  ParseStatus s = ParseStatus::kNeedMore;
  for (size_t i = 1; i <= in.size() && s == ParseStatus::kNeedMore; ++i) s = p.Parse(std::string_view(in).substr(0, i));
  HttpOutcome o;
  o.status = p.Parse(in);
  if (o.status == ParseStatus::kDone) o.req = p.request();
  if (o.status == ParseStatus::kError) o.err = p.error();
  ExpectSame(whole, o, "byte by byte");
}

// ---- CONNECT ----

TEST(HttpHead, ConnectAuthorityForm) {
  const std::string in = "CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\nUser-Agent: t\r\n\r\n";
  HttpOutcome o = Whole(in);
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.protocol, Protocol::kConnect);
  EXPECT_EQ(o.req.method, "CONNECT");
  EXPECT_EQ(o.req.host, "example.com");
  EXPECT_EQ(o.req.port, 443);
  EXPECT_EQ(o.req.head_bytes, in.size());
  EXPECT_TRUE(o.req.upstream_head.empty());
  ExpectSplitInvariant(in);
}

TEST(HttpHead, ConnectIpv6AndIpv4) {
  HttpOutcome o = Whole("CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.host, "2001:db8::1");
  EXPECT_EQ(o.req.port, 8443);
  o = Whole("CONNECT [::ffff:127.0.0.1]:1 HTTP/1.0\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.host, "::ffff:127.0.0.1");
  EXPECT_EQ(o.req.port, 1);
  o = Whole("CONNECT 0x7f.1:65535 HTTP/1.1\r\n\r\n");  // odd IPv4 notations pass; the policy normalises them
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.host, "0x7f.1");
  EXPECT_EQ(o.req.port, 65535);
  ExpectSplitInvariant("CONNECT [2001:db8::1]:8443 HTTP/1.1\r\n\r\n");
}

TEST(HttpHead, ConnectBareLfAndEarlyData) {
  const std::string head = "CONNECT a.example:443 HTTP/1.1\nHost: a.example:443\n\n";
  const std::string in = head + "\x16\x03\x01\x02\x00"s;
  HttpOutcome o = Whole(in);
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.head_bytes, head.size());
  ExpectSplitInvariant(in);
  o = Whole("CONNECT a.example:443 HTTP/1.1\r\nHost: a\n\r\n");  // CRLF and LF mixed
  EXPECT_EQ(o.status, ParseStatus::kDone) << o.err.message;
}

TEST(HttpHead, ConnectWithoutHostIsFine) {
  EXPECT_EQ(Whole("CONNECT a.example:443 HTTP/1.1\r\n\r\n").status, ParseStatus::kDone);
}

TEST(HttpHead, NeedsMoreUntilTheBlankLine) {
  EXPECT_EQ(Whole("").status, ParseStatus::kNeedMore);
  EXPECT_EQ(Whole("CONNECT a.example:443 HTTP/1.1").status, ParseStatus::kNeedMore);
  EXPECT_EQ(Whole("CONNECT a.example:443 HTTP/1.1\r\n").status, ParseStatus::kNeedMore);
  EXPECT_EQ(Whole("CONNECT a.example:443 HTTP/1.1\r\nHost: a\r\n").status, ParseStatus::kNeedMore);
  EXPECT_EQ(Whole("CONNECT a.example:443 HTTP/1.1\r\nHost: a\r\n\r").status, ParseStatus::kNeedMore);
}

// ---- absolute form ----

TEST(HttpHead, AbsoluteFormIsRewrittenToOriginForm) {
  const std::string in =
      "GET http://example.com/a/b?c=d HTTP/1.1\r\n"
      "Host: example.com\r\n"
      "User-Agent: curl/7.88\r\n"
      "Proxy-Authorization: Basic dTpw\r\n"
      "Proxy-Connection: Keep-Alive\r\n"
      "Connection: keep-alive, X-Hop\r\n"
      "Keep-Alive: timeout=5\r\n"
      "X-Hop: 1\r\n"
      "Accept: */*\r\n"
      "\r\n";
  HttpOutcome o = Whole(in);
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.protocol, Protocol::kHttp);
  EXPECT_EQ(o.req.method, "GET");
  EXPECT_EQ(o.req.host, "example.com");
  EXPECT_EQ(o.req.port, 80);
  EXPECT_EQ(o.req.upstream_head,
            "GET /a/b?c=d HTTP/1.1\r\n"
            "Host: example.com\r\n"
            "User-Agent: curl/7.88\r\n"
            "Accept: */*\r\n"
            "Connection: close\r\n\r\n");
  ExpectSplitInvariant(in);
}

TEST(HttpHead, AbsoluteFormPortsAndPaths) {
  struct Case {
    std::string target;
    std::string host;
    uint16_t port;
    std::string path;
    std::string host_header;
  };
  for (const Case& c : std::vector<Case>{
           {"http://example.com", "example.com", 80, "/", "example.com"},
           {"http://example.com:8080", "example.com", 8080, "/", "example.com:8080"},
           {"http://example.com:/x", "example.com", 80, "/x", "example.com"},
           {"HTTP://Example.COM/x", "Example.COM", 80, "/x", "Example.COM"},
           {"http://example.com?q=1", "example.com", 80, "/?q=1", "example.com"},
           {"http://example.com/p#frag", "example.com", 80, "/p", "example.com"},
           {"http://example.com#frag", "example.com", 80, "/", "example.com"},
           {"http://[::1]:8080/v6", "::1", 8080, "/v6", "[::1]:8080"},
           {"http://10.1.2.3/", "10.1.2.3", 80, "/", "10.1.2.3"},
       }) {
    HttpOutcome o = Whole("GET " + c.target + " HTTP/1.1\r\nHost: whatever\r\n\r\n");
    ASSERT_EQ(o.status, ParseStatus::kDone) << c.target << ": " << o.err.message;
    EXPECT_EQ(o.req.host, c.host) << c.target;
    EXPECT_EQ(o.req.port, c.port) << c.target;
    EXPECT_EQ(o.req.upstream_head,
              "GET " + c.path + " HTTP/1.1\r\nHost: " + c.host_header + "\r\nConnection: close\r\n\r\n")
        << c.target;
  }
}

TEST(HttpHead, HostHeaderIsReplacedByTheAuthority) {
  HttpOutcome o = Whole("GET http://allowed.example/ HTTP/1.1\r\nHost: evil.example\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kDone);
  EXPECT_EQ(o.req.upstream_head, "GET / HTTP/1.1\r\nHost: allowed.example\r\nConnection: close\r\n\r\n");
}

TEST(HttpHead, MissingHost) {
  // HTTP/1.0 may leave Host out: the proxy adds it. HTTP/1.1 must send it (RFC 9112 3.2).
  HttpOutcome o = Whole("GET http://a.example/x HTTP/1.0\r\nAccept: */*\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.upstream_head, "GET /x HTTP/1.0\r\nHost: a.example\r\nAccept: */*\r\nConnection: close\r\n\r\n");
  o = Whole("GET http://a.example/x HTTP/1.1\r\nAccept: */*\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kError);
  EXPECT_EQ(o.err.status, 400);
  EXPECT_NE(o.err.message.find("Host"), std::string::npos);
}

TEST(HttpHead, BodyFollowsTheHeadAndFramingHeadersStay) {
  const std::string head =
      "POST http://a.example/up HTTP/1.1\r\nHost: a.example\r\nContent-Length: 5\r\n"
      "Connection: Content-Length, Transfer-Encoding\r\n\r\n";
  HttpOutcome o = Whole(head + "hello");
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.head_bytes, head.size());
  EXPECT_EQ(o.req.upstream_head,
            "POST /up HTTP/1.1\r\nHost: a.example\r\nContent-Length: 5\r\nConnection: close\r\n\r\n");
}

TEST(HttpHead, ValuesAreTrimmedAndMayHoldObsText) {
  HttpOutcome o = Whole("GET http://a.example/ HTTP/1.1\r\nHost: a\r\nX-A: \t v \t\r\nX-B:\r\nX-C: caf\xc3\xa9\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kDone) << o.err.message;
  EXPECT_EQ(o.req.upstream_head,
            "GET / HTTP/1.1\r\nHost: a.example\r\nX-A: v\r\nX-B: \r\nX-C: caf\xc3\xa9\r\nConnection: close\r\n\r\n");
}

TEST(HttpHead, DoneAndErrorAreSticky) {
  HttpHeadParser p;
  std::string in = "CONNECT a.example:1 HTTP/1.1\r\n\r\n";
  ASSERT_EQ(p.Parse(in), ParseStatus::kDone);
  in += "garbage\0\r\n"s;
  EXPECT_EQ(p.Parse(in), ParseStatus::kDone);
  HttpHeadParser q;
  ASSERT_EQ(q.Parse("BAD\r\n"), ParseStatus::kError);
  EXPECT_EQ(q.Parse("BAD\r\nCONNECT a:1 HTTP/1.1\r\n\r\n"), ParseStatus::kError);
}

// ---- malformed ----

struct Bad {
  std::string in;
  int status;
  std::string says;  // a fragment of the message
};

class HttpHeadMalformed : public ::testing::TestWithParam<Bad> {};

TEST_P(HttpHeadMalformed, IsRefusedCleanly) {
  const Bad& b = GetParam();
  HttpOutcome o = Whole(b.in);
  ASSERT_EQ(o.status, ParseStatus::kError) << b.in;
  EXPECT_EQ(o.err.status, b.status) << b.in;
  EXPECT_NE(o.err.message.find(b.says), std::string::npos) << b.in << " -> " << o.err.message;
  ExpectSplitInvariant(b.in);
}

const std::string kEnd = "\r\n\r\n";
INSTANTIATE_TEST_SUITE_P(
    All, HttpHeadMalformed,
    ::testing::Values(
        Bad{"GET https://example.com/ HTTP/1.1" + kEnd, 400, "use CONNECT"},
        Bad{"GET ftp://example.com/ HTTP/1.1" + kEnd, 400, "scheme"},
        Bad{"GET / HTTP/1.1" + kEnd, 400, "origin-form"},
        Bad{"OPTIONS * HTTP/1.1" + kEnd, 400, "origin-form"},
        Bad{"GET example.com/x HTTP/1.1" + kEnd, 400, "absolute URI"},
        Bad{"GET http:///x HTTP/1.1" + kEnd, 400, "empty host"},
        Bad{"GET http://u:p@example.com/ HTTP/1.1" + kEnd, 400, "user information"},
        Bad{"GET http://example.com:99999/ HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"GET http://exa_mple.com%00/ HTTP/1.1" + kEnd, 400, "bad host"},
        Bad{"CONNECT example.com HTTP/1.1" + kEnd, 400, "port missing"},
        Bad{"CONNECT example.com: HTTP/1.1" + kEnd, 400, "port missing"},
        Bad{"CONNECT example.com:0 HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"CONNECT example.com:65536 HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"CONNECT example.com:000443 HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"CONNECT example.com:+443 HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"CONNECT example.com:44a HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"CONNECT example.com:443:1 HTTP/1.1" + kEnd, 400, "bad port"},
        Bad{"CONNECT user@example.com:443 HTTP/1.1" + kEnd, 400, "user information"},
        Bad{"CONNECT [::1:443 HTTP/1.1" + kEnd, 400, "unterminated"},
        Bad{"CONNECT [::1]443 HTTP/1.1" + kEnd, 400, "bad authority"},
        Bad{"CONNECT []:443 HTTP/1.1" + kEnd, 400, "IPv6"},
        Bad{"CONNECT [fe80::1%25eth0]:443 HTTP/1.1" + kEnd, 400, "IPv6"},
        Bad{"CONNECT ::1:443 HTTP/1.1" + kEnd, 400, "empty host"},
        Bad{"CONNECT :443 HTTP/1.1" + kEnd, 400, "empty host"},
        Bad{"CONNECT exa/mple.com:443 HTTP/1.1" + kEnd, 400, "bad host"},
        Bad{"CONNECT caf\xc3\xa9.com:443 HTTP/1.1" + kEnd, 400, "request target"},
        Bad{"CONNECT  example.com:443 HTTP/1.1" + kEnd, 400, "request line"},
        Bad{"CONNECT example.com:443  HTTP/1.1" + kEnd, 400, "request line"},
        Bad{"CONNECT example.com:443 HTTP/1.1 x" + kEnd, 400, "request line"},
        Bad{"CONNECT example.com:443" + kEnd, 400, "request line"},
        Bad{"CONNECT\texample.com:443 HTTP/1.1" + kEnd, 400, "request line"},
        Bad{"CONNECT example.com:443 HTTP/2.0" + kEnd, 400, "version"},
        Bad{"CONNECT example.com:443 http/1.1" + kEnd, 400, "version"},
        Bad{"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 400, "version"},
        Bad{"GE(T http://a/ HTTP/1.1" + kEnd, 400, "method"},
        Bad{"\r\nCONNECT a:1 HTTP/1.1" + kEnd, 400, "empty request line"},
        Bad{"CONNECT a:1 HTTP/1.1\0\r\n\r\n"s, 400, "version"},
        Bad{"CONNECT a\0:1 HTTP/1.1\r\n\r\n"s, 400, "request target"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX: a\0b\r\n\r\n"s, 400, "control character"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX: a\x01" "b\r\n\r\n", 400, "control character"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX: a\x7f\r\n\r\n", 400, "control character"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX: a\rb\r\n\r\n", 400, "bare CR"},
        Bad{"CONNECT a:1 HTTP/1.1\r\r\n\r\n", 400, "bare CR"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX: a\r\n b\r\n\r\n", 400, "folding"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX: a\r\n\tb\r\n\r\n", 400, "folding"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX : a\r\n\r\n", 400, "header name"},
        Bad{"CONNECT a:1 HTTP/1.1\r\n: a\r\n\r\n", 400, "header name"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nX@Y: a\r\n\r\n", 400, "header name"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nNoColon\r\n\r\n", 400, "colon"},
        Bad{"GET http://a/ HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", 400, "more than one Host"},
        Bad{"CONNECT a:1 HTTP/1.1\r\nHost: a\r\nhost: b\r\n\r\n", 400, "more than one Host"}));

TEST(HttpHead, HeadTooLarge) {
  const std::string big = "CONNECT a.example:443 HTTP/1.1\r\nX-Big: " + std::string(20000, 'x') + "\r\n\r\n";
  HttpOutcome o = Whole(big);
  ASSERT_EQ(o.status, ParseStatus::kError);
  EXPECT_EQ(o.err.status, 431);
  // Refused as soon as the limit is reached, without waiting for the rest.
  o = Whole(big.substr(0, kDefaultMaxHeadBytes));
  EXPECT_EQ(o.status, ParseStatus::kError);
  o = Whole(big.substr(0, kDefaultMaxHeadBytes - 1));
  EXPECT_EQ(o.status, ParseStatus::kNeedMore);
  // A line that never ends.
  o = Whole(std::string(kDefaultMaxHeadBytes, 'A'));
  EXPECT_EQ(o.err.status, 431);
  ExpectSplitInvariant(big.substr(0, 300), 256);
}

TEST(HttpHead, HeadExactlyAtTheLimit) {
  std::string head = "CONNECT a.example:443 HTTP/1.1\r\nX: ";
  head += std::string(200 - head.size() - 4, 'v') + "\r\n\r\n";
  ASSERT_EQ(head.size(), 200u);
  EXPECT_EQ(Whole(head, 200).status, ParseStatus::kDone);
  EXPECT_EQ(Whole(head, 199).status, ParseStatus::kError);
  EXPECT_EQ(Whole(head, 199).err.status, 431);
}

TEST(HttpHead, HeaderCountLimit) {
  std::string head = "CONNECT a.example:443 HTTP/1.1\r\n";
  for (int i = 0; i < 100; ++i) head += "X-" + std::to_string(i) + ": v\r\n";
  EXPECT_EQ(Whole(head + "\r\n").status, ParseStatus::kDone);
  HttpOutcome o = Whole(head + "X-100: v\r\n\r\n");
  ASSERT_EQ(o.status, ParseStatus::kError);
  EXPECT_EQ(o.err.status, 431);
  EXPECT_NE(o.err.message.find("100 headers"), std::string::npos);
}

// ---- SOCKS5 ----

std::string Bytes(std::initializer_list<int> b) {
  std::string s;
  for (int v : b) s.push_back(static_cast<char>(v));
  return s;
}

TEST(Socks5, Greeting) {
  Socks5Greeting g;
  ASSERT_EQ(ParseSocks5Greeting(Bytes({5, 1, 0}), &g), ParseStatus::kDone);
  EXPECT_TRUE(g.offers_no_auth);
  EXPECT_EQ(g.bytes, 3u);
  ASSERT_EQ(ParseSocks5Greeting(Bytes({5, 3, 2, 1, 0, 0x99}), &g), ParseStatus::kDone);  // trailing request byte
  EXPECT_TRUE(g.offers_no_auth);
  EXPECT_EQ(g.bytes, 5u);
  ASSERT_EQ(ParseSocks5Greeting(Bytes({5, 2, 1, 2}), &g), ParseStatus::kDone);
  EXPECT_FALSE(g.offers_no_auth);
  EXPECT_EQ(ParseSocks5Greeting(Bytes({5, 0}), &g), ParseStatus::kError);
  EXPECT_EQ(ParseSocks5Greeting(Bytes({4, 1, 0}), &g), ParseStatus::kError);
  EXPECT_EQ(ParseSocks5Greeting("", &g), ParseStatus::kNeedMore);
  EXPECT_EQ(ParseSocks5Greeting(Bytes({5}), &g), ParseStatus::kNeedMore);
  EXPECT_EQ(ParseSocks5Greeting(Bytes({5, 2, 0}), &g), ParseStatus::kNeedMore);
  std::string all = Bytes({5, 255});
  all += std::string(254, '\x02') + '\0';
  ASSERT_EQ(ParseSocks5Greeting(all, &g), ParseStatus::kDone);
  EXPECT_TRUE(g.offers_no_auth);
  EXPECT_EQ(g.bytes, 257u);
}

struct SocksOutcome {
  ParseStatus status;
  Socks5Request req;
  Socks5Reply reply = Socks5Reply::kSucceeded;
};

SocksOutcome Request(const std::string& in) {
  SocksOutcome o;
  o.status = ParseSocks5Request(in, &o.req, &o.reply);
  return o;
}

void ExpectSocksSplitInvariant(const std::string& in) {
  SocksOutcome whole = Request(in);
  for (size_t i = 0; i < in.size(); ++i) {
    SocksOutcome part = Request(in.substr(0, i));
    if (part.status == ParseStatus::kNeedMore) continue;
    // A prefix may only be decided the same way as the whole (an early error), never done early.
    ASSERT_EQ(part.status, ParseStatus::kError) << "prefix " << i;
    EXPECT_EQ(whole.status, ParseStatus::kError) << "prefix " << i;
    EXPECT_EQ(part.reply, whole.reply) << "prefix " << i;
  }
}

TEST(Socks5, RequestIpv4) {
  const std::string in = Bytes({5, 1, 0, 1, 127, 0, 0, 1, 0x1f, 0x90});
  SocksOutcome o = Request(in + "early");
  ASSERT_EQ(o.status, ParseStatus::kDone);
  EXPECT_EQ(o.req.address_type, Socks5Request::AddressType::kIpv4);
  EXPECT_EQ(o.req.host, "127.0.0.1");
  EXPECT_EQ(o.req.port, 8080);
  EXPECT_EQ(o.req.bytes, 10u);
  ExpectSocksSplitInvariant(in);
}

TEST(Socks5, RequestDomain) {
  const std::string in = Bytes({5, 1, 0, 3, 11}) + "example.com" + Bytes({0x01, 0xbb});
  SocksOutcome o = Request(in);
  ASSERT_EQ(o.status, ParseStatus::kDone);
  EXPECT_EQ(o.req.address_type, Socks5Request::AddressType::kDomain);
  EXPECT_EQ(o.req.host, "example.com");
  EXPECT_EQ(o.req.port, 443);
  EXPECT_EQ(o.req.bytes, in.size());
  ExpectSocksSplitInvariant(in);
  // 255 bytes is the most a length byte can say; UTF-8 is passed on (the policy does IDNA).
  std::string longest = Bytes({5, 1, 0, 3, 255}) + std::string(255, 'a') + Bytes({0, 80});
  o = Request(longest);
  ASSERT_EQ(o.status, ParseStatus::kDone);
  EXPECT_EQ(o.req.host.size(), 255u);
  o = Request(Bytes({5, 1, 0, 3, 5}) + "caf\xc3\xa9" + Bytes({0, 80}));
  ASSERT_EQ(o.status, ParseStatus::kDone);
  EXPECT_EQ(o.req.host, "caf\xc3\xa9");
}

TEST(Socks5, RequestIpv6) {
  std::string in = Bytes({5, 1, 0, 4});
  in += std::string(15, '\0') + '\x01';
  in += Bytes({0, 22});
  SocksOutcome o = Request(in);
  ASSERT_EQ(o.status, ParseStatus::kDone);
  EXPECT_EQ(o.req.address_type, Socks5Request::AddressType::kIpv6);
  EXPECT_EQ(o.req.host, "::1");
  EXPECT_EQ(o.req.port, 22);
  EXPECT_EQ(o.req.bytes, 22u);
  ExpectSocksSplitInvariant(in);
}

TEST(Socks5, MalformedRequests) {
  struct Case {
    std::string in;
    Socks5Reply reply;
  };
  for (const Case& c : std::vector<Case>{
           {Bytes({5, 2, 0, 1, 1, 2, 3, 4, 0, 80}), Socks5Reply::kCommandNotSupported},  // BIND
           {Bytes({5, 3, 0, 1, 1, 2, 3, 4, 0, 80}), Socks5Reply::kCommandNotSupported},  // UDP ASSOCIATE
           {Bytes({5, 9}), Socks5Reply::kCommandNotSupported},
           {Bytes({5, 1, 0, 2, 1, 2, 3, 4, 0, 80}), Socks5Reply::kAddressTypeNotSupported},
           {Bytes({5, 1, 0, 0}), Socks5Reply::kAddressTypeNotSupported},
           {Bytes({4, 1, 0, 1, 1, 2, 3, 4, 0, 80}), Socks5Reply::kGeneralFailure},
           {Bytes({5, 1, 1, 1, 1, 2, 3, 4, 0, 80}), Socks5Reply::kGeneralFailure},  // reserved byte set
           {Bytes({5, 1, 0, 3, 0, 0, 80}), Socks5Reply::kGeneralFailure},           // empty domain
           {Bytes({5, 1, 0, 3, 3, 'a', 0, 'b', 0, 80}), Socks5Reply::kGeneralFailure},
           {Bytes({5, 1, 0, 3, 3, 'a', ' ', 'b', 0, 80}), Socks5Reply::kGeneralFailure},
           {Bytes({5, 1, 0, 3, 3, 'a', '\n', 'b', 0, 80}), Socks5Reply::kGeneralFailure},
           {Bytes({5, 1, 0, 1, 1, 2, 3, 4, 0, 0}), Socks5Reply::kGeneralFailure},  // port 0
       }) {
    SocksOutcome o = Request(c.in);
    ASSERT_EQ(o.status, ParseStatus::kError) << testing::PrintToString(c.in);
    EXPECT_EQ(o.reply, c.reply) << testing::PrintToString(c.in);
    ExpectSocksSplitInvariant(c.in);
  }
  EXPECT_EQ(Request(Bytes({5, 1, 0, 3})).status, ParseStatus::kNeedMore);
  EXPECT_EQ(Request(Bytes({5, 1, 0, 3, 5, 'a'})).status, ParseStatus::kNeedMore);
}

// ---- replies ----

TEST(Replies, Socks5) {
  EXPECT_EQ(Socks5MethodReply(true), Bytes({5, 0}));
  EXPECT_EQ(Socks5MethodReply(false), Bytes({5, 0xff}));
  EXPECT_EQ(Socks5ReplyBytes(Socks5Reply::kNotAllowed), Bytes({5, 2, 0, 1, 0, 0, 0, 0, 0, 0}));
  EXPECT_EQ(Socks5ReplyBytes(Socks5Reply::kConnectionRefused), Bytes({5, 5, 0, 1, 0, 0, 0, 0, 0, 0}));
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(8080);
  inet_pton(AF_INET, "10.1.2.3", &a.sin_addr);
  EXPECT_EQ(Socks5ReplyBytes(Socks5Reply::kSucceeded, reinterpret_cast<sockaddr*>(&a)),
            Bytes({5, 0, 0, 1, 10, 1, 2, 3, 0x1f, 0x90}));
  sockaddr_in6 b{};
  b.sin6_family = AF_INET6;
  b.sin6_port = htons(443);
  inet_pton(AF_INET6, "::1", &b.sin6_addr);
  std::string want = Bytes({5, 0, 0, 4}) + std::string(15, '\0') + '\x01' + Bytes({1, 0xbb});
  EXPECT_EQ(Socks5ReplyBytes(Socks5Reply::kSucceeded, reinterpret_cast<sockaddr*>(&b)), want);
}

TEST(Replies, Http) {
  EXPECT_EQ(HttpConnectEstablished(), "HTTP/1.1 200 Connection established\r\n\r\n");
  EXPECT_EQ(HttpRefusedReply("evil.example", 443, "no allow rule matches"),
            "HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: 56\r\n"
            "Connection: close\r\n\r\ncordon: evil.example:443 refused: no allow rule matches\n");
  EXPECT_NE(HttpRefusedReply("::1", 80, "x").find("cordon: [::1]:80 refused: x\n"), std::string::npos);
  for (int status : {400, 408, 431, 502, 504}) {
    std::string r = HttpErrorReply(status, "what");
    EXPECT_EQ(r.rfind("HTTP/1.1 " + std::to_string(status) + " ", 0), 0u) << r;
    EXPECT_NE(r.find("\r\n\r\ncordon: what\n"), std::string::npos);
  }
  // The body stays one line whatever the message holds.
  std::string r = HttpErrorReply(400, "a\r\nX-Injected: 1\0b"s);
  EXPECT_NE(r.find("cordon: a??X-Injected: 1?b\n"), std::string::npos) << r;
  EXPECT_EQ(r.find("\r\nX-Injected"), std::string::npos);
  EXPECT_EQ(HostPort("a.example", 1), "a.example:1");
  EXPECT_EQ(HostPort("2001:db8::1", 443), "[2001:db8::1]:443");
}

}  // namespace
}  // namespace cordon::net
