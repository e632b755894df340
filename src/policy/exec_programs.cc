#include "policy/exec_programs.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <optional>

namespace cordon::policy::programs {
namespace {

bool Has(std::string_view letters, char c) { return letters.find(c) != std::string_view::npos; }
// `names` is a space-separated list.
bool HasName(std::string_view names, std::string_view name) {
  size_t at = 0;
  while (at < names.size()) {
    size_t end = names.find(' ', at);
    if (end == std::string_view::npos) end = names.size();
    if (names.substr(at, end - at) == name) return true;
    at = end + 1;
  }
  return false;
}
bool IsOption(const std::string& a) { return a.size() > 1 && a[0] == '-'; }

bool IsAssignmentWord(const std::string& a) {
  size_t eq = a.find('=');
  if (eq == std::string::npos || eq == 0) return false;
  if (!(std::isalpha(static_cast<unsigned char>(a[0])) || a[0] == '_')) return false;
  return std::all_of(a.begin(), a.begin() + static_cast<long>(eq),
                     [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

// A program that runs the command given after its options (and `operands` more words).
struct Wrapper {
  std::string_view name;
  std::string_view value_letters;     // short options taking a value, attached or as the next word
  std::string_view attached_letters;  // short options whose value, if any, is attached (xargs -i[R])
  std::string_view value_longs;       // long options taking the next word unless written --name=value
  int operands = 0;                   // words between the options and the command (timeout DURATION)
  bool assignments = false;           // NAME=VALUE words before the command (env)
  std::string_view no_command;        // short options with which no command runs (command -v, sudo -l)
};

constexpr std::array<Wrapper, 19> kWrappers = {{
    {"env", "uCS", "", "unset chdir split-string", 0, true, ""},
    {"nice", "n", "", "adjustment", 0, false, ""},
    {"ionice", "cnpPu", "", "class classdata pid pgid uid", 0, false, "pPu"},
    {"timeout", "ks", "", "kill-after signal", 1, false, ""},
    {"nohup", "", "", "", 0, false, ""},
    {"coproc", "", "", "", 0, false, ""},  // bash's `coproc cmd args` (a compound body is parsed as a list)
    {"stdbuf", "ioe", "", "input output error", 0, false, ""},
    {"time", "fo", "", "format output", 0, false, ""},
    {"command", "", "", "", 0, false, "vV"},
    {"builtin", "", "", "", 0, false, ""},
    {"exec", "a", "", "", 0, false, ""},
    {"xargs", "aEdILnPs", "eil",
     "arg-file delimiter eof replace max-lines max-args max-procs max-chars process-slot-var", 0, false, ""},
    {"setsid", "", "", "", 0, false, ""},
    {"taskset", "", "", "", 1, false, "p"},
    {"chroot", "", "", "userspec groups", 1, false, ""},
    {"sudo", "CDghpRrtTUu", "",
     "chdir close-from group host prompt chroot role type command-timeout other-user user", 0, false, "eKlVv"},
    {"doas", "uC", "", "", 0, false, "L"},
    {"pkexec", "", "", "user", 0, false, ""},
    {"nsenter", "tSG", "muinpUCTrw", "target setuid setgid", 0, false, ""},
}};

// The index of the wrapped command (words.size() when none follows), or nullopt when the options say no
// command runs. `split` receives env's -S string and `split_from` the index of the word holding it.
std::optional<size_t> CommandStart(const Wrapper& w, const std::vector<std::string>& words, std::string* split,
                                   size_t* split_from) {
  const size_t n = words.size();
  size_t i = 1;
  for (; i < n; ++i) {
    const std::string& a = words[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (!IsOption(a)) break;
    if (a[1] == '-') {
      size_t eq = a.find('=');
      std::string_view name = std::string_view(a).substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (name == "split-string" && w.name == "env") {
        *split_from = eq != std::string::npos ? i : i + 1;
        *split = *split_from < n ? (eq != std::string::npos ? a.substr(eq + 1) : words[i + 1]) : "";
      }
      if (eq == std::string::npos && HasName(w.value_longs, name)) ++i;
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      if (Has(w.no_command, c)) return std::nullopt;
      if (Has(w.attached_letters, c)) break;
      if (Has(w.value_letters, c)) {
        if (c == 'S' && w.name == "env") {
          *split_from = k + 1 < a.size() ? i : i + 1;
          *split = k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < n ? words[i + 1] : "");
        }
        if (k + 1 == a.size()) ++i;
        break;
      }
    }
  }
  while (w.assignments && i < n && IsAssignmentWord(words[i])) ++i;
  i += static_cast<size_t>(w.operands);
  return std::min(i, n);
}

// env -S: words separated by blanks, with '…', "…" and backslash escapes.
std::vector<std::string> SplitString(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  bool in_word = false;
  char quote = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (quote != 0) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < s.size()) cur.push_back(s[++i]);
      else cur.push_back(c);
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) out.push_back(std::move(cur));
      cur.clear();
      in_word = false;
      continue;
    }
    in_word = true;
    if (c == '\'' || c == '"') quote = c;
    else if (c == '\\' && i + 1 < s.size()) cur.push_back(s[++i]);
    else cur.push_back(c);
  }
  if (in_word) out.push_back(std::move(cur));
  return out;
}

std::string Join(const std::vector<std::string>& words, size_t from) {
  std::string s;
  for (size_t i = from; i < words.size(); ++i) s += (i == from ? "" : " ") + words[i];
  return s;
}

// A shell's options: the index of the first operand, and whether -c or -s was given.
struct ShellArgs {
  size_t operand = 0;
  bool command_string = false;
  bool read_stdin = false;
};
ShellArgs ScanShell(const std::vector<std::string>& words) {
  ShellArgs s;
  size_t i = 1;
  for (; i < words.size(); ++i) {
    const std::string& a = words[i];
    if (a == "--" || a == "-") {
      ++i;
      break;
    }
    if (a.size() < 2 || (a[0] != '-' && a[0] != '+')) break;
    if (a[0] == '-' && a[1] == '-') {
      if (a == "--rcfile" || a == "--init-file") ++i;
      continue;
    }
    size_t values = 0;  // -o NAME and -O NAME take the next word
    for (size_t k = 1; k < a.size(); ++k) {
      if (a[k] == 'c' && a[0] == '-') s.command_string = true;
      if (a[k] == 's' && a[0] == '-') s.read_stdin = true;
      if (a[k] == 'o' || a[k] == 'O') ++values;
    }
    i += values;
  }
  s.operand = i;
  return s;
}

// su and runuser: -c CMD anywhere among the options (getopt permutes); runuser -u USER takes an argv instead.
void SuCommands(const std::vector<std::string>& words, bool runuser, std::vector<Nested>& out) {
  const size_t n = words.size();
  bool user_option = false;
  size_t first_operand = n;
  for (size_t i = 1; i < n; ++i) {
    const std::string& a = words[i];
    if (a == "--") {
      if (first_operand == n) first_operand = i + 1;
      break;
    }
    if (a.starts_with("--command=") || a.starts_with("--session-command=")) {
      out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, a.substr(a.find('=') + 1), std::string(words[0]) + " -c"});
      continue;
    }
    if (a == "--command" || a == "--session-command") {
      if (i + 1 < n) out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, words[i + 1], std::string(words[0]) + " -c"});
      ++i;
      continue;
    }
    if (a == "--user") user_option = true;
    if (a.starts_with("--")) {
      if (a == "--user" || a == "--shell" || a == "--group" || a == "--supp-group" ||
          a == "--whitelist-environment") {
        ++i;
      }
      continue;
    }
    if (!IsOption(a)) {
      if (first_operand == n) first_operand = i;
      if (runuser && user_option) break;  // runuser -u USER CMD ARGS: the rest is the command
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      if (c == 'u' && runuser) user_option = true;
      if (c == 'c' || c == 's' || c == 'g' || c == 'G' || c == 'w' || (c == 'u' && runuser)) {
        std::string value = k + 1 < a.size() ? a.substr(k + 1) : (i + 1 < n ? words[i + 1] : "");
        if (c == 'c') out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, value, std::string(words[0]) + " -c"});
        if (k + 1 == a.size()) ++i;
        break;
      }
    }
  }
  if (runuser && user_option && first_operand < n) {
    out.push_back({Nested::Kind::kArgv, first_operand, n, {}, 0, "", "runuser"});
  }
}

