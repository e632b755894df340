#include "winplan/win_path.h"

#include <algorithm>
#include <array>

namespace cordon::winplan {
namespace {

bool IsAsciiLetter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
char Upper(char c) { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }

std::vector<std::string_view> Split(std::string_view s, char sep) {
  std::vector<std::string_view> out;
  size_t i = 0;
  while (i <= s.size()) {
    size_t j = s.find(sep, i);
    if (j == std::string_view::npos) j = s.size();
    out.push_back(s.substr(i, j - i));
    i = j + 1;
  }
  return out;
}

Error Refuse(std::string_view text, const std::string& why) {
  return MakeError("Windows path \"" + std::string(text) + "\": " + why);
}

// "name:stream:type" -> "name" when the stream is the file's own data or the directory's own index; "" otherwise.
std::string PlainNameOfStream(std::string_view component) {
  std::vector<std::string_view> f = Split(component, ':');
  if (f.size() < 2 || f.size() > 3 || f[0].empty()) return "";
  const std::string stream = FoldCase(f[1]);
  const std::string type = f.size() == 3 ? FoldCase(f[2]) : "";
  if (stream.empty() && type == "$DATA") return std::string(f[0]);
  if ((stream.empty() || stream == "$I30") && type == "$INDEX_ALLOCATION") return std::string(f[0]);
  return "";
}

bool HasInvalidCharacter(std::string_view component) {
  return std::any_of(component.begin(), component.end(), [](char c) {
    return static_cast<unsigned char>(c) < 32 || c == '<' || c == '>' || c == '"' || c == '|' || c == '?' || c == '*';
  });
}

}  // namespace

std::string FoldCase(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Upper(c);
  return out;
}

std::string KeyOf(std::string_view plan_path) { return FoldCase(plan_path); }

bool IsDrivePlanPath(std::string_view p) {
  return p.size() >= 3 && p[0] == '/' && IsAsciiLetter(p[1]) && p[2] == ':' && (p.size() == 3 || p[3] == '/');
}

bool IsShortNameAlias(std::string_view component) {
  const size_t dot = component.rfind('.');
  std::string_view base = component.substr(0, dot);
  std::string_view ext = dot == std::string_view::npos ? std::string_view() : component.substr(dot + 1);
  if (base.empty() || base.size() > 8 || ext.size() > 3) return false;
  size_t tilde = base.rfind('~');
  if (tilde == std::string_view::npos || tilde == 0 || tilde + 1 == base.size()) return false;
  return std::all_of(base.begin() + static_cast<long>(tilde) + 1, base.end(), IsDigit);
}

bool IsReservedDeviceName(std::string_view component) {
  std::string base = FoldCase(component.substr(0, component.find('.')));
  while (!base.empty() && (base.back() == ' ' || base.back() == '.')) base.pop_back();
  static const std::array<std::string_view, 6> kNames = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"};
  if (std::find(kNames.begin(), kNames.end(), base) != kNames.end()) return true;
  if (base.size() < 4 || (base.substr(0, 3) != "COM" && base.substr(0, 3) != "LPT")) return false;
  std::string_view n = std::string_view(base).substr(3);
  // A digit, or the superscripts one, two and three (U+00B9, U+00B2, U+00B3 in UTF-8).
  return (n.size() == 1 && IsDigit(n[0])) || n == "\xC2\xB9" || n == "\xC2\xB2" || n == "\xC2\xB3";
}

std::string WinPath::Native() const {
  std::string out{drive, ':', '\\'};
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i > 0) out += '\\';
    out += parts[i];
  }
  return out;
}

std::string WinPath::Extended() const { return "\\\\?\\" + Native(); }

std::string WinPath::PlanPath() const {
  std::string out{'/', drive, ':'};
  for (const std::string& p : parts) out += "/" + p;
  return out;
}

std::string WinPath::Key() const { return KeyOf(PlanPath()); }

Result<WinPath> ParseWinPath(std::string_view text) {
  if (text.empty()) return Refuse(text, "empty");
  if (text.find('\0') != std::string_view::npos) return Refuse(text, "contains a NUL byte");
  WinPath out;
  std::string rest;
  bool extended = false;
  if (IsDrivePlanPath(text)) {  // plan form
    out.drive = Upper(text[1]);
    rest = std::string(text.substr(3));
    std::replace(rest.begin(), rest.end(), '/', '\\');
  } else {
    std::string s(text);
    if (s.starts_with("\\\\?\\") || s.starts_with("\\??\\")) {
      extended = true;
      s = s.substr(4);
      if (FoldCase(s).starts_with("UNC\\")) return Refuse(text, "network shares (UNC) are not supported");
      if (FoldCase(s).starts_with("GLOBALROOT")) return Refuse(text, "device paths are not supported");
    } else {
      std::replace(s.begin(), s.end(), '/', '\\');
      if (s.starts_with("\\\\.\\")) return Refuse(text, "device paths (\\\\.\\) are not supported");
      if (s.starts_with("\\\\")) return Refuse(text, "network shares (UNC) are not supported");
      if (s.starts_with("\\")) return Refuse(text, "rooted without a drive letter: name the drive (C:\\...)");
    }
    if (s.size() < 2 || !IsAsciiLetter(s[0]) || s[1] != ':') return Refuse(text, "not an absolute drive path (C:\\...)");
    if (s.size() > 2 && s[2] != '\\') return Refuse(text, "drive-relative (C:x): write C:\\x");
    if (s.size() == 2) return Refuse(text, "drive-relative (C: is the drive's current directory): write C:\\");
    if (extended && s.find('/') != std::string::npos) return Refuse(text, "'/' inside a \\\\?\\ path");
    out.drive = Upper(s[0]);
    rest = s.substr(3);
  }
  std::vector<std::string_view> comps = Split(rest, '\\');
  const bool trailing_separator = !rest.empty() && rest.back() == '\\';
  for (size_t i = 0; i < comps.size(); ++i) {
    std::string c(comps[i]);
    if (c.empty()) continue;
    if (c == "." || c == "..") {
      if (extended) return Refuse(text, "'.' or '..' inside a \\\\?\\ path");
      if (c == ".." && !out.parts.empty()) out.parts.pop_back();
      continue;
    }
    if (c.find(':') != std::string::npos) {
      std::string plain = PlainNameOfStream(c);
      if (plain.empty()) return Refuse(text, "alternate data stream \"" + c + "\" (file:stream) is not supported");
      c = plain;
    }
    if (c.back() == '.' || c.back() == ' ') {
      const bool last = i + 1 == comps.size() && !trailing_separator;
      if (extended || !last) return Refuse(text, "\"" + c + "\" ends in a dot or space (an alias of another name)");
      while (!c.empty() && (c.back() == '.' || c.back() == ' ')) c.pop_back();
      if (c.empty()) return Refuse(text, "a component of only dots and spaces");
    }
    if (HasInvalidCharacter(c)) return Refuse(text, "\"" + c + "\" holds a character Windows forbids in names");
    if (IsReservedDeviceName(c)) return Refuse(text, "\"" + c + "\" is a reserved device name");
    if (IsShortNameAlias(c)) out.has_short_names = true;
    out.parts.push_back(std::move(c));
  }
  return out;
}

}  // namespace cordon::winplan
