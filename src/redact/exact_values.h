// Exact-value redaction: known secret strings (the values of secret-looking environment variables, the contents of
// secret files) turned into literal byte strings to find wherever they appear, as they are and encoded.
//
// For each value:
//   - raw: every line of it (a file's lines are found one by one, so a key printed line by line is redacted),
//     also JSON-escaped and percent-encoded when that differs;
//   - base64 of the whole value, standard and URL-safe alphabets, for the 3 alignments the value can have inside a
//     larger base64 text; only the characters that depend on the value alone are matched, so a padded or
//     unpadded encoding, alone or inside a longer one, is found (up to 3 characters at either end, which also
//     carry bits of the neighbouring bytes, stay visible);
//   - base64 wrapped at 64 and 76 columns (openssl, base64(1)), line by line, for a value encoded on its own;
//   - hex of the whole value, lower and upper case.
// Pieces longer than kMaxLiteral are cut into kMaxLiteral-byte literals (adjacent matches merge into one marker).
//
// Not protected: values shorter than kMinExactValue bytes (and lines shorter than that) are ignored — short
// strings ("true", "1234", a port) occur everywhere in normal output, so redacting them would destroy it. Other
// encodings (gzip, URL-safe base64 with line wraps, UTF-16, a value split by the program across lines) are not
// found.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace cordon::redact {

inline constexpr size_t kMinExactValue = 8;
inline constexpr size_t kMaxLiteral = 1024;  // as a regex (\xHH a byte) well under Hyperscan's length limit

enum class ExactForm { kRaw, kBase64, kHex };
const char* ExactFormLabel(ExactForm form);  // "secret-value", "secret-value-base64", "secret-value-hex"

struct ExactLiteral {
  std::string bytes;
  ExactForm form = ExactForm::kRaw;
};

// The literals for all `values`, without duplicates.
std::vector<ExactLiteral> ExactValueLiterals(const std::vector<std::string>& values);

// Encoders, exposed for tests.
std::string Base64(std::string_view data, bool url_safe, bool pad);
std::string Hex(std::string_view data, bool upper);
// The characters of base64(P + value + Q) that depend on `value` alone, for len(P) % 3 == alignment.
std::string Base64Core(std::string_view value, int alignment, bool url_safe);

}  // namespace cordon::redact