// flock [options] FILE CMD ARGS | flock [options] FILE -c CMD (options stop at the first operand).
void FlockCommands(const std::vector<std::string>& words, std::vector<Nested>& out) {
  const size_t n = words.size();
  size_t i = 1;
  for (; i < n && IsOption(words[i]); ++i) {
    const std::string& a = words[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--timeout" || a == "--wait" || a == "--conflict-exit-code") ++i;
    if (!a.starts_with("--") && (a.back() == 'w' || a.back() == 'E')) ++i;
  }
  size_t cmd = i + 1;  // after FILE
  if (cmd >= n) return;
  if ((words[cmd] == "-c" || words[cmd] == "--command") && cmd + 1 < n) {
    out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, words[cmd + 1], "flock -c"});
  } else {
    out.push_back({Nested::Kind::kArgv, cmd, n, {}, 0, "", "flock"});
  }
}

// watch [options] CMD...: the words joined by spaces and run by sh -c, or exec'd as they are with -x.
void WatchCommands(const std::vector<std::string>& words, std::vector<Nested>& out) {
  const size_t n = words.size();
  bool exec = false;
  size_t i = 1;
  for (; i < n && IsOption(words[i]); ++i) {
    const std::string& a = words[i];
    if (a == "--") {
      ++i;
      break;
    }
    if (a == "--exec") exec = true;
    if (a == "--interval" || a == "--equexit") ++i;
    if (a.starts_with("--")) continue;
    for (size_t k = 1; k < a.size(); ++k) {
      if (a[k] == 'x') exec = true;
      if (a[k] == 'd') break;
      if (a[k] == 'n' || a[k] == 'q') {
        if (k + 1 == a.size()) ++i;
        break;
      }
    }
  }
  if (i >= n) return;
  if (exec) out.push_back({Nested::Kind::kArgv, i, n, {}, 0, "", "watch -x"});
  else out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, Join(words, i), "watch"});
}

