#include "policy/toml_text.h"

#include <fstream>
#include <sstream>

namespace cordon::policy {
namespace {

// toml11's message is a multi-line picture; keep its first sentence and the marker's note on one line.
std::string SyntaxErrorSummary(const std::string& what) {
  std::string first = what.substr(0, what.find('\n'));
  if (first.starts_with("[error] ")) first.erase(0, 8);
  if (size_t colon = first.find(": "); first.starts_with("toml::") && colon != std::string::npos) {
    first.erase(0, colon + 2);
  }
  if (size_t mark = what.rfind("^--- "); mark != std::string::npos) {
    std::string note = what.substr(mark + 5);
    note = note.substr(0, note.find('\n'));
    if (!note.empty()) first += " (" + note + ")";
  }
  return first;
}

}  // namespace

Result<std::string> ReadTextFile(const std::string& path, const std::string& what) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return ErrnoError("cannot read " + what + " " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  if (in.bad()) return ErrnoError("cannot read " + what + " " + path);
  return buf.str();
}

Result<toml::value> ParseToml(const std::string& text, const std::string& name) {
  try {
    std::istringstream in(text);
    return toml::parse(in, name);
  } catch (const toml::syntax_error& e) {
    const auto& loc = e.location();
    return MakeError(name + ":" + std::to_string(loc.line()) + ":" + std::to_string(loc.column()) +
                     ": TOML syntax error: " + SyntaxErrorSummary(e.what()));
  } catch (const std::exception& e) {
    return MakeError(name + ": cannot parse: " + e.what());
  }
}

}  // namespace cordon::policy
