// The sandbox's environment on Windows: the plan's scrubbed list plus what Windows programs cannot start without.
#pragma once

#include <string>
#include <vector>

namespace cordon::winplan {

// The plan's variables, then the Windows essentials (SystemRoot, ComSpec, PATHEXT, Path, ProgramFiles, ...) taken
// from the caller when the plan has no variable of that name (names compare case-insensitively, as on Windows),
// TEMP and TMP set to `temp_native` when given, and NoDefaultCurrentDirectoryInExePath=1 so that cmd.exe and
// CreateProcess inside the sandbox do not run a program planted in the current directory. Relative entries
// (".", "bin") are removed from Path. Sorted by folded name, one entry per name.
std::vector<std::string> WindowsEnvironment(const std::vector<std::string>& plan_env,
                                            const std::vector<std::string>& caller_env, const std::string& temp_native);

// The caller's environment as the planner should see it: "Path" (any case) renamed "PATH", the name the planner's
// allowlist keeps, and the per-drive "=C:=C:\x" entries left out.
std::vector<std::string> CallerEnvironForPlan(const std::vector<std::string>& caller_env);

// A ';' list (Path, PATHEXT) split: surrounding quotes removed, empty items left out.
std::vector<std::string> SplitPathList(const std::string& value);

// The value of `name` (case-insensitive) in a "NAME=value" list; "" when absent.
std::string FindVariable(const std::vector<std::string>& env, const std::string& name);

}  // namespace cordon::winplan
