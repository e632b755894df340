#include "redact/regex_reverse.h"

#include <cctype>
#include <memory>
#include <vector>

namespace cordon::redact {
namespace {

struct Flags {
  bool caseless = false;
  bool dotall = false;
  bool operator==(const Flags&) const = default;
};

struct Alt;

// One item of a sequence: an atom (verbatim text: a literal, an escape, a class, `.`) or a group, followed by a
// quantifier (verbatim, "" for none). Atoms carry the flags in force where they stood, so that reordering them
// cannot move them in or out of a (?i) region.
struct Item {
  std::string atom;
  std::unique_ptr<Alt> group;
  std::string quantifier;
  Flags flags;
};

struct Alt {
  std::vector<std::vector<Item>> branches;
};

class Parser {
 public:
  explicit Parser(std::string_view p) : p_(p) {}

  Result<std::string> Run() {
    Flags flags;
    // Flags set at the very start apply to the whole pattern: keep them global in the output.
    while (p_.substr(i_).starts_with("(?") && FlagGroupEnd(i_) != std::string_view::npos &&
           p_[FlagGroupEnd(i_)] == ')') {
      CORDON_TRY(ApplyFlags(i_ + 2, FlagGroupEnd(i_), flags));
      i_ = FlagGroupEnd(i_) + 1;
    }
    global_ = flags;
    auto alt = std::make_unique<Alt>();
    CORDON_TRY(ParseAlt(*alt, flags));
    if (i_ != p_.size()) return Fail("unbalanced `)`");
    std::string out;
    if (global_.caseless || global_.dotall) {
      out += "(?";
      if (global_.caseless) out += 'i';
      if (global_.dotall) out += 's';
      out += ')';
    }
    out += Emit(*alt);
    return out;
  }

 private:
  Error Fail(const std::string& what) const {
    return MakeError("at offset " + std::to_string(i_) + ": " + what);
  }

  // For "(?flags)" or "(?flags:" starting at `at`: the index of the ')' or ':' ending the flag letters, or npos.
  size_t FlagGroupEnd(size_t at) const {
    size_t k = at + 2;
    while (k < p_.size() && (std::isalpha(static_cast<unsigned char>(p_[k])) || p_[k] == '-')) ++k;
    if (k >= p_.size() || (p_[k] != ')' && p_[k] != ':') || (k == at + 2 && p_[k] != ':')) {
      return std::string_view::npos;
    }
    return k;
  }

  Status ApplyFlags(size_t from, size_t to, Flags& flags) {
    bool on = true;
    for (size_t k = from; k < to; ++k) {
      switch (p_[k]) {
        case '-': on = false; break;
        case 'i': flags.caseless = on; break;
        case 's': flags.dotall = on; break;
        default: return Fail(std::string("the inline flag `") + p_[k] + "` is not supported (only i and s)");
      }
    }
    return {};
  }

  Status ParseAlt(Alt& alt, Flags& flags) {
    alt.branches.emplace_back();
    while (i_ < p_.size()) {
      char c = p_[i_];
      if (c == ')') return {};
      if (c == '|') {
        ++i_;
        alt.branches.emplace_back();
        continue;
      }
      CORDON_TRY(ParseItem(alt.branches.back(), flags));
    }
    return {};
  }