// script [options] -c CMD [file]: the command runs under sh -c.
void ScriptCommands(const std::vector<std::string>& words, std::vector<Nested>& out) {
  const size_t n = words.size();
  for (size_t i = 1; i < n; ++i) {
    const std::string& a = words[i];
    if (a == "--") break;
    if (a.starts_with("--command=")) {
      out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, a.substr(10), "script -c"});
    } else if ((a == "-c" || a == "--command") && i + 1 < n) {
      out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, words[++i], "script -c"});
    } else if (IsOption(a) && a[1] != '-') {
      size_t c = a.find('c');
      // -qc CMD, -qcCMD; letters before c are flags (script's value options are long or come after c)
      if (c != std::string::npos) {
        std::string value = c + 1 < a.size() ? a.substr(c + 1) : (i + 1 < n ? words[++i] : "");
        out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, value, "script -c"});
      }
    }
  }
}

// find … -exec CMD ARGS ; (or +), also -execdir, -ok, -okdir; any number of them.
void FindCommands(const std::vector<std::string>& words, std::vector<Nested>& out) {
  for (size_t i = 1; i < words.size(); ++i) {
    const std::string& a = words[i];
    if (a != "-exec" && a != "-execdir" && a != "-ok" && a != "-okdir") continue;
    size_t end = i + 1;
    while (end < words.size() && words[end] != ";" && words[end] != "+") ++end;
    if (end > i + 1) out.push_back({Nested::Kind::kArgv, i + 1, end, {}, 0, "", "find " + a});
    i = end;
  }
}

bool IsPython(std::string_view name) { return name.starts_with("python") || name.starts_with("pypy"); }

// Scans options of an interpreter whose code options are `code_letters` (attached or next word); letters in
// `value_letters` take a value the same way; letters in `attached_letters` consume the rest of their word.
ScriptSource ScanInterpreter(const std::vector<std::string>& words, std::string_view code_letters,
                             std::string_view value_letters, std::string_view attached_letters,
                             std::string_view code_longs, std::string_view value_longs, char module_letter) {
  ScriptSource s;
  const size_t n = words.size();
  size_t i = 1;
  for (; i < n; ++i) {
    const std::string& a = words[i];
    if (a == "-") {
      if (s.from == ScriptFrom::kArgument) break;
      return {ScriptFrom::kStdin, {}};
    }
    if (a == "--") {
      ++i;
      break;
    }
    if (!IsOption(a)) break;
    if (a[1] == '-') {
      size_t eq = a.find('=');
      std::string_view name = std::string_view(a).substr(2, eq == std::string::npos ? std::string::npos : eq - 2);
      if (HasName(code_longs, name)) {
        s.from = ScriptFrom::kArgument;
        s.words.push_back(eq == std::string::npos ? i + 1 : i);
      }
      if (eq == std::string::npos && (HasName(code_longs, name) || HasName(value_longs, name))) ++i;
      continue;
    }
    for (size_t k = 1; k < a.size(); ++k) {
      char c = a[k];
      if (Has(attached_letters, c)) break;
      bool code = Has(code_letters, c);
      if (code || Has(value_letters, c) || c == module_letter) {
        size_t at = k + 1 < a.size() ? i : i + 1;
        if (code) {
          s.from = ScriptFrom::kArgument;
          s.words.push_back(at);
        }
        if (c == module_letter && s.from == ScriptFrom::kNone) return {ScriptFrom::kModule, {}};
        if (at != i) ++i;
        break;
      }
    }
  }
  if (s.from == ScriptFrom::kArgument) {
    std::erase_if(s.words, [&](size_t w) { return w >= n; });
    return s;
  }
  if (i >= n) return {ScriptFrom::kStdin, {}};
  return {ScriptFrom::kFile, {i}};
}

}  // namespace

std::string_view BaseName(std::string_view word) {
  while (word.size() > 1 && word.back() == '/') word.remove_suffix(1);
  size_t slash = word.rfind('/');
  return slash == std::string_view::npos || word.size() == 1 ? word : word.substr(slash + 1);
}

