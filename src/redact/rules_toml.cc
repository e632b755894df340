// The user rules file (TOML). The only file of the redactor that touches toml11; its exceptions stop here.
#include <fstream>
#include <set>
#include <sstream>
#include <toml.hpp>

#include "policy/toml_text.h"
#include "redact/redactor.h"
#include "redact/rules.h"

namespace cordon::redact {
namespace {

constexpr int kMaxNesting = 16;

// toml11 3.7 crashes on invalid UTF-8 and on very deep nesting; a rules file needs neither.
Status CheckShape(const std::string& text, const std::string& name) {
  int line = 1;
  for (size_t i = 0; i < text.size();) {
    auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
    unsigned char c = byte(i);
    if (c == '\n') ++line;
    size_t n = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    bool ok = n > 0 && c <= 0xF4 && i + n <= text.size();
    for (size_t k = 1; ok && k < n; ++k) ok = (byte(i + k) & 0xC0) == 0x80;
    if (ok && n > 1) {
      unsigned char c1 = byte(i + 1);
      ok = !(c == 0xE0 && c1 < 0xA0) && !(c == 0xED && c1 > 0x9F) && !(c == 0xF0 && c1 < 0x90) && !(c == 0xF4 && c1 > 0x8F);
    }
    if (!ok) return MakeError(name + ":" + std::to_string(line) + ": not valid UTF-8");
    i += n;
  }
  int depth = 0, worst = 0;
  for (char c : text) {
    if (c == '[' || c == '{') worst = std::max(worst, ++depth);
    else if (c == ']' || c == '}') depth = std::max(0, depth - 1);
    else if (c == '\n') depth = 0;
  }
  if (worst > kMaxNesting) return MakeError(name + ": arrays or tables nested too deeply");
  return {};
}

class Loader {
 public:
  explicit Loader(std::string name) : name_(std::move(name)) {}

  Result<RuleSet> Load(const toml::value& root) {
    RuleSet out;
    if (!root.is_table()) return MakeError(name_ + ": a rules file must be a TOML table");
    for (const auto& [key, value] : root.as_table()) {
      if (key == "version") {
        if (!value.is_integer() || value.as_integer() != 1) Problem(value, "unsupported `version`: this cordon reads version 1");
      } else if (key != "rule") {
        Problem(value, "unknown key `" + key + "` (known: version, rule)");
      }
    }
    auto it = root.as_table().find("rule");
    if (it == root.as_table().end()) {
      Problem(0, "no rules: add [[rule]] tables");
    } else if (!it->second.is_array()) {
      Problem(it->second, "`rule` must be an array of tables: write each rule as [[rule]]");
    } else {
      std::set<std::string> builtin_ids;
      for (const Rule& r : BuiltinRules()) builtin_ids.insert(r.id);
      std::set<std::string> ids;
      for (const toml::value& t : it->second.as_array()) {
        Rule rule;
        if (!ReadRule(t, rule)) continue;
        if (builtin_ids.count(rule.id) > 0) {
          Problem(t, "rule id `" + rule.id + "` is a built-in rule's: choose another");
          continue;
        }
        if (!ids.insert(rule.id).second) {
          Problem(t, "rule id `" + rule.id + "` is used twice");
          continue;
        }
        out.rules.push_back(std::move(rule));
      }
    }
    if (!problems_.empty()) {
      std::string all;
      for (const std::string& s : problems_) all += (all.empty() ? "" : "\n") + s;
      return MakeError(all);
    }
    return out;
  }

 private:
  void Problem(int line, const std::string& what) {
    problems_.push_back(line > 0 ? name_ + ":" + std::to_string(line) + ": " + what : name_ + ": " + what);
  }
  void Problem(const toml::value& v, const std::string& what) { Problem(static_cast<int>(v.location().line()), what); }

  bool String(const toml::table& t, const char* key, std::string& out, bool required, const toml::value& where) {
    auto it = t.find(key);
    if (it == t.end()) {
      if (required) Problem(where, std::string("rule: missing `") + key + "`");
      return !required;
    }
    if (!it->second.is_string()) {
      Problem(it->second, std::string("`") + key + "` must be a string");
      return false;
    }
    out = it->second.as_string().str;
    return true;
  }

