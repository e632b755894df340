// Redaction rules: what a secret in a command's output looks like. A rule is a regex in the subset of PCRE that
// Hyperscan compiles (no backreferences, no lookaround), matched over the bytes the command writes; each match is
// replaced by `[REDACTED:<id>]`. The regex matches the secret itself, or the secret with the context that
// recognises it (`password = "…"`): the whole match is replaced, there is no capture-group narrowing.
//
// Rules must be bounded: every repeat has an upper limit ({0,N}, not * or +) so that a match has a longest length.
// That length is how many bytes the streaming redactor may have to hold back, and it is capped (kMaxRuleWidth).
//
// Two kinds of rules:
//   - line rules (the default): a match never spans a line break. A match that would is cut at the last '\n' or
//     '\r' inside it, so that everything up to a line break can be released as soon as the break is seen.
//   - multi-line rules (`begin` set, e.g. PEM private keys): `begin` is a line pattern for how every match starts
//     (`-----BEGIN … PRIVATE KEY-----`). Output from where `begin` matched is held until the rule's longest match
//     can no longer end later (its width), so a key printed line by line is still redacted whole. A match of
//     the rule is taken to start at the last `begin` match before the match's end (within its width).
//
// min_entropy: for generic assignment rules (`password=…`). The value — the match after the first occurrence of
// one of `value_after` (case-insensitive; the whole match when empty), without surrounding blanks, quotes and the
// `>`/`=` of `=>`/`:=` — must have at least this Shannon entropy in bits per byte, or the match is ignored.
// Length limits are written into the regex ({8,64}). A value that reads as a placeholder or as code (NotASecret:
// "your-api-key", "changeme", "<token>", "${VAR}", "user:pass@", `_M_token`, `alice.computeSecret`, `llvm::Pass`,
// `/bin/systemctl`, a phrase with two or more spaces)
// is ignored too: entropy alone cannot tell "your-api-key" (3.25 bits) or "get_password_from_user" (3.63) from a
// short random password (3.0 for 8 distinct bytes). The price: a generic `password=` value made of letters only
// (and `_` `.`), like "correcthorsebattery", is taken for an identifier and left alone.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cordon::redact {

// The longest match a rule may have (its regex's maximum width). Bounds what a stream holds back.
inline constexpr size_t kMaxRuleWidth = 64 * 1024;

struct Rule {
  std::string id;           // [a-z0-9-]{1,64}, shown in the marker: "github-pat"
  std::string description;  // one line, for humans
  std::string regex;        // Hyperscan syntax; `(?i)` at the start for case-insensitive rules
  std::string begin;        // multi-line rules only: the regex every match starts with
  double min_entropy = 0;   // bits per byte of the value; 0: no check
  std::vector<std::string> value_after;  // where the value starts, for min_entropy: {"=", ":"}
  std::vector<std::string> positives;    // texts the rule must redact whole (tests, and checked on load)
  std::vector<std::string> negatives;    // texts no rule of the set may touch
  std::string origin;                    // "FILE:LINE" for rules from a rules file; empty for built-ins
};

struct RuleSet {
  std::vector<Rule> rules;
};

// The rules compiled into cordon, with their samples (at least two positives and two negatives each).
const std::vector<Rule>& BuiltinRules();
RuleSet BuiltinRuleSet();

// Checks one rule on its own: id syntax, a regex that Hyperscan compiles in streaming mode with start-of-match
// reporting, bounded (width <= kMaxRuleWidth), never matching the empty string; the same for `begin`; a sane
// min_entropy. The error quotes Hyperscan's own compile message ("rule `x`: regex: …").
Status CheckRule(const Rule& rule);

// The value a min_entropy rule measures, out of a whole match (see the header comment).
std::string_view RuleValue(const Rule& rule, std::string_view match);
// The quotes and separators RuleValue trims from the end of a value.
bool ValueTrailChar(char c);
// Whether a min_entropy rule's value is a placeholder or code rather than a secret (see above).
bool NotASecret(std::string_view value);
// Shannon entropy of the bytes of `s`, in bits per byte (0 for an empty string).
double ShannonEntropy(std::string_view s);
// The same for a string that grows a byte at a time, in constant time per byte.
class RunningEntropy {
 public:
  void Add(unsigned char c);
  double bits() const;

 private:
  uint32_t counts_[256] = {};
  double sum_ = 0;
  uint64_t n_ = 0;
};

// A user rules file:
//
//   [[rule]]
//   id = "acme-token"
//   description = "ACME internal API token"
//   regex = 'acme_[A-Za-z0-9]{32}'
//   min_entropy = 3.0            # optional
//   value_after = ["=", ":"]     # optional
//   begin = '…'                  # optional: makes it a multi-line rule
//   positives = ["acme_…"]       # optional: each must be redacted whole by this rule
//   negatives = ["acme_short"]   # optional: each must be left alone by this rule
//
// Every problem is reported at once, one per line, as "FILE:LINE: what is wrong" (unknown keys, wrong types, a
// regex Hyperscan refuses — with its message —, an id used twice or by a built-in rule, a sample that fails).
// Returns the file's rules only; add them to BuiltinRuleSet() to use both.
Result<RuleSet> LoadRulesFile(const std::string& path);
Result<RuleSet> LoadRulesText(const std::string& text, const std::string& name);

}  // namespace cordon::redact
