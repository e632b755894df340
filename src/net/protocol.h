// The proxy's wire protocols, as pure functions over bytes: no sockets, no policy, no allocation beyond the
// limits given. Three requests are understood:
//   CONNECT host:port HTTP/1.1            a TCP tunnel (TLS goes through here)
//   GET http://host[:port]/path HTTP/1.1  plain HTTP forwarding: rewritten to origin form, sent upstream
//   SOCKS5 (RFC 1928)                     no authentication, CONNECT only; IPv4, domain and IPv6 addresses
// The first byte of a connection tells them apart: 0x05 is SOCKS5, anything else is HTTP.
//
// What the parsers do not protect against: they check syntax, not intent. A host that parses may still be a
// name the policy refuses (NetRules decides), and the body of a forwarded HTTP request is not parsed at all: it
// is relayed as bytes to the one upstream the head was decided for.
#pragma once

#include <sys/socket.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace cordon::net {

enum class Protocol { kConnect, kHttp, kSocks5 };
const char* ProtocolName(Protocol p);  // "connect", "http", "socks5"

inline constexpr uint8_t kSocks5Version = 0x05;
inline bool IsSocks5(uint8_t first_byte) { return first_byte == kSocks5Version; }

enum class ParseStatus { kNeedMore, kDone, kError };

inline constexpr size_t kDefaultMaxHeadBytes = 16384;
inline constexpr size_t kDefaultMaxHeaders = 100;

// ---- HTTP/1.x request head ----

struct HttpRequest {
  Protocol protocol = Protocol::kConnect;  // kConnect or kHttp
  std::string method;                      // "CONNECT", "GET", ...
  std::string host;                        // as requested; IPv6 without brackets
  uint16_t port = 0;
  // kHttp only: the head to send upstream: "METHOD /path HTTP/1.x", the client's headers less the hop-by-hop
  // and proxy ones, Host set to the request's authority, and "Connection: close" (one upstream per client
  // connection: a kept-alive connection could otherwise carry a request for a different host).
  std::string upstream_head;
  size_t head_bytes = 0;  // bytes of the input the head took; what follows is body or early tunnel data
};

struct HttpParseError {
  int status = 400;     // 400 bad request, 431 head too large
  std::string message;  // "bad request line", "header line 3: control character", ...
};

// Incremental parser for one request head. Call Parse with every byte received so far (the same stream,
// growing); each call only looks at bytes it has not seen, so feeding a head byte by byte costs O(n) in all.
// Lines end in CRLF or a bare LF; a CR anywhere else, NUL, other control characters, obs-fold continuation
// lines, whitespace before a header's colon, more than max_headers headers or a head longer than
// max_head_bytes are errors. Once it returned kDone or kError, further calls return the same.
class HttpHeadParser {
 public:
  explicit HttpHeadParser(size_t max_head_bytes = kDefaultMaxHeadBytes, size_t max_headers = kDefaultMaxHeaders)
      : max_head_bytes_(max_head_bytes), max_headers_(max_headers) {}

  ParseStatus Parse(std::string_view buffered);
  const HttpRequest& request() const { return request_; }  // valid after kDone
  const HttpParseError& error() const { return error_; }   // valid after kError

 private:
  struct Span {
    size_t begin = 0, size = 0;
  };
  struct Field {
    Span name, value;
  };
  ParseStatus Fail(int status, std::string message);
  ParseStatus ParseRequestLine(std::string_view line);
  ParseStatus ParseField(size_t line_begin, std::string_view line);  // line: a view into the buffer
  ParseStatus Finish(std::string_view buffered);

  size_t max_head_bytes_, max_headers_;
  ParseStatus status_ = ParseStatus::kNeedMore;
  size_t line_begin_ = 0;  // start of the first line not yet parsed
  size_t scanned_ = 0;     // bytes already searched for the end of that line
  bool have_request_line_ = false;
  std::string version_;  // "HTTP/1.0" or "HTTP/1.1"
  std::string path_;     // kHttp: origin-form target
  std::string authority_;
  std::vector<Field> fields_;
  HttpRequest request_;
  HttpParseError error_;
};

// ---- SOCKS5 (RFC 1928) ----

enum class Socks5Reply : uint8_t {
  kSucceeded = 0x00,
  kGeneralFailure = 0x01,
  kNotAllowed = 0x02,  // connection not allowed by ruleset
  kNetworkUnreachable = 0x03,
  kHostUnreachable = 0x04,
  kConnectionRefused = 0x05,
  kTtlExpired = 0x06,
  kCommandNotSupported = 0x07,
  kAddressTypeNotSupported = 0x08,
};

struct Socks5Greeting {
  bool offers_no_auth = false;  // method 0x00 among the offered ones; the only method cordon accepts
  size_t bytes = 0;
};

// VER NMETHODS METHODS...: an error when VER is not 5 or NMETHODS is 0.
ParseStatus ParseSocks5Greeting(std::string_view in, Socks5Greeting* out);

struct Socks5Request {
  enum class AddressType : uint8_t { kIpv4 = 0x01, kDomain = 0x03, kIpv6 = 0x04 };
  AddressType address_type = AddressType::kIpv4;
  std::string host;  // "1.2.3.4", the domain as sent, or "2001:db8::1"
  uint16_t port = 0;
  size_t bytes = 0;
};

// VER CMD RSV ATYP DST.ADDR DST.PORT. On kError, *reply is the code to send before closing (0x07 for BIND and
// UDP ASSOCIATE, 0x08 for an unknown address type, 0x01 for anything else malformed). A domain is 1..255
// bytes with no control characters, spaces or NULs; whether it is a valid host name is the policy's question.
ParseStatus ParseSocks5Request(std::string_view in, Socks5Request* out, Socks5Reply* reply);

// ---- replies ----

// 05 00 when no authentication was offered, else 05 FF (no acceptable method).
std::string Socks5MethodReply(bool accepted);
// VER REP RSV ATYP BND.ADDR BND.PORT; the bound address is 0.0.0.0:0 unless given (an AF_INET/AF_INET6 one).
std::string Socks5ReplyBytes(Socks5Reply code, const sockaddr* bound = nullptr);

// "HTTP/1.1 200 Connection established\r\n\r\n".
std::string HttpConnectEstablished();
// A complete response with a one-line text/plain body "cordon: MESSAGE\n" and "Connection: close".
// Control characters in the message are replaced, so a reply is always one line whatever the input.
std::string HttpErrorReply(int status, std::string_view message);
// 403 with the body "cordon: HOST:PORT refused: REASON".
std::string HttpRefusedReply(std::string_view host, uint16_t port, std::string_view reason);
const char* HttpStatusText(int status);

// "host:port", "[v6]:port" when the host contains a colon.
std::string HostPort(std::string_view host, uint16_t port);

}  // namespace cordon::net
