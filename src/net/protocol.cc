#include "net/protocol.h"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <algorithm>
#include <cstring>

namespace cordon::net {
namespace {

bool IsTchar(unsigned char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool IsToken(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return IsTchar(static_cast<unsigned char>(c)); });
}

// Field values: HTAB, visible ASCII, space, obs-text. Everything else (NUL, CR, LF, other controls, DEL) is refused.
bool IsFieldValueChar(unsigned char c) { return c == '\t' || (c >= 0x20 && c != 0x7f); }

// A registered name or an IPv4 literal in any inet_aton form (digits, hex, dots): the policy canonicalises it.
bool IsHostChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '.' ||
         c == '_';
}

bool IsIpv6LiteralChar(unsigned char c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == ':' || c == '.';
}

char Lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; }

bool EqualsNoCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    if (Lower(a[i]) != Lower(b[i])) return false;
  }
  return true;
}

std::string_view TrimOws(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// 1..65535, digits only, at most 5 of them (so "000080" is refused rather than read as 80).
bool ParsePort(std::string_view s, uint16_t* port) {
  if (s.empty() || s.size() > 5) return false;
  uint32_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<uint32_t>(c - '0');
  }
  if (v == 0 || v > 65535) return false;
  *port = static_cast<uint16_t>(v);
  return true;
}

// host:port or [v6]:port; the port may be left out only when default_port is non-zero. Userinfo is refused:
// "allowed.com@evil.com" must not be read one way here and another way by someone else.
const char* ParseAuthority(std::string_view text, uint16_t default_port, std::string* host, uint16_t* port) {
  if (text.find('@') != std::string_view::npos) return "user information in the authority";
  std::string_view h, rest;
  if (!text.empty() && text.front() == '[') {
    size_t close = text.find(']');
    if (close == std::string_view::npos) return "unterminated IPv6 literal";
    h = text.substr(1, close - 1);
    if (h.empty() || !std::all_of(h.begin(), h.end(), [](char c) { return IsIpv6LiteralChar(c); })) {
      return "bad IPv6 literal";
    }
    rest = text.substr(close + 1);
    if (!rest.empty() && rest.front() != ':') return "bad authority";
  } else {
    size_t colon = text.find(':');
    h = text.substr(0, colon);
    rest = colon == std::string_view::npos ? std::string_view() : text.substr(colon);
    if (h.empty()) return "empty host";
    if (!std::all_of(h.begin(), h.end(), [](char c) { return IsHostChar(static_cast<unsigned char>(c)); })) {
      return "bad host name";
    }
  }
  if (rest.empty() || rest == ":") {
    if (default_port == 0) return "port missing";
    *port = default_port;
  } else if (!ParsePort(rest.substr(1), port)) {
    return "bad port";
  }
  host->assign(h);
  return nullptr;
}

// Headers that belong to the hop between the client and the proxy, never forwarded. The framing headers
// (Content-Length, Transfer-Encoding) stay: the body is relayed as it came.
bool IsHopByHop(std::string_view name) {
  for (std::string_view h : {"connection", "proxy-connection", "keep-alive", "proxy-authorization",
                             "proxy-authenticate", "upgrade", "host"}) {
    if (EqualsNoCase(name, h)) return true;
  }
  return false;
}

bool IsFraming(std::string_view name) {
  return EqualsNoCase(name, "content-length") || EqualsNoCase(name, "transfer-encoding");
}

}  // namespace

const char* ProtocolName(Protocol p) {
  switch (p) {
    case Protocol::kConnect:
      return "connect";
    case Protocol::kHttp:
      return "http";
    case Protocol::kSocks5:
      return "socks5";
  }
  return "?";
}

ParseStatus HttpHeadParser::Fail(int status, std::string message) {
  error_ = HttpParseError{status, std::move(message)};
  status_ = ParseStatus::kError;
  return status_;
}

