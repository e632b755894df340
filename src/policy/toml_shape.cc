#include "policy/toml_shape.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>
#include <vector>

namespace cordon::policy {
namespace {

constexpr int kMaxNesting = 16;
constexpr std::array<std::string_view, 7> kSections = {"filesystem", "environment", "environment.set", "limits",
                                                       "network",    "network.hosts", "exec"};
// The arrays of tables: command rules and alert rules.
constexpr std::array<std::string_view, 2> kTableArrays = {"exec.rule", "alert"};

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Length of the UTF-8 sequence at `i`, or 0 when it is not valid (overlong, surrogate, > U+10FFFF, truncated).
size_t Utf8Length(std::string_view s, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  if (c < 0x80) return 1;
  size_t n = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
  if (n == 0 || c > 0xF4 || i + n > s.size()) return 0;
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  unsigned char c1 = byte(i + 1);
  if (c == 0xE0 && c1 < 0xA0) return 0;  // overlong
  if (c == 0xED && c1 > 0x9F) return 0;  // surrogates
  if (c == 0xF0 && c1 < 0x90) return 0;  // overlong
  if (c == 0xF4 && c1 > 0x8F) return 0;  // above U+10FFFF
  return n;
}

class Shape {
 public:
  Shape(std::string_view text, std::string name) : t_(text), name_(std::move(name)) {}

  Result<void> Check() {
    for (size_t i = 0; i < t_.size();) {
      size_t n = Utf8Length(t_, i);
      if (n == 0) return Fail(i, "not valid UTF-8");
      i += n;
    }
    bool line_start = true;
    bool key_mode = true;  // at depth 0: before the '=' of a statement
    for (i_ = 0; i_ < t_.size(); ++i_) {
      char c = t_[i_];
      if (c == '\n') {
        line_start = true;
        if (stack_.empty()) key_mode = true;
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') continue;
      if (c == '#') {
        SkipTo('\n');
        --i_;
        continue;
      }
      if (stack_.empty() && line_start && key_mode && in_root_) {
        // toml11 3.7 dereferences an empty array when [[exec.rule]] follows `exec = []` (SIGSEGV). An escape
        // could spell the key another way ("ex\u0065c"), and no top-level key needs one.
        if (c == '"' && t_.substr(i_, t_.find('"', i_ + 1) - i_).find('\\') != std::string_view::npos) {
          return Fail(i_, "escapes in top-level keys are not used in policy files");
        }
        if (RootKeyIs("exec")) return Fail(i_, "`exec` is a section: write [exec] and [[exec.rule]]");
        if (RootKeyIs("alert")) return Fail(i_, "`alert` is an array of tables: write [[alert]]");
      }
      if (c == '"' || c == '\'') {
        CORDON_TRY(SkipString(c));
        line_start = false;
        continue;
      }
      if (stack_.empty() && line_start && c == '[') {
        CORDON_TRY(Header());
        continue;
      }
      line_start = false;
      bool in_key = stack_.empty() ? key_mode : (stack_.back() == '{' && inline_key_);
      if (in_key && c == '.') return Fail(i_, "dotted keys are not used in policy files: write the key in its section");
      if (c == '=') {
        if (stack_.empty()) key_mode = false;
        else inline_key_ = false;
      } else if (c == '[' || c == '{') {
        if (static_cast<int>(stack_.size()) >= kMaxNesting) return Fail(i_, "arrays or tables nested too deeply");
        stack_.push_back(c);
        inline_key_ = c == '{';
      } else if (c == ']' || c == '}') {
        if (!stack_.empty()) stack_.pop_back();
        inline_key_ = false;
      } else if (c == ',' && !stack_.empty() && stack_.back() == '{') {
        inline_key_ = true;
      }
    }
    return {};
  }

 private:
  Error Fail(size_t at, const std::string& what) const {
    int line = 1, col = 1;
    for (size_t k = 0; k < at && k < t_.size(); ++k) {
      if (t_[k] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    return MakeError(name_ + ":" + std::to_string(line) + ":" + std::to_string(col) + ": " + what);
  }

  // Whether the key that starts at i_ (bare or quoted) is `name`.
  bool RootKeyIs(std::string_view name) const {
    std::string_view rest = t_.substr(i_);
    if (!rest.empty() && (rest[0] == '"' || rest[0] == '\'')) {
      size_t close = rest.find(rest[0], 1);
      return close != std::string_view::npos && rest.substr(1, close - 1) == name;
    }
    size_t n = 0;
    while (n < rest.size() && (std::isalnum(static_cast<unsigned char>(rest[n])) || rest[n] == '_' || rest[n] == '-')) ++n;
    return rest.substr(0, n) == name;
  }

  void SkipTo(char end) {
    while (i_ < t_.size() && t_[i_] != end) ++i_;
  }

  Result<void> SkipString(char quote) {
    size_t start = i_;
    bool multi = t_.substr(i_, 3) == std::string(3, quote);
    i_ += multi ? 3 : 1;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (quote == '"' && c == '\\') {
        i_ += 2;
        continue;
      }
      if (!multi && c == '\n') return Fail(start, "unterminated string");
      if (c == quote && (!multi || t_.substr(i_, 3) == std::string(3, quote))) {
        if (multi) i_ += 2;
        return {};
      }
      ++i_;
    }
    return Fail(start, "unterminated string");
  }

  Result<void> Header() {
    size_t start = i_;
    const bool array = t_.substr(i_, 2) == "[[";
    size_t end = t_.find(array ? "]]" : "]", i_);
    size_t eol = t_.find('\n', i_);
    if (end == std::string_view::npos || (eol != std::string_view::npos && end > eol)) {
      return Fail(start, "unterminated section header");
    }
    in_root_ = false;
    const size_t open = array ? 2 : 1;
    std::string_view section = Trim(t_.substr(i_ + open, end - i_ - open));
    if (array) {
      if (std::find(kTableArrays.begin(), kTableArrays.end(), section) == kTableArrays.end()) {
        return Fail(start, "unknown array of tables [[" + std::string(section) + "]] (known: [[exec.rule]], [[alert]])");
      }
      i_ = end + 1;
      return {};
    }
    bool known = false;
    for (std::string_view s : kSections) known = known || s == section;
    if (!known) {
      return Fail(start, "unknown section [" + std::string(section) +
                             "] (known: filesystem, environment, environment.set, limits, network, network.hosts, "
                             "exec, [[exec.rule]] and [[alert]])");
    }
    i_ = end;
    return {};
  }

  std::string_view t_;
  std::string name_;
  size_t i_ = 0;
  std::vector<char> stack_;
  bool inline_key_ = false;
  bool in_root_ = true;  // before the first [section] header
};

}  // namespace

Result<void> CheckTomlShape(const std::string& text, const std::string& name) { return Shape(text, name).Check(); }

}  // namespace cordon::policy
