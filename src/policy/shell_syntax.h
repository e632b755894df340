// A small parser for POSIX shell (and the bash forms agents write), for command rules: it finds every simple
// command a shell string would run, without running or expanding anything. Pure: no syscalls, no environment.
//
// Understood: words with '…', "…", $'…' and backslashes; $(…), `…`, <(…), >(…) (parsed, recursively),
// ${…} and $((…)) (scanned for substitutions inside); ; & && || | |& and newlines; ( … ) and { …; }; if, while,
// until, for, select, case, [[ … ]], (( … )), function definitions; redirections (a here-document's body is kept,
// since a shell may read its script from it); NAME=value prefixes and a=(…) arrays; comments; line continuations.
// Not understood, and so not seen: aliases defined in the same string take effect only from the next line in a
// real shell and are not expanded here (exec_commands.cc checks an alias's value as a command instead);
// zsh/fish-only syntax; extglob patterns such as !(x) are a syntax error here, as in bash without extglob.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cordon::policy::shell {

struct CommandList;

// One word after quote removal. Nothing is expanded: "$HOME" stays the text $HOME (and ${…}, $(…), `…` stay as
// written), and the word is marked dynamic because its value is known only when the shell runs it.
struct Word {
  std::string text;
  bool dynamic = false;  // has a parameter, command or arithmetic expansion, an unquoted glob or a brace expansion
  bool quoted = false;   // some part was quoted or escaped (a here-document delimiter so written is literal)
  size_t literal_from = 0;  // text from here on came from literal characters only (no expansion, no glob)
  std::vector<CommandList> substitutions;  // the commands inside each $(…), `…`, <(…), >(…), in order
};

// `fd` `op` `target`: "2>&1" is {2, ">&", "1"}. For "<<" and "<<-" the target is the delimiter and `here_doc`
// the body (dynamic when the delimiter was unquoted and the body has expansions); it is filled in when the parser
// reaches the end of the line, hence the shared pointer.
struct Redirect {
  int fd = 0;
  std::string op;  // < > >> >| <> <& >& << <<- <<< &> &>>
  Word target;
  std::shared_ptr<Word> here_doc;
};

// A simple command (words, or only assignments/redirections), or a compound one whose inner lists are in
// `bodies`; a compound command's `words` hold what it evaluates without running it (for/case/[[ ]] operands,
// arithmetic), kept for the substitutions inside them.
struct Command {
  bool compound = false;
  std::vector<Word> assignments;
  std::vector<Word> words;
  std::vector<Redirect> redirects;
  std::vector<CommandList> bodies;
  std::string function_name;  // a function definition: its name (the body runs only when called)
};

// Commands joined by | or |&: each one's standard input is the previous one's output.
struct Pipeline {
  std::vector<Command> commands;
};

// Pipelines joined by ; & && || or newlines. Which of them run depends on exit statuses, so all are kept.
struct CommandList {
  std::vector<Pipeline> pipelines;
};

// Nesting of lists, substitutions and quotes beyond this is refused rather than followed.
inline constexpr int kMaxDepth = 48;

// Parses `script`. The error names what is wrong and where, as a shell would refuse it: "unterminated single
// quote (at offset 12)", "missing `fi`", "unexpected `)`". An empty script is an empty list.
Result<CommandList> Parse(std::string_view script);

}  // namespace cordon::policy::shell
