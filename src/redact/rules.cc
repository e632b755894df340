#include "redact/rules.h"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "redact/builtin_db.h"
#include "redact/patterns.h"

namespace cordon::redact {
namespace {

bool ValidId(const std::string& id) {
  if (id.empty() || id.size() > 64 || id.front() == '-' || id.back() == '-') return false;
  for (char c : id) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

bool IEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    auto fold = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (fold(a[i]) != fold(b[i])) return false;
  }
  return true;
}

Status CheckPattern(const std::string& what, const std::string& regex) {
  if (regex.empty()) return MakeError(what + " is empty");
  Result<RegexWidths> w = AnalyzeRegex(regex);
  if (!w.ok()) return std::move(w).error();
  if (w->max_width == UINT32_MAX || w->max_width > kMaxRuleWidth) {
    return MakeError(what + " has no upper bound on its length (or one above " + std::to_string(kMaxRuleWidth) +
                     " bytes): write every repeat with a limit, {0,N} instead of * and {1,N} instead of +");
  }
  if (w->min_width == 0) return MakeError(what + " matches the empty string");
  return {};
}

}  // namespace

RuleSet BuiltinRuleSet() { return RuleSet{BuiltinRules()}; }

bool ValueTrailChar(char c) {
  return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '`' || c == ',' || c == ';' || c == ':';
}

std::string_view RuleValue(const Rule& rule, std::string_view match) {
  std::string_view v = match;
  if (!rule.value_after.empty()) {
    size_t best = std::string_view::npos, best_len = 0;
    for (const std::string& sep : rule.value_after) {
      if (sep.empty() || sep.size() > match.size()) continue;
      for (size_t i = 0; i + sep.size() <= match.size() && i < best; ++i) {
        if (IEquals(match.substr(i, sep.size()), sep)) {
          best = i;
          best_len = sep.size();
          break;
        }
      }
    }
    if (best != std::string_view::npos) v = match.substr(best + best_len);
  }
  auto lead = [](char c) { return c == ' ' || c == '\t' || c == '"' || c == '\'' || c == '`' || c == '>' || c == '='; };
  while (!v.empty() && lead(v.front())) v.remove_prefix(1);
  while (!v.empty() && ValueTrailChar(v.back())) v.remove_suffix(1);
  return v;
}

bool NotASecret(std::string_view value) {
  static constexpr std::string_view kPlaceholders[] = {
      "example", "your_", "your-", "yourpass", "yourtoken", "yourkey", "changeme", "change_me", "change-me",
      "placeholder", "redacted", "dummy", "xxxxx", "*****", ".....", "${", "{{", "$(", "%(", "<", ">",
      // user:password@ in documentation
      ":pass@", ":password@", ":secret@", ":xyz@", ":123@", ":passwd@", ":pwd@"};
  char small[256];
  std::string large;
  char* lower = small;
  if (value.size() > sizeof small) {
    large.resize(value.size());
    lower = large.data();
  }
  for (size_t i = 0; i < value.size(); ++i) {
    char c = value[i];
    lower[i] = c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
  }
  const std::string_view folded(lower, value.size());
  for (std::string_view w : kPlaceholders) {
    if (folded.find(w) != std::string_view::npos) return true;
  }
  // Code: a scope or member access (`a::b`, `a->b`), or an identifier or member path without digits (`_M_token`,
  // `alice.computeSecret`; `:doInitialization` is what `Pass::doInitialization` leaves after its first ':').
  if (value.find("::") != std::string_view::npos || value.find("->") != std::string_view::npos) return true;
  if (value.starts_with(":")) value.remove_prefix(1);
  // Prose ("Password used to generate key") and paths without digits (`NOPASSWD: /bin/systemctl`).
  if (std::count(value.begin(), value.end(), ' ') >= 2) return true;
  bool path = value.starts_with("/") || value.starts_with("~/") || value.starts_with("./");
  bool identifier = !value.empty();
  for (char c : value) {
    bool word = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || c == '.';
    if (!word && !(path && (c == '/' || c == '-' || c == '~'))) identifier = false;
  }
  return identifier;
}

namespace {

// c*log2(c), from a table for the counts short strings have (called at every end of every generic match).
double CLogC(uint64_t c) {
  static const std::vector<double> kTable = [] {
    std::vector<double> t(4097);
    for (size_t k = 1; k < t.size(); ++k) t[k] = static_cast<double>(k) * std::log2(static_cast<double>(k));
    return t;
  }();
  return c < kTable.size() ? kTable[c] : static_cast<double>(c) * std::log2(static_cast<double>(c));
}

}  // namespace

double ShannonEntropy(std::string_view s) {
  if (s.empty()) return 0;
  // H = log2(n) - (sum of c*log2(c)) / n over the byte counts c.
  uint32_t counts[256] = {};
  for (unsigned char c : s) ++counts[c];
  double sum = 0;
  for (unsigned char c : s) {
    uint32_t& n = counts[c];
    if (n == 0) continue;  // counted already
    sum += CLogC(n);
    n = 0;
  }
  const double total = static_cast<double>(s.size());
  return std::log2(total) - sum / total;
}

void RunningEntropy::Add(unsigned char c) {
  uint32_t& k = counts_[c];
  sum_ += CLogC(k + 1) - CLogC(k);
  ++k;
  ++n_;
}

double RunningEntropy::bits() const {
  if (n_ == 0) return 0;
  const double total = static_cast<double>(n_);
  return std::log2(total) - sum_ / total;
}

Status CheckRule(const Rule& rule) {
  if (!ValidId(rule.id)) {
    return MakeError("rule id `" + rule.id + "` is not valid: use 1 to 64 of a-z, 0-9 and -, not starting or ending in -");
  }
  const std::string name = "rule `" + rule.id + "`: ";
  if (rule.description.find('\n') != std::string::npos) return MakeError(name + "the description must be one line");
  Status s = CheckPattern("regex", rule.regex);
  if (!s.ok()) return MakeError(name + s.error().message);
  if (!rule.begin.empty()) {
    s = CheckPattern("begin", rule.begin);
    if (!s.ok()) return MakeError(name + s.error().message);
  }
  if (!(rule.min_entropy >= 0 && rule.min_entropy <= 8)) {
    return MakeError(name + "min_entropy must be between 0 and 8 (bits per byte)");
  }
  for (const std::string& v : rule.value_after) {
    if (v.empty()) return MakeError(name + "value_after entries must not be empty");
  }
  return {};
}

uint64_t RulesFingerprint(const std::vector<Rule>& rules) {
  uint64_t h = 14695981039346656037ULL;
  auto mix = [&](const std::string& s) {
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
    h = (h ^ 0xff) * 1099511628211ULL;
  };
  for (const Rule& r : rules) {
    mix(r.id);
    mix(r.regex);
    mix(r.begin);
  }
  return h;
}

std::vector<PatternSource> RuleSources(const std::vector<Rule>& rules, size_t first) {
  std::vector<PatternSource> out;
  for (size_t i = first; i < rules.size(); ++i) {
    const Rule& r = rules[i];
    PatternInfo info;
    info.kind = PatternKind::kMatch;
    info.label = static_cast<uint32_t>(i);
    info.multiline = !r.begin.empty();
    out.push_back({r.regex, info});
    if (!r.begin.empty()) {
      info.kind = PatternKind::kBegin;
      info.multiline = false;
      out.push_back({r.begin, info});
    }
  }
  return out;
}

}  // namespace cordon::redact
