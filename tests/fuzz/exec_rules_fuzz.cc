// libFuzzer target: command rules on any input. The bytes are tried as shell code (bash -c INPUT) and as an argv
// (split at NUL bytes), against the built-in rules. The parser must end every input in a list or an error,
// without crashing, hanging or recursing without bound; a denial always says why. Built only with clang and
// -DCORDON_FUZZ=ON (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "policy/exec_rules.h"
#include "policy/profiles.h"
#include "policy/shell_syntax.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const cordon::policy::ExecRules kRules = cordon::policy::BuiltinProfile("workspace-write")->exec;
  const std::string text(reinterpret_cast<const char*>(data), size);

  cordon::Result<cordon::policy::shell::CommandList> parsed = cordon::policy::shell::Parse(text);
  if (!parsed.ok() && parsed.error().message.empty()) __builtin_trap();

  for (const std::vector<std::string>& argv :
       {std::vector<std::string>{"bash", "-c", text}, std::vector<std::string>{"sh", "-c", "eval \"$1\"", text}}) {
    cordon::policy::ExecDecision d = cordon::policy::CheckExec(kRules, argv);
    if (d.denied() && d.reason.empty()) __builtin_trap();
    (void)d.Summary();
  }

  std::vector<std::string> words(1);
  for (char c : text) {
    if (c == '\0') words.emplace_back();
    else words.back().push_back(c);
  }
  cordon::policy::ExecDecision d = cordon::policy::CheckExec(kRules, words);
  if (d.denied() && d.reason.empty()) __builtin_trap();
  return 0;
}
