// libFuzzer target: the proxy's request parsers (HTTP/1.x head, SOCKS5 greeting and request) and its error
// replies must turn any bytes into an answer, never crash, hang or read out of bounds, and must give the same
// answer however the bytes are split across reads. Built only with clang and -DCORDON_FUZZ=ON.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "net/protocol.h"

namespace {

using cordon::net::HttpHeadParser;
using cordon::net::ParseStatus;

void Check(bool ok) {
  if (!ok) __builtin_trap();
}

void FuzzHttp(std::string_view in, size_t split) {
  HttpHeadParser whole(512, 16);  // small limits, so the fuzzer reaches them
  ParseStatus a = whole.Parse(in);
  HttpHeadParser parts(512, 16);
  ParseStatus first = parts.Parse(in.substr(0, split));
  ParseStatus b = parts.Parse(in);
  Check(a == b);
  if (a == ParseStatus::kDone) {
    const cordon::net::HttpRequest& r = whole.request();
    Check(first == ParseStatus::kNeedMore || split >= r.head_bytes);
    Check(r.head_bytes <= in.size() && r.head_bytes <= 512);
    Check(!r.host.empty() && r.port != 0);
    Check(r.upstream_head == parts.request().upstream_head && r.head_bytes == parts.request().head_bytes);
    if (r.protocol == cordon::net::Protocol::kHttp) {
      // The rewritten head is well formed: CRLF lines only, no NUL, one blank line at the very end.
      const std::string& h = r.upstream_head;
      Check(h.size() >= 4 && h.compare(h.size() - 4, 4, "\r\n\r\n") == 0);
      Check(h.find("\r\n\r\n") == h.size() - 4);
      for (size_t i = 0; i < h.size(); ++i) {
        Check(h[i] != '\0');
        if (h[i] == '\n') Check(i > 0 && h[i - 1] == '\r');
        if (h[i] == '\r') Check(i + 1 < h.size() && h[i + 1] == '\n');
      }
    }
  } else if (a == ParseStatus::kError) {
    Check(!whole.error().message.empty());
    Check(whole.error().status == 400 || whole.error().status == 431);
    Check(whole.error().message == parts.error().message);
  }
}

void FuzzSocks(std::string_view in) {
  cordon::net::Socks5Greeting g;
  if (cordon::net::ParseSocks5Greeting(in, &g) != ParseStatus::kDone) return;
  Check(g.bytes >= 3 && g.bytes <= in.size());
  std::string_view rest = in.substr(g.bytes);
  cordon::net::Socks5Request r;
  cordon::net::Socks5Reply reply = cordon::net::Socks5Reply::kSucceeded;
  ParseStatus s = cordon::net::ParseSocks5Request(rest, &r, &reply);
  if (s == ParseStatus::kDone) {
    Check(r.bytes <= rest.size() && !r.host.empty() && r.host.size() <= 255 && r.port != 0);
  } else if (s == ParseStatus::kError) {
    Check(reply != cordon::net::Socks5Reply::kSucceeded);
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  const size_t split = size == 0 ? 0 : data[0] % (size + 1);
  FuzzHttp(in, split);
  FuzzSocks(in);
  // A reply built from any text is one status line, headers, and a one-line body.
  std::string reply = cordon::net::HttpErrorReply(403, in);
  size_t body = reply.find("\r\n\r\n");
  Check(body != std::string::npos && reply.find('\n', body + 4) == reply.size() - 1);
  return 0;
}