  bool Strings(const toml::table& t, const char* key, std::vector<std::string>& out) {
    auto it = t.find(key);
    if (it == t.end()) return true;
    if (!it->second.is_array()) {
      Problem(it->second, std::string("`") + key + "` must be an array of strings");
      return false;
    }
    for (const toml::value& e : it->second.as_array()) {
      if (!e.is_string()) {
        Problem(e, std::string("`") + key + "` entries must be strings");
        return false;
      }
      out.push_back(e.as_string().str);
    }
    return true;
  }

  bool ReadRule(const toml::value& v, Rule& rule) {
    if (!v.is_table()) {
      Problem(v, "each rule must be a table ([[rule]])");
      return false;
    }
    const toml::table& t = v.as_table();
    bool ok = true;
    for (const auto& [key, value] : t) {
      static const std::set<std::string> kKnown = {"id", "description", "regex", "begin", "min_entropy", "value_after",
                                                   "positives", "negatives"};
      if (kKnown.count(key) == 0) {
        Problem(value, "unknown key `rule." + key + "` (known: id, description, regex, begin, min_entropy, value_after, "
                       "positives, negatives)");
        ok = false;
      }
    }
    ok = String(t, "id", rule.id, true, v) && ok;
    ok = String(t, "regex", rule.regex, true, v) && ok;
    ok = String(t, "description", rule.description, false, v) && ok;
    ok = String(t, "begin", rule.begin, false, v) && ok;
    ok = Strings(t, "value_after", rule.value_after) && ok;
    ok = Strings(t, "positives", rule.positives) && ok;
    ok = Strings(t, "negatives", rule.negatives) && ok;
    if (auto it = t.find("min_entropy"); it != t.end()) {
      if (it->second.is_floating()) rule.min_entropy = it->second.as_floating();
      else if (it->second.is_integer()) rule.min_entropy = static_cast<double>(it->second.as_integer());
      else {
        Problem(it->second, "`min_entropy` must be a number (bits per byte)");
        ok = false;
      }
    }
    if (!ok) return false;
    const int line = static_cast<int>(v.location().line());
    int regex_line = line;
    if (auto it = t.find("regex"); it != t.end()) regex_line = static_cast<int>(it->second.location().line());
    rule.origin = name_ + ":" + std::to_string(line);
    if (Status s = CheckRule(rule); !s.ok()) {
      Problem(regex_line, s.error().message);
      return false;
    }
    return CheckSamples(rule, line);
  }

  // Each positive must come out as exactly one marker of this rule; each negative unchanged.
  bool CheckSamples(const Rule& rule, int line) {
    if (rule.positives.empty() && rule.negatives.empty()) return true;
    Result<std::unique_ptr<Redactor>> r = Redactor::Create(RuleSet{{rule}}, {});
    if (!r.ok()) {
      Problem(line, r.error().message);
      return false;
    }
    bool ok = true;
    const std::string marker = "[REDACTED:" + rule.id + "]";
    for (size_t i = 0; i < rule.positives.size(); ++i) {
      std::string got = (*r)->RedactAll(rule.positives[i]);
      if (got != marker) {
        Problem(line, "rule `" + rule.id + "`: positive sample " + std::to_string(i + 1) +
                          " is not redacted whole (the rule's output: \"" + got + "\")");
        ok = false;
      }
    }
    for (size_t i = 0; i < rule.negatives.size(); ++i) {
      if ((*r)->RedactAll(rule.negatives[i]) != rule.negatives[i]) {
        Problem(line, "rule `" + rule.id + "`: negative sample " + std::to_string(i + 1) + " is redacted");
        ok = false;
      }
    }
    return ok;
  }

  std::string name_;
  std::vector<std::string> problems_;
};

}  // namespace

Result<RuleSet> LoadRulesText(const std::string& text, const std::string& name) {
  CORDON_TRY(CheckShape(text, name));
  CORDON_ASSIGN_OR_RETURN(toml::value root, policy::ParseToml(text, name));
  try {
    return Loader(name).Load(root);
  } catch (const std::exception& e) {
    return MakeError(name + ": " + e.what());
  }
}

Result<RuleSet> LoadRulesFile(const std::string& path) {
  CORDON_ASSIGN_OR_RETURN(std::string text, policy::ReadTextFile(path, "rules file"));
  return LoadRulesText(text, path);
}

}  // namespace cordon::redact
