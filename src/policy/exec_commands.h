// The commands a command line would run, as command rules see them: the argv itself; what wrappers run (env,
// timeout, xargs, sudo, find -exec … see exec_programs.h); every simple command in shell code given as an
// argument (bash -c, eval, su -c …), in a here-document or here-string a shell reads as its script, and in
// $(…), `…` and <(…) substitutions; recursively. Pure: nothing is run, expanded or looked up in PATH.
//
// Data flow is followed just far enough for "an interpreter runs what a fetcher printed": each command knows
// which programs' output can reach its standard input (earlier commands of its pipeline, transitively, or a
// < <(…) / here-document) and which programs' output is spliced into each of its words ($(…), <(…)).
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace cordon::policy {

struct ExecCommand {
  std::vector<std::string> words;                 // quotes removed; $X, ${…}, $(…) kept as written
  // Per word: its base name (what follows the last '/') is known only when the shell runs it: "$CC", "$(…)",
  // "./*.sh"; not "$HOME/bin/tool", whose name is tool wherever $HOME is.
  std::vector<bool> dynamic;
  std::vector<std::vector<std::string>> sources;  // per word: programs whose output is spliced into it
  std::vector<std::string> stdin_from;            // programs whose output may reach its standard input
  std::string via;  // what runs it: "" for the command line itself, "bash -c", "env", "$(…)", "find -exec" …
  // A wrapper or shell whose nested commands are listed too (env X, bash -c '…'), or a call of a function the
  // same shell code defines (its body is listed where it is defined).
  bool transparent = false;

  std::string Program() const;  // the base name of words[0]
};

// In the order they would start (a substitution before the command it is part of; a wrapper before what it
// runs). Fails, so that the caller can refuse, on shell code that does not parse (the message says where and
// which program it was given to) and on nesting deeper than shell::kMaxDepth.
Result<std::vector<ExecCommand>> ListCommands(const std::vector<std::string>& argv);

// The words as a shell would need them typed: 'quoted' where they hold blanks or special characters.
std::string ShellQuote(const std::vector<std::string>& words);

}  // namespace cordon::policy
