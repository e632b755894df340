// What command rules know about particular programs: which ones run another command (env, timeout, xargs, sudo,
// find -exec…), which take shell code as an argument (bash -c, eval, su -c, watch…), where an interpreter reads
// the code it runs, and which options of a tool only say where it runs (git -C). Pure: words in, facts out.
//
// Not protected against: wrappers missing from the tables below (strace, unshare, chrt, parallel, ssh …, or a
// copy of env under another name), an option a wrapper gained after these tables were written, and code an
// interpreter builds for itself (python -c "os.system('sudo …')").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace cordon::policy::programs {

// The name a rule's `program` is matched against: the last path component ("/usr/bin/sudo", "./sudo" → "sudo").
std::string_view BaseName(std::string_view word);

// sh, bash, dash, zsh, ksh, mksh, ash, yash, posh, rbash, fish (by base name).
bool IsShell(std::string_view name);

// A command that `words` runs besides itself.
struct Nested {
  enum class Kind { kArgv, kScript };
  Kind kind = Kind::kArgv;
  // kArgv: the nested command is `prefix` followed by words[begin, end). `prefix` holds words split out of one
  // argument (env -S "sudo -u x"), which is words[prefix_from].
  size_t begin = 0, end = 0;
  std::vector<std::string> prefix;
  size_t prefix_from = 0;
  // kScript: shell code the program runs (bash -c, eval, su -c, flock -c, watch, trap, alias values).
  std::string script;
  std::string via;  // how it is run, for messages: "env", "bash -c", "find -exec"
};

// The commands `words` (an argv) runs besides itself: none for an ordinary program. A wrapper without a command
// (`env`, `nice`, `command -v sudo`) runs nothing.
std::vector<Nested> NestedCommands(const std::vector<std::string>& words);

// Where an interpreter (a shell, python*, perl, ruby, node, eval, source) takes the code it runs.
enum class ScriptFrom {
  kNone,      // nothing to run (source without a file)
  kStdin,     // its standard input: no script operand, "-", or sh -s
  kFile,      // a file named by `words` (a <(…) there is a pipe, /dev/stdin is standard input)
  kArgument,  // code given in `words` (-c, -e, eval's arguments)
  kModule,    // python -m: code from the installed module path
};
struct ScriptSource {
  ScriptFrom from = ScriptFrom::kNone;
  std::vector<size_t> words;  // kFile, kArgument: indexes into the argv
};
// Programs it does not know are read generically: -c/-e CODE is code, "-" or no operand is standard input, the
// first operand a file.
ScriptSource FindScript(const std::vector<std::string>& words);

// The arguments a rule's `args` pattern is matched against: words[1..], less the options that precede a tool's
// subcommand and only say where it runs: for git, -C DIR, -c KEY=VALUE, --git-dir=…, --no-pager and the like, so
// `git -C repo --no-pager push -f` is matched as `push -f`.
std::vector<std::string> RuleArguments(const std::vector<std::string>& words);

}  // namespace cordon::policy::programs