ParseStatus HttpHeadParser::Parse(std::string_view buffered) {
  if (status_ != ParseStatus::kNeedMore) return status_;
  // Only the first max_head_bytes_ bytes can hold the head; whatever lies beyond is never searched.
  const size_t limit = std::min(buffered.size(), max_head_bytes_);
  while (true) {
    size_t nl = std::string_view::npos;
    if (scanned_ < limit) {
      const void* p = std::memchr(buffered.data() + scanned_, '\n', limit - scanned_);
      if (p != nullptr) nl = static_cast<size_t>(static_cast<const char*>(p) - buffered.data());
    }
    if (nl == std::string_view::npos) {
      scanned_ = limit;
      if (buffered.size() >= max_head_bytes_) {
        return Fail(431, "request head larger than " + std::to_string(max_head_bytes_) + " bytes");
      }
      return ParseStatus::kNeedMore;
    }
    std::string_view line = buffered.substr(line_begin_, nl - line_begin_);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const size_t begin = line_begin_;
    line_begin_ = scanned_ = nl + 1;
    if (line.find('\r') != std::string_view::npos) return Fail(400, "bare CR in the request head");
    ParseStatus s;
    if (!have_request_line_) {
      s = ParseRequestLine(line);
      have_request_line_ = true;
    } else if (line.empty()) {
      request_.head_bytes = nl + 1;
      return Finish(buffered);
    } else {
      s = ParseField(begin, line);
    }
    if (s == ParseStatus::kError) return s;
  }
}

ParseStatus HttpHeadParser::ParseRequestLine(std::string_view line) {
  if (line.empty()) return Fail(400, "empty request line");
  size_t sp1 = line.find(' ');
  size_t sp2 = sp1 == std::string_view::npos ? sp1 : line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || line.find(' ', sp2 + 1) != std::string_view::npos) {
    return Fail(400, "bad request line");
  }
  std::string_view method = line.substr(0, sp1);
  std::string_view target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  std::string_view version = line.substr(sp2 + 1);
  if (!IsToken(method)) return Fail(400, "bad method");
  if (target.empty() ||
      !std::all_of(target.begin(), target.end(), [](char c) { return c > 0x20 && c < 0x7f; })) {
    return Fail(400, "bad request target");
  }
  if (version != "HTTP/1.1" && version != "HTTP/1.0") return Fail(400, "unsupported HTTP version");
  version_ = version;
  request_.method = method;

  if (method == "CONNECT") {
    request_.protocol = Protocol::kConnect;
    if (const char* e = ParseAuthority(target, 0, &request_.host, &request_.port)) {
      return Fail(400, std::string("CONNECT target: ") + e);
    }
    return ParseStatus::kNeedMore;
  }

  request_.protocol = Protocol::kHttp;
  if (target.front() == '/' || target == "*") return Fail(400, "not a proxy request (origin-form target)");
  size_t sep = target.find("://");
  if (sep == std::string_view::npos) return Fail(400, "request target is not an absolute URI");
  std::string_view scheme = target.substr(0, sep);
  if (EqualsNoCase(scheme, "https")) {
    return Fail(400, "https:// URLs are not forwarded; use CONNECT (HTTPS_PROXY)");
  }
  if (!EqualsNoCase(scheme, "http")) return Fail(400, "unsupported URI scheme");
  std::string_view rest = target.substr(sep + 3);
  size_t path_at = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, path_at);
  std::string_view path = path_at == std::string_view::npos ? std::string_view() : rest.substr(path_at);
  if (const char* e = ParseAuthority(authority, 80, &request_.host, &request_.port)) {
    return Fail(400, std::string("request target: ") + e);
  }
  authority_ = authority;
  if (!authority_.empty() && authority_.back() == ':') authority_.pop_back();
  // The fragment is the client's own business and never goes on the wire.
  path = path.substr(0, path.find('#'));
  path_ = path.empty() || path.front() != '/' ? "/" + std::string(path) : std::string(path);
  return ParseStatus::kNeedMore;
}

ParseStatus HttpHeadParser::ParseField(size_t line_begin, std::string_view line) {
  if (line.front() == ' ' || line.front() == '\t') return Fail(400, "obsolete line folding in a header");
  size_t colon = line.find(':');
  if (colon == std::string_view::npos) return Fail(400, "header line without a colon");
  std::string_view name = line.substr(0, colon);
  if (!IsToken(name)) return Fail(400, "bad header name");
  std::string_view raw_value = line.substr(colon + 1);
  if (!std::all_of(raw_value.begin(), raw_value.end(),
                   [](char c) { return IsFieldValueChar(static_cast<unsigned char>(c)); })) {
    return Fail(400, "control character in a header value");
  }
  if (fields_.size() >= max_headers_) return Fail(431, "more than " + std::to_string(max_headers_) + " headers");
  std::string_view value = TrimOws(raw_value);
  Field f;
  f.name = {line_begin, name.size()};
  f.value = {static_cast<size_t>(value.data() - line.data()) + line_begin, value.size()};
  fields_.push_back(f);
  return ParseStatus::kNeedMore;
}

