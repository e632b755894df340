#include "redact/exact_values.h"

#include <set>
#include <string_view>

namespace cordon::redact {
namespace {

std::string JsonEscaped(std::string_view s) {
  static const char* kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      out += "\\u00";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

std::string PercentEncoded(std::string_view s) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved) {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

class Collector {
 public:
  void Add(std::string_view piece, ExactForm form) {
    if (piece.size() < kMinExactValue) return;
    for (size_t at = 0; at < piece.size(); at += kMaxLiteral) {
      std::string_view chunk = piece.substr(at, kMaxLiteral);
      // A short tail of a long piece would match too much elsewhere; the chunks before it already cover most.
      if (chunk.size() < kMinExactValue) break;
      if (seen_.insert(std::string(chunk)).second) out_.push_back({std::string(chunk), form});
    }
  }
  std::vector<ExactLiteral> Take() { return std::move(out_); }

 private:
  std::set<std::string> seen_;
  std::vector<ExactLiteral> out_;
};

}  // namespace

const char* ExactFormLabel(ExactForm form) {
  switch (form) {
    case ExactForm::kRaw: return "secret-value";
    case ExactForm::kBase64: return "secret-value-base64";
    case ExactForm::kHex: return "secret-value-hex";
  }
  return "secret-value";
}

std::string Base64(std::string_view data, bool url_safe, bool pad) {
  const char* alphabet = url_safe ? "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
                                  : "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  size_t i = 0;
  auto byte = [&](size_t k) { return static_cast<uint32_t>(static_cast<unsigned char>(data[k])); };
  for (; i + 3 <= data.size(); i += 3) {
    uint32_t v = byte(i) << 16 | byte(i + 1) << 8 | byte(i + 2);
    for (int k = 18; k >= 0; k -= 6) out += alphabet[(v >> k) & 63];
  }
  size_t rest = data.size() - i;
  if (rest > 0) {
    uint32_t v = byte(i) << 16 | (rest == 2 ? byte(i + 1) << 8 : 0);
    out += alphabet[(v >> 18) & 63];
    out += alphabet[(v >> 12) & 63];
    if (rest == 2) out += alphabet[(v >> 6) & 63];
    if (pad) out += rest == 2 ? "=" : "==";
  }
  return out;
}

std::string Hex(std::string_view data, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (unsigned char c : data) {
    out += digits[c >> 4];
    out += digits[c & 15];
  }
  return out;
}

std::string Base64Core(std::string_view value, int alignment, bool url_safe) {
  // Encode as if `alignment` unknown bytes came first, then drop every character that depends on those bytes
  // (the first 0, 2 or 3) or on the unknown bytes after the value (the last one, when the bits do not end on a
  // character boundary).
  std::string padded(static_cast<size_t>(alignment), '\0');
  padded.append(value);
  std::string enc = Base64(padded, url_safe, false);
  static constexpr size_t kDropFront[3] = {0, 2, 3};
  size_t front = kDropFront[alignment];
  size_t back = (padded.size() * 8) % 6 != 0 ? 1 : 0;
  if (enc.size() <= front + back) return "";
  return enc.substr(front, enc.size() - front - back);
}

std::vector<ExactLiteral> ExactValueLiterals(const std::vector<std::string>& values) {
  Collector c;
  for (const std::string& v : values) {
    if (v.size() < kMinExactValue) continue;
    for (size_t start = 0; start <= v.size();) {
      size_t nl = v.find('\n', start);
      std::string_view line = std::string_view(v).substr(start, nl == std::string::npos ? std::string::npos : nl - start);
      if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
      c.Add(line, ExactForm::kRaw);
      c.Add(JsonEscaped(line), ExactForm::kRaw);
      c.Add(PercentEncoded(line), ExactForm::kRaw);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
    for (bool url : {false, true}) {
      for (int a = 0; a < 3; ++a) c.Add(Base64Core(v, a, url), ExactForm::kBase64);
    }
    std::string whole = Base64(v, false, true);
    for (size_t width : {64, 76}) {
      if (whole.size() <= width) continue;
      for (size_t at = 0; at < whole.size(); at += width) c.Add(std::string_view(whole).substr(at, width), ExactForm::kBase64);
    }
    c.Add(Hex(v, false), ExactForm::kHex);
    c.Add(Hex(v, true), ExactForm::kHex);
  }
  return c.Take();
}

}  // namespace cordon::redact
