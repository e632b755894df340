// Command rules ([[exec.rule]]): input validation of the command cordon is asked to run, before anything starts.
// Pure: the argv in, a decision out.
//
// Precedence (one place: CheckExec):
//   1. The command line is taken apart into every simple command it would run (exec_commands.h: wrappers,
//      bash -c strings, eval, substitutions, pipelines …).
//   2. Deny wins: if any deny rule matches any of them, the command is refused, whatever allow rules say and
//      wherever they are in the file. The report names the first such command, and the first matching deny rule
//      in policy order (the profile's rules, then the file's).
//   3. Refused as well, since no rule can be checked on them: shell code that does not parse, and a command
//      whose program name is computed when the shell runs ($X, $(…), a glob) — when there is any rule to
//      check at all. Only the name counts: "$HOME/bin/tool" is the program tool.
//   4. With `default = "deny"`, every command must match an allow rule, except the wrappers and shells whose
//      inner commands were checked instead, calls of functions defined in the same code, and shell builtins that
//      run nothing (cd, echo, test, export …).
//   5. Otherwise the command is allowed.
//
// A rule matches a simple command when every condition it has holds:
// Patterns are globs where only `*` is special (any run of characters, "/" included); `\*` is a literal star.
//   program      a name (glob with `*`, "python*") compared with the base name of the command word, so "sudo"
//                matches sudo, /usr/bin/sudo and ./sudo; or an absolute path compared with the command word
//                written as a path (lexically normalised; no PATH lookup, no symlinks followed).
//   args         the arguments, one pattern per argument (a glob; "*" is any one argument), matched against the
//                whole argument list; a last "**" matches any number of further arguments. For git, the global
//                options before the subcommand (-C DIR, -c K=V, --no-pager …) are skipped first.
//   any          one argument after those `args` matched by name (those the final "**" covers; all of them without
//                `args`) matches one of these globs. A single-letter option ("-f") also matches inside a bundle
//                of letters ("-fu", "-uf"). Option patterns (starting with "-") are not matched after a "--".
//                A pattern starting with "/" also matches the argument lexically normalised ("//" is "/").
//   script_from  the program runs code that one of these programs printed: a shell or interpreter reading its
//                script from a pipe they feed (curl … | sh), from <(curl …), from -c "$(curl …)", or from a
//                here-document/here-string holding $(curl …); eval "$(curl …)"; or $(curl …) as the command.
// Words are matched as written, quotes removed: nothing is expanded, so `$F` is the text $F and matches "*" but
// not "--force". This is a guard against mistakes and against the obvious spellings, not a security boundary:
// code can always build a command the check cannot see (a script file, python -c, base64 …). The sandbox is
// the boundary.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "policy/exec_commands.h"
#include "policy/origin.h"

namespace cordon::policy {

enum class ExecAction { kAllow, kDeny };
const char* ExecActionName(ExecAction a);

struct ExecRule {
  std::string id;                                // optional; built-in rules have one, for `remove_rules`
  std::vector<std::string> programs;             // names/globs or absolute paths; at least one
  std::optional<std::vector<std::string>> args;  // nullopt: any arguments
  std::vector<std::string> any;
  std::vector<std::string> script_from;
  ExecAction action = ExecAction::kDeny;
  std::string reason;  // required for deny
  Origin origin;

  // The rule as one line: `git push ** any(--force,-f)`, `sh|bash script_from(curl,wget)`.
  std::string Describe() const;
  // "profile workspace-write [no-force-push]", "p.toml:7".
  std::string Where() const;
};

struct ExecRules {
  std::vector<ExecRule> rules;
  ExecAction default_action = ExecAction::kAllow;
  Origin default_origin;  // where `default` was set
};

// One thing wrong with a rule: which field ("program", "args", …), which element of it if it is a list, and
// what. The loader turns these into FILE:LINE messages.
struct ExecRuleProblem {
  std::string field;
  std::optional<size_t> element;
  std::string message;
};
// Everything wrong with a rule's patterns: no program, an empty program or one with a slash that is not absolute,
// an empty pattern, "**" other than as the last `args` element, a deny without a reason. The built-in rules are
// checked by the unit tests.
std::vector<ExecRuleProblem> ExecRuleProblems(const ExecRule& rule);

struct ExecDecision {
  ExecAction action = ExecAction::kAllow;
  std::optional<ExecRule> rule;        // the rule that decided, if one did
  std::optional<Origin> default_origin;  // or the `default = "deny"` that did
  std::string reason;                  // the rule's reason, or why cordon refused on its own
  std::vector<std::string> command;    // the simple command that decided (the argv when nothing matched)
  std::string via;                     // what runs that command ("" for the argv itself, "bash -c", "env" …)
  size_t commands_checked = 0;

  bool denied() const { return action == ExecAction::kDeny; }
  // The rule's Where(), or the origin of `default`; "" when cordon refused on its own (unparseable shell code,
  // a program computed at run time).
  std::string Where() const;
  // One line: `deny: git push --force (rule profile workspace-write [no-force-push]: "…")`,
  // `allow: make -j8`.
  std::string Summary() const;
};

// Decides on `argv` (see the precedence above). An empty argv is refused.
ExecDecision CheckExec(const ExecRules& rules, const std::vector<std::string>& argv);

// Whether `rule` matches `cmd` (exposed for tests).
bool ExecRuleMatches(const ExecRule& rule, const ExecCommand& cmd);

}  // namespace cordon::policy