ParseStatus HttpHeadParser::Finish(std::string_view buffered) {
  auto text = [&](Span s) { return buffered.substr(s.begin, s.size); };
  int hosts = 0;
  for (const Field& f : fields_) hosts += EqualsNoCase(text(f.name), "host") ? 1 : 0;
  if (hosts > 1) return Fail(400, "more than one Host header");
  if (request_.protocol == Protocol::kConnect) {
    status_ = ParseStatus::kDone;
    return status_;
  }
  if (hosts == 0 && version_ == "HTTP/1.1") return Fail(400, "HTTP/1.1 request without a Host header");

  // Headers the client named in Connection are hop-by-hop too (RFC 9110 7.6.1), except the body's framing.
  std::vector<std::string_view> connection_named;
  for (const Field& f : fields_) {
    if (!EqualsNoCase(text(f.name), "connection") && !EqualsNoCase(text(f.name), "proxy-connection")) continue;
    std::string_view v = text(f.value);
    while (!v.empty()) {
      size_t comma = v.find(',');
      std::string_view token = TrimOws(v.substr(0, comma));
      if (!token.empty() && !IsFraming(token)) connection_named.push_back(token);
      v = comma == std::string_view::npos ? std::string_view() : v.substr(comma + 1);
    }
  }
  std::string& out = request_.upstream_head;
  out.reserve(buffered.size() + 64);
  out.append(request_.method).append(" ").append(path_).append(" ").append(version_).append("\r\n");
  // The Host the policy decided on, never the client's own (RFC 9112 3.2.2: a proxy replaces it).
  out.append("Host: ").append(authority_).append("\r\n");
  for (const Field& f : fields_) {
    std::string_view name = text(f.name);
    if (IsHopByHop(name)) continue;
    if (std::any_of(connection_named.begin(), connection_named.end(),
                    [&](std::string_view n) { return EqualsNoCase(n, name); })) {
      continue;
    }
    out.append(name).append(": ").append(text(f.value)).append("\r\n");
  }
  out.append("Connection: close\r\n\r\n");
  status_ = ParseStatus::kDone;
  return status_;
}

// ---- SOCKS5 ----

ParseStatus ParseSocks5Greeting(std::string_view in, Socks5Greeting* out) {
  if (in.empty()) return ParseStatus::kNeedMore;
  if (static_cast<uint8_t>(in[0]) != kSocks5Version) return ParseStatus::kError;
  if (in.size() < 2) return ParseStatus::kNeedMore;
  size_t n = static_cast<uint8_t>(in[1]);
  if (n == 0) return ParseStatus::kError;
  if (in.size() < 2 + n) return ParseStatus::kNeedMore;
  std::string_view methods = in.substr(2, n);
  out->offers_no_auth = methods.find('\0') != std::string_view::npos;
  out->bytes = 2 + n;
  return ParseStatus::kDone;
}

