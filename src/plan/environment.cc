#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "plan/launch_plan.h"

namespace cordon::plan {
namespace {

constexpr std::array<std::string_view, 18> kBaseAllow = {
    "PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LANGUAGE", "TERM", "COLORTERM", "TZ",
    "NO_COLOR", "FORCE_COLOR", "CLICOLOR", "EDITOR", "PAGER", "CI", "COLUMNS", "LINES"};
constexpr std::array<std::string_view, 1> kBasePrefixes = {"LC_"};

// Words of a variable name (split at '_') that mark it as a credential; a word ending in one of the
// first five ("APIKEY", "ACCESSTOKEN") counts too.
constexpr std::array<std::string_view, 20> kSecretWords = {
    "KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "SECRETS", "KEYS", "TOKENS", "PASS", "PASSPHRASE", "PWD",
    "CREDENTIAL", "CREDENTIALS", "CREDS", "AUTH", "COOKIE", "SESSION", "PRIVATE", "SIGNATURE", "DSN"};

// Value prefixes of well-known credential formats; such a value is dropped whatever its name.
constexpr std::array<std::string_view, 16> kSecretValuePrefixes = {
    "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "sk-", "xoxb-", "xoxp-", "xapp-",
    "AKIA", "ASIA", "AIza", "npm_", "-----BEGIN"};

// True when a keep entry names or matches `name`; `*exact` when one names it exactly (order does not matter).
bool MatchesKeep(const std::string& name, const std::vector<std::string>& keep, bool* exact) {
  bool matched = false;
  for (const std::string& k : keep) {
    if (k == name) {
      *exact = true;
      return true;
    }
    if (!k.empty() && k.back() == '*' && name.starts_with(std::string_view(k).substr(0, k.size() - 1))) matched = true;
  }
  return matched;
}

}  // namespace

bool LooksLikeSecretName(const std::string& name) {
  if (name == "PWD" || name == "OLDPWD") return false;
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  std::string_view rest(upper);
  while (!rest.empty()) {
    size_t cut = rest.find_first_of("_-.");
    std::string_view word = rest.substr(0, cut);
    for (size_t i = 0; i < kSecretWords.size(); ++i) {
      std::string_view w = word;
      if (w.size() > 1 && w.back() == 'S') w.remove_suffix(1);  // KEYS, PASSWORDS, CREDENTIALS
      if (w == kSecretWords[i] || word == kSecretWords[i] || (i < 5 && w.ends_with(kSecretWords[i]))) return true;
    }
    if (cut == std::string_view::npos) break;
    rest.remove_prefix(cut + 1);
  }
  return false;
}

bool LooksLikeSecretValue(const std::string& value) {
  std::string_view v(value);
  // A URL with a password ("https://user:pass@host").
  if (size_t scheme = v.find("://"); scheme != std::string_view::npos) {
    std::string_view rest = v.substr(scheme + 3);
    size_t at = rest.find('@');
    size_t slash = rest.find('/');
    if (at != std::string_view::npos && (slash == std::string_view::npos || at < slash) &&
        rest.substr(0, at).find(':') != std::string_view::npos) {
      return true;
    }
  }
  return std::any_of(kSecretValuePrefixes.begin(), kSecretValuePrefixes.end(),
                     [&](std::string_view p) { return v.starts_with(p) && v.size() >= p.size() + 16; });
}

std::vector<std::string> ScrubEnvironment(const std::vector<std::string>& environ, const policy::Environment& rules,
                                          std::vector<std::string>* dropped) {
  std::vector<std::string> out;
  for (const std::string& entry : environ) {
    size_t eq = entry.find('=');
    if (eq == std::string::npos || eq == 0) continue;
    std::string name = entry.substr(0, eq);
    std::string value = entry.substr(eq + 1);
    bool exact = false;
    bool base = std::find(kBaseAllow.begin(), kBaseAllow.end(), name) != kBaseAllow.end() ||
                std::any_of(kBasePrefixes.begin(), kBasePrefixes.end(),
                            [&](std::string_view p) { return name.starts_with(p); });
    bool kept = MatchesKeep(name, rules.keep, &exact);
    bool secret = LooksLikeSecretName(name) || LooksLikeSecretValue(value);
    if ((base || kept) && (!secret || exact)) {
      out.push_back(entry);
    } else if (dropped != nullptr) {
      dropped->push_back(name);
    }
  }
  for (const auto& [set_name, value] : rules.set) {
    const std::string prefix = set_name + "=";
    std::erase_if(out, [&prefix](const std::string& e) { return e.starts_with(prefix); });
    out.push_back(prefix + value);
  }
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace cordon::plan