bool IsShell(std::string_view name) {
  for (std::string_view s : {"sh", "bash", "dash", "zsh", "ksh", "ksh93", "mksh", "lksh", "oksh", "pdksh", "ash",
                             "yash", "posh", "rbash", "fish"}) {
    if (name == s) return true;
  }
  return false;
}

std::vector<Nested> NestedCommands(const std::vector<std::string>& words) {
  std::vector<Nested> out;
  if (words.empty()) return out;
  const std::string_view name = BaseName(words[0]);
  const size_t n = words.size();
  for (const Wrapper& w : kWrappers) {
    if (w.name != name) continue;
    std::string split;
    size_t split_from = 0;
    std::optional<size_t> start = CommandStart(w, words, &split, &split_from);
    if (!start) return out;
    Nested nested{Nested::Kind::kArgv, *start, n, SplitString(split), std::min(split_from, n - 1), "",
                  std::string(name)};
    if (nested.begin < n || !nested.prefix.empty()) out.push_back(std::move(nested));
    return out;
  }
  if (name == "busybox") {
    if (n > 1 && !IsOption(words[1])) out.push_back({Nested::Kind::kArgv, 1, n, {}, 0, "", "busybox"});
  } else if (name == "su" || name == "runuser") {
    SuCommands(words, name == "runuser", out);
  } else if (name == "flock") {
    FlockCommands(words, out);
  } else if (name == "watch") {
    WatchCommands(words, out);
  } else if (name == "find") {
    FindCommands(words, out);
  } else if (name == "script") {
    ScriptCommands(words, out);
  } else if (IsShell(name)) {
    ShellArgs s = ScanShell(words);
    if (s.command_string && s.operand < n) {
      out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, words[s.operand], std::string(name) + " -c"});
    }
  } else if (name == "eval") {
    if (n > 1) out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, Join(words, 1), "eval"});
  } else if (name == "trap") {
    size_t i = n > 1 && words[1] == "--" ? 2 : 1;
    // `trap - INT`, `trap '' INT`, `trap -p`: nothing to run.
    if (i < n && !words[i].empty() && words[i][0] != '-') {
      out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, words[i], "trap"});
    }
  } else if (name == "alias") {
    // alias ll='ls -l': the value runs wherever the name is used later, so it is checked here.
    for (size_t i = 1; i < n; ++i) {
      size_t eq = words[i].find('=');
      if (eq != std::string::npos && eq > 0) {
        out.push_back({Nested::Kind::kScript, 0, 0, {}, 0, words[i].substr(eq + 1), "alias"});
      }
    }
  }
  return out;
}

ScriptSource FindScript(const std::vector<std::string>& words) {
  if (words.empty()) return {};
  const std::string_view name = BaseName(words[0]);
  const size_t n = words.size();
  if (IsShell(name)) {
    ShellArgs s = ScanShell(words);
    if (s.command_string) return s.operand < n ? ScriptSource{ScriptFrom::kArgument, {s.operand}} : ScriptSource{};
    if (s.read_stdin || s.operand >= n) return {ScriptFrom::kStdin, {}};
    return {ScriptFrom::kFile, {s.operand}};
  }
  if (name == "eval") {
    ScriptSource s{ScriptFrom::kArgument, {}};
    for (size_t i = 1; i < n; ++i) s.words.push_back(i);
    return s;
  }
  if (name == "source" || name == ".") return n > 1 ? ScriptSource{ScriptFrom::kFile, {1}} : ScriptSource{};
  if (IsPython(name)) return ScanInterpreter(words, "c", "WX", "", "", "check-hash-based-pycs", 'm');
  // perl -l and -0 take only digits, which read as flags here; -i.bak, -MMod, -Idir take the rest of the word.
  if (name == "perl") return ScanInterpreter(words, "eE", "", "iIMmxCdDVF", "", "", 0);
  if (name == "ruby") return ScanInterpreter(words, "e", "IrCE", "xFWKT", "", "", 0);
  if (name == "node" || name == "nodejs") {
    return ScanInterpreter(words, "ep", "rC", "", "eval print",
                           "require import loader experimental-loader conditions input-type title env-file", 0);
  }
  return ScanInterpreter(words, "ce", "", "", "", "", 0);
}

std::vector<std::string> RuleArguments(const std::vector<std::string>& words) {
  size_t i = 1;
  if (!words.empty() && BaseName(words[0]) == "git") {
    for (; i < words.size() && words[i].starts_with("-"); ++i) {
      const std::string& a = words[i];
      if (a == "-C" || a == "-c" || a == "--git-dir" || a == "--work-tree" || a == "--namespace" ||
          a == "--super-prefix" || a == "--config-env") {
        ++i;
      }
    }
  }
  if (i >= words.size()) return {};
  return {words.begin() + static_cast<long>(i), words.end()};
}

}  // namespace cordon::policy::programs