ParseStatus ParseSocks5Request(std::string_view in, Socks5Request* out, Socks5Reply* reply) {
  auto fail = [&](Socks5Reply r) {
    *reply = r;
    return ParseStatus::kError;
  };
  if (in.empty()) return ParseStatus::kNeedMore;
  if (static_cast<uint8_t>(in[0]) != kSocks5Version) return fail(Socks5Reply::kGeneralFailure);
  if (in.size() < 2) return ParseStatus::kNeedMore;
  if (static_cast<uint8_t>(in[1]) != 0x01) return fail(Socks5Reply::kCommandNotSupported);  // BIND, UDP, other
  if (in.size() < 3) return ParseStatus::kNeedMore;
  if (in[2] != 0) return fail(Socks5Reply::kGeneralFailure);
  if (in.size() < 4) return ParseStatus::kNeedMore;
  size_t addr_len = 0;
  size_t addr_at = 4;
  switch (static_cast<uint8_t>(in[3])) {
    case 0x01:
      addr_len = 4;
      break;
    case 0x04:
      addr_len = 16;
      break;
    case 0x03:
      if (in.size() < 5) return ParseStatus::kNeedMore;
      addr_len = static_cast<uint8_t>(in[4]);
      addr_at = 5;
      if (addr_len == 0) return fail(Socks5Reply::kGeneralFailure);
      break;
    default:
      return fail(Socks5Reply::kAddressTypeNotSupported);
  }
  if (in.size() < addr_at + addr_len + 2) return ParseStatus::kNeedMore;
  std::string_view addr = in.substr(addr_at, addr_len);
  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  uint16_t port = static_cast<uint16_t>((p[addr_at + addr_len] << 8) | p[addr_at + addr_len + 1]);
  if (port == 0) return fail(Socks5Reply::kGeneralFailure);
  char text[INET6_ADDRSTRLEN] = {};
  switch (static_cast<uint8_t>(in[3])) {
    case 0x01:
      inet_ntop(AF_INET, addr.data(), text, sizeof(text));
      out->address_type = Socks5Request::AddressType::kIpv4;
      out->host = text;
      break;
    case 0x04:
      inet_ntop(AF_INET6, addr.data(), text, sizeof(text));
      out->address_type = Socks5Request::AddressType::kIpv6;
      out->host = text;
      break;
    default:
      if (!std::all_of(addr.begin(), addr.end(),
                       [](char c) { return static_cast<unsigned char>(c) > 0x20 && c != 0x7f; })) {
        return fail(Socks5Reply::kGeneralFailure);
      }
      out->address_type = Socks5Request::AddressType::kDomain;
      out->host.assign(addr);
      break;
  }
  out->port = port;
  out->bytes = addr_at + addr_len + 2;
  return ParseStatus::kDone;
}

std::string Socks5MethodReply(bool accepted) {
  return std::string{static_cast<char>(kSocks5Version), static_cast<char>(accepted ? 0x00 : 0xff)};
}

std::string Socks5ReplyBytes(Socks5Reply code, const sockaddr* bound) {
  std::string out{static_cast<char>(kSocks5Version), static_cast<char>(code), 0};
  if (bound != nullptr && bound->sa_family == AF_INET6) {
    const auto* a = reinterpret_cast<const sockaddr_in6*>(bound);
    out.push_back(0x04);
    out.append(reinterpret_cast<const char*>(&a->sin6_addr), 16);
    out.append(reinterpret_cast<const char*>(&a->sin6_port), 2);  // network order already
    return out;
  }
  out.push_back(0x01);
  if (bound != nullptr && bound->sa_family == AF_INET) {
    const auto* a = reinterpret_cast<const sockaddr_in*>(bound);
    out.append(reinterpret_cast<const char*>(&a->sin_addr), 4);
    out.append(reinterpret_cast<const char*>(&a->sin_port), 2);
    return out;
  }
  out.append(6, '\0');
  return out;
}

// ---- HTTP replies ----

const char* HttpStatusText(int status) {
  switch (status) {
    case 200:
      return "Connection established";
    case 400:
      return "Bad Request";
    case 403:
      return "Forbidden";
    case 408:
      return "Request Timeout";
    case 431:
      return "Request Header Fields Too Large";
    case 502:
      return "Bad Gateway";
    case 503:
      return "Service Unavailable";
    case 504:
      return "Gateway Timeout";
    default:
      return "Error";
  }
}

std::string HttpConnectEstablished() { return "HTTP/1.1 200 Connection established\r\n\r\n"; }

std::string HttpErrorReply(int status, std::string_view message) {
  std::string body = "cordon: ";
  // One line whatever the message holds (a reason can quote what the client sent).
  for (char c : message.substr(0, 1024)) {
    unsigned char u = static_cast<unsigned char>(c);
    body.push_back(u < 0x20 || u == 0x7f ? '?' : c);
  }
  body.push_back('\n');
  std::string out = "HTTP/1.1 " + std::to_string(status) + " " + HttpStatusText(status) + "\r\n";
  out += "Content-Type: text/plain; charset=utf-8\r\n";
  out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "Connection: close\r\n\r\n";
  out += body;
  return out;
}

std::string HttpRefusedReply(std::string_view host, uint16_t port, std::string_view reason) {
  return HttpErrorReply(403, HostPort(host, port) + " refused: " + std::string(reason));
}

std::string HostPort(std::string_view host, uint16_t port) {
  std::string out;
  if (host.find(':') != std::string_view::npos) {
    out.append("[").append(host).append("]");
  } else {
    out.append(host);
  }
  out.append(":").append(std::to_string(port));
  return out;
}

}  // namespace cordon::net