  Status ParseItem(std::vector<Item>& seq, Flags& flags) {
    Item item;
    item.flags = flags;
    char c = p_[i_];
    if (c == '(') {
      if (p_.substr(i_).starts_with("(?#")) {
        size_t end = p_.find(')', i_);
        if (end == std::string_view::npos) return Fail("unterminated comment");
        i_ = end + 1;
        return {};
      }
      if (p_.substr(i_).starts_with("(?")) {
        size_t end = FlagGroupEnd(i_);
        if (end == std::string_view::npos) {
          return Fail("lookaround, atomic and named groups are not supported");
        }
        if (p_[end] == ')') {  // (?i): for the rest of the enclosing group
          CORDON_TRY(ApplyFlags(i_ + 2, end, flags));
          i_ = end + 1;
          return {};
        }
        Flags scoped = flags;
        CORDON_TRY(ApplyFlags(i_ + 2, end, scoped));
        i_ = end + 1;
        item.group = std::make_unique<Alt>();
        CORDON_TRY(ParseAlt(*item.group, scoped));
      } else {
        ++i_;
        Flags inner = flags;
        item.group = std::make_unique<Alt>();
        CORDON_TRY(ParseAlt(*item.group, inner));
      }
      if (i_ >= p_.size() || p_[i_] != ')') return Fail("missing `)`");
      ++i_;
    } else if (c == '[') {
      CORDON_TRY(ParseClass(item.atom));
    } else if (c == '\\') {
      CORDON_TRY(ParseEscape(seq, item));
      if (item.atom.empty()) return {};  // \Q…\E appended its literals itself
    } else if (c == '^' || c == '$') {
      return Fail("anchors (^ $) are not supported in redaction rules");
    } else if (c == '*' || c == '+' || c == '?') {
      return Fail("quantifier without anything to repeat");
    } else if (c == '{' && QuantifierLength(i_) > 0) {
      return Fail("quantifier without anything to repeat");
    } else {
      item.atom = Literal(static_cast<unsigned char>(c));
      ++i_;
    }
    CORDON_TRY(ParseQuantifier(item.quantifier));
    seq.push_back(std::move(item));
    return {};
  }

  static std::string Literal(unsigned char c) {
    if (std::isalnum(c) || c == '_' || c == ' ' || c == '"' || c == '\'' || c == ',' || c == ':' || c == '=' ||
        c == '@' || c == '%' || c == '&' || c == '~' || c == ';' || c == '<' || c == '>' || c == '!' || c == '/') {
      return std::string(1, static_cast<char>(c));
    }
    if (c >= 0x21 && c < 0x7f) return std::string("\\") + static_cast<char>(c);
    static const char* kHex = "0123456789abcdef";
    return std::string("\\x") + kHex[c >> 4] + kHex[c & 15];
  }

  Status ParseClass(std::string& out) {
    size_t k = i_ + 1;
    if (k < p_.size() && p_[k] == '^') ++k;
    if (k < p_.size() && p_[k] == ']') ++k;  // a leading ] is a literal
    while (k < p_.size() && p_[k] != ']') {
      if (p_[k] == '\\') {
        k += 2;
      } else if (p_[k] == '[' && k + 1 < p_.size() && p_[k + 1] == ':') {
        size_t end = p_.find(":]", k + 2);
        if (end == std::string_view::npos) return Fail("unterminated POSIX class");
        k = end + 2;
      } else {
        ++k;
      }
    }
    if (k >= p_.size()) return Fail("unterminated character class");
    std::string_view body = p_.substr(i_, k + 1 - i_);
    if (body.find("\\p") != std::string_view::npos || body.find("\\P") != std::string_view::npos) {
      return Fail("Unicode properties are not supported");
    }
    out = std::string(body);
    i_ = k + 1;
    return {};
  }

