#include "policy/exec_rules.h"

#include <algorithm>
#include <cctype>

#include "policy/exec_programs.h"
#include "policy/paths.h"

namespace cordon::policy {
namespace {

// `*` matches any run of characters (slashes included), `\*` a star and `\\` a backslash; everything else
// matches itself.
bool Glob(std::string_view pattern, std::string_view s) {
  size_t p = 0, i = 0, star = std::string_view::npos, mark = 0;
  while (i < s.size()) {
    const bool escaped = p + 1 < pattern.size() && pattern[p] == '\\';
    if (p < pattern.size() && pattern[p] == '*') {
      star = p++;
      mark = i;
    } else if (p < pattern.size() && pattern[p + (escaped ? 1 : 0)] == s[i]) {
      p += escaped ? 2 : 1;
      ++i;
    } else if (star != std::string_view::npos) {
      p = star + 1;
      i = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.size() && pattern[p] == '*') ++p;
  return p == pattern.size();
}

bool ProgramMatches(const std::string& pattern, const std::string& word) {
  if (pattern.starts_with("/")) return word.starts_with("/") && Glob(pattern, NormalizePath(word));
  return Glob(pattern, programs::BaseName(word));
}

bool ArgMatches(const std::string& pattern, const std::string& arg) {
  if (Glob(pattern, arg)) return true;
  return pattern.starts_with("/") && arg.starts_with("/") && Glob(pattern, NormalizePath(arg));
}

// "-f" also matches inside a bundle of single-letter options: "-fu", "-uf".
bool AnyMatches(const std::string& pattern, const std::string& arg) {
  if (ArgMatches(pattern, arg)) return true;
  if (pattern.size() != 2 || pattern[0] != '-' || !std::isalpha(static_cast<unsigned char>(pattern[1]))) return false;
  if (arg.size() < 3 || arg[0] != '-' || arg[1] == '-') return false;
  if (!std::all_of(arg.begin() + 1, arg.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
    return false;
  }
  return arg.find(pattern[1], 1) != std::string::npos;
}

bool ArgsMatch(const ExecRule& rule, const ExecCommand& cmd) {
  const std::vector<std::string> args = programs::RuleArguments(cmd.words);
  size_t rest = 0;
  if (rule.args) {
    const std::vector<std::string>& p = *rule.args;
    const bool open = !p.empty() && p.back() == "**";
    const size_t fixed = open ? p.size() - 1 : p.size();
    if (open ? args.size() < fixed : args.size() != fixed) return false;
    for (size_t i = 0; i < fixed; ++i) {
      if (!ArgMatches(p[i], args[i])) return false;
    }
    rest = fixed;
  }
  if (rule.any.empty()) return true;
  bool options_ended = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--" && !options_ended) {
      options_ended = true;
      continue;
    }
    if (i < rest) continue;
    for (const std::string& pattern : rule.any) {
      if (options_ended && pattern.starts_with("-")) continue;
      if (AnyMatches(pattern, args[i])) return true;
    }
  }
  return false;
}

bool Fed(const ExecRule& rule, const std::vector<std::string>& producers) {
  for (const std::string& name : producers) {
    for (const std::string& pattern : rule.script_from) {
      if (Glob(pattern, name)) return true;
    }
  }
  return false;
}

bool IsStdinPath(const std::string& w) { return w == "/dev/stdin" || w == "/dev/fd/0" || w == "/proc/self/fd/0"; }

bool ScriptFromMatches(const ExecRule& rule, const ExecCommand& cmd) {
  if (rule.script_from.empty()) return true;
  programs::ScriptSource src = programs::FindScript(cmd.words);
  switch (src.from) {
    case programs::ScriptFrom::kStdin:
      return Fed(rule, cmd.stdin_from);
    case programs::ScriptFrom::kFile:
    case programs::ScriptFrom::kArgument:
      for (size_t w : src.words) {
        if (src.from == programs::ScriptFrom::kFile && IsStdinPath(cmd.words[w]) && Fed(rule, cmd.stdin_from)) {
          return true;
        }
        if (Fed(rule, cmd.sources[w])) return true;
      }
      return false;
    case programs::ScriptFrom::kNone:
    case programs::ScriptFrom::kModule:
      return false;
  }
  return false;
}

// Shell builtins that run nothing else; `default = "deny"` does not ask for allow rules for them.
bool IsInertBuiltin(const std::string& name) {
  // exec, command and builtin with a command to run are wrappers (what they run is checked instead).
  for (const char* b : {"cd", "pwd", "echo", "printf", "true", "false", ":", "test", "[", "export", "unset", "set",
                        "shift", "read", "local", "declare", "typeset", "readonly", "return", "exit", "break",
                        "continue", "wait", "umask", "getopts", "let", "shopt", "type", "hash", "exec", "command",
                        "builtin"}) {
    if (name == b) return true;
  }
  return false;
}

std::string JoinList(const std::vector<std::string>& v, const char* sep) {
  std::string s;
  for (const std::string& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}

ExecDecision Deny(const std::vector<std::string>& command, const std::string& via, std::string reason) {
  ExecDecision d;
  d.action = ExecAction::kDeny;
  d.command = command;
  d.via = via;
  d.reason = std::move(reason);
  return d;
}

}  // namespace

const char* ExecActionName(ExecAction a) {
  switch (a) {
    case ExecAction::kAllow: return "allow";
    case ExecAction::kDeny: return "deny";
  }
  return "?";
}

std::string ExecRule::Describe() const {
  std::string s = JoinList(programs, "|");
  if (args) s += args->empty() ? " (no arguments)" : " " + JoinList(*args, " ");
  if (!any.empty()) s += " any(" + JoinList(any, ",") + ")";
  if (!script_from.empty()) s += " script_from(" + JoinList(script_from, ",") + ")";
  return s;
}

std::string ExecRule::Where() const { return origin.ToString() + (id.empty() ? "" : " [" + id + "]"); }

std::vector<ExecRuleProblem> ExecRuleProblems(const ExecRule& rule) {
  std::vector<ExecRuleProblem> out;
  auto problem = [&](const char* field, std::optional<size_t> element, std::string message) {
    out.push_back({field, element, std::move(message)});
  };
  if (rule.programs.empty()) problem("program", std::nullopt, "`exec.rule.program` is empty");
  for (size_t i = 0; i < rule.programs.size(); ++i) {
    const std::string& p = rule.programs[i];
    if (p.empty() || p.find('\0') != std::string::npos) {
      problem("program", i, "`exec.rule.program` has an empty or invalid name");
    } else if (p.find('/') != std::string::npos && !p.starts_with("/")) {
      problem("program", i, "`exec.rule.program` \"" + p + "\" must be a name (\"git\") or an absolute path");
    }
  }
  if (rule.args) {
    for (size_t i = 0; i < rule.args->size(); ++i) {
      const std::string& a = (*rule.args)[i];
      if (a.empty()) {
        problem("args", i, "`exec.rule.args` element " + std::to_string(i + 1) +
                               " is empty (\"*\" is any one argument)");
      } else if (a == "**" && i + 1 != rule.args->size()) {
        problem("args", i, "`**` may only be the last element of `exec.rule.args`");
      } else if (a != "**" && a.find("**") != std::string::npos) {
        problem("args", i, "`exec.rule.args` element \"" + a + "\": `**` must be a whole element");
      }
    }
  }
  for (size_t i = 0; i < rule.any.size(); ++i) {
    if (rule.any[i].empty()) problem("any", i, "`exec.rule.any` has an empty pattern");
  }
  for (size_t i = 0; i < rule.script_from.size(); ++i) {
    const std::string& s = rule.script_from[i];
    if (s.empty() || s.find('/') != std::string::npos) {
      problem("script_from", i, "`exec.rule.script_from` entries must be program names, not paths");
    }
  }
  if (rule.action == ExecAction::kDeny && rule.reason.empty()) {
    problem("reason", std::nullopt, "a deny rule needs a `reason` (it is shown when a command is refused)");
  }
  return out;
}

bool ExecRuleMatches(const ExecRule& rule, const ExecCommand& cmd) {
  if (cmd.words.empty()) return false;
  if (cmd.dynamic[0]) {
    // $(curl …) as the command: the shell runs what the fetcher printed, as `sh` would.
    return !rule.script_from.empty() && !rule.args && rule.any.empty() && Fed(rule, cmd.sources[0]) &&
           std::any_of(rule.programs.begin(), rule.programs.end(),
                       [](const std::string& p) { return ProgramMatches(p, "sh"); });
  }
  bool program = std::any_of(rule.programs.begin(), rule.programs.end(),
                             [&](const std::string& p) { return ProgramMatches(p, cmd.words[0]); });
  return program && ArgsMatch(rule, cmd) && ScriptFromMatches(rule, cmd);
}

ExecDecision CheckExec(const ExecRules& rules, const std::vector<std::string>& argv) {
  if (argv.empty()) return Deny(argv, "", "empty command");
  const bool default_deny = rules.default_action == ExecAction::kDeny;
  ExecDecision allow;
  allow.command = argv;
  if (rules.rules.empty() && !default_deny) return allow;

  Result<std::vector<ExecCommand>> listed = ListCommands(argv);
  if (!listed.ok()) return Deny(argv, "", listed.error().message);
  const std::vector<ExecCommand>& cmds = *listed;

  for (const ExecCommand& cmd : cmds) {
    for (const ExecRule& rule : rules.rules) {
      if (rule.action != ExecAction::kDeny || !ExecRuleMatches(rule, cmd)) continue;
      ExecDecision d = Deny(cmd.words, cmd.via, rule.reason);
      d.rule = rule;
      d.commands_checked = cmds.size();
      return d;
    }
  }
  for (const ExecCommand& cmd : cmds) {
    if (!cmd.dynamic[0]) continue;
    ExecDecision d = Deny(cmd.words, cmd.via,
                          "the program `" + cmd.words[0] +
                              "` is known only when the shell runs it, so command rules cannot check it");
    d.commands_checked = cmds.size();
    return d;
  }
  auto allowed_by = [&](const ExecCommand& cmd) -> const ExecRule* {
    for (const ExecRule& rule : rules.rules) {
      if (rule.action == ExecAction::kAllow && ExecRuleMatches(rule, cmd)) return &rule;
    }
    return nullptr;
  };
  if (default_deny) {
    for (const ExecCommand& cmd : cmds) {
      if (cmd.transparent || IsInertBuiltin(cmd.words[0]) || allowed_by(cmd) != nullptr) continue;
      ExecDecision d = Deny(cmd.words, cmd.via, "no allow rule matches `" + cmd.Program() + "` (default = \"deny\")");
      d.default_origin = rules.default_origin;
      d.commands_checked = cmds.size();
      return d;
    }
  }
  if (const ExecRule* r = allowed_by(cmds.front()); r != nullptr) allow.rule = *r;
  allow.commands_checked = cmds.size();
  return allow;
}

std::string ExecDecision::Where() const {
  if (rule) return rule->Where();
  if (default_origin) return default_origin->ToString();
  return "";
}

std::string ExecDecision::Summary() const {
  std::string s = std::string(ExecActionName(action)) + ": " + ShellQuote(command);
  if (!via.empty()) s += " (run by " + via + ")";
  const std::string where = Where();
  if (!where.empty()) {
    s += " (rule " + where + (reason.empty() ? "" : ": \"" + reason + "\"") + ")";
  } else if (!reason.empty()) {
    s += " (" + reason + ")";
  }
  return s;
}

}  // namespace cordon::policy