  Status ParseEscape(std::vector<Item>& seq, Item& item) {
    if (i_ + 1 >= p_.size()) return Fail("trailing backslash");
    char e = p_[i_ + 1];
    size_t len = 2;
    switch (e) {
      case 'A': case 'z': case 'Z': case 'G':
        return Fail("anchors (\\A \\z \\Z \\G) are not supported in redaction rules");
      case 'p': case 'P': case 'X': case 'R': case 'K': case 'N': case 'C': case 'g': case 'k':
        return Fail(std::string("`\\") + e + "` is not supported");
      case 'Q': {
        size_t end = p_.find("\\E", i_ + 2);
        std::string_view lit = p_.substr(i_ + 2, end == std::string_view::npos ? std::string_view::npos : end - i_ - 2);
        i_ = end == std::string_view::npos ? p_.size() : end + 2;
        for (char ch : lit) {
          Item lit_item;
          lit_item.flags = item.flags;
          lit_item.atom = Literal(static_cast<unsigned char>(ch));
          seq.push_back(std::move(lit_item));
        }
        return {};
      }
      case 'x':
        if (i_ + 2 < p_.size() && p_[i_ + 2] == '{') {
          size_t end = p_.find('}', i_ + 3);
          if (end == std::string_view::npos) return Fail("unterminated \\x{…}");
          len = end + 1 - i_;
        } else {
          len = 2;
          while (len < 4 && i_ + len < p_.size() && std::isxdigit(static_cast<unsigned char>(p_[i_ + len]))) ++len;
        }
        break;
      case 'c':
        len = 3;
        break;
      case '0':
        while (len < 4 && i_ + len < p_.size() && p_[i_ + len] >= '0' && p_[i_ + len] <= '7') ++len;
        break;
      default:
        if (e >= '1' && e <= '9') return Fail("backreferences are not supported");
        if (std::isalpha(static_cast<unsigned char>(e)) && std::string_view("dDwWsShHvVbBtnrfea").find(e) == std::string_view::npos) {
          return Fail(std::string("unknown escape `\\") + e + "`");
        }
    }
    if (i_ + len > p_.size()) return Fail("truncated escape");
    item.atom = std::string(p_.substr(i_, len));
    i_ += len;
    return {};
  }

  // Length of a {n}, {n,} or {n,m} quantifier at `at`, or 0 when the brace is a literal (as in PCRE).
  size_t QuantifierLength(size_t at) const {
    size_t k = at + 1;
    size_t digits = 0;
    while (k < p_.size() && std::isdigit(static_cast<unsigned char>(p_[k]))) ++k, ++digits;
    if (digits == 0) return 0;
    if (k < p_.size() && p_[k] == ',') {
      ++k;
      while (k < p_.size() && std::isdigit(static_cast<unsigned char>(p_[k]))) ++k;
    }
    if (k >= p_.size() || p_[k] != '}') return 0;
    return k + 1 - at;
  }

  Status ParseQuantifier(std::string& q) {
    if (i_ >= p_.size()) return {};
    char c = p_[i_];
    size_t len = 0;
    if (c == '?' || c == '*' || c == '+') len = 1;
    else if (c == '{') len = QuantifierLength(i_);
    if (len == 0) return {};
    q = std::string(p_.substr(i_, len));
    i_ += len;
    if (i_ < p_.size() && p_[i_] == '+') return Fail("possessive quantifiers are not supported");
    if (i_ < p_.size() && p_[i_] == '?') ++i_;  // lazy: the same set of matches
    if (i_ < p_.size() && (p_[i_] == '*' || p_[i_] == '+' || p_[i_] == '?' ||
                           (p_[i_] == '{' && QuantifierLength(i_) > 0))) {
      return Fail("two quantifiers in a row");
    }
    return {};
  }

  std::string Emit(const Alt& alt) const {
    std::string out;
    for (size_t b = 0; b < alt.branches.size(); ++b) {
      if (b > 0) out += '|';
      const std::vector<Item>& seq = alt.branches[b];
      for (auto it = seq.rbegin(); it != seq.rend(); ++it) out += EmitItem(*it);
    }
    return out;
  }

  std::string EmitItem(const Item& item) const {
    std::string body;
    if (item.group) {
      body = "(?:" + Emit(*item.group) + ")";
    } else if (item.flags == global_) {
      body = item.atom;
    } else {
      std::string on, off;
      (item.flags.caseless ? on : off) += item.flags.caseless != global_.caseless ? "i" : "";
      (item.flags.dotall ? on : off) += item.flags.dotall != global_.dotall ? "s" : "";
      body = "(?" + on + (off.empty() ? "" : "-" + off) + ":" + item.atom + ")";
    }
    return body + item.quantifier;
  }

  std::string_view p_;
  size_t i_ = 0;
  Flags global_;
};

}  // namespace

Result<std::string> ReverseRegex(std::string_view pattern) {
  Result<std::string> r = Parser(pattern).Run();
  if (!r.ok()) return std::move(r).error().With("cannot reverse the regex");
  return r;
}

}  // namespace cordon::redact
