// Which file `cordon.exe run -- NAME` starts. CreateProcess would look in cordon's own directory and the current
// directory before PATH: a stub planted there ("git.exe", "npm.cmd" in the workspace) would run instead. This
// search never looks in the current directory and skips PATH directories the sandbox can write.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "winplan/translate.h"
#include "winplan/win_path.h"

namespace cordon::winplan {

struct ProgramSearch {
  std::string path;     // the Path value
  std::string pathext;  // the PATHEXT value; ".COM;.EXE;.BAT;.CMD" when empty
  std::vector<std::string> writable_keys;  // keys (win_path.h) of the roots the sandbox can write
};

// A name with a separator or a drive is a path (relative ones from `cwd`) and is used as given, trying the PATHEXT
// extensions when it has none. A bare name is searched in the absolute, non-writable PATH directories, in order.
// nullopt: not found. An Error: the name itself is unusable (a refused path form).
Result<std::optional<WinPath>> FindProgram(const std::string& name, const WinPath& cwd, const ProgramSearch& search,
                                           PathResolver& resolver);

// True when `filename` (no directory) would be picked up by cmd.exe or PowerShell in place of `program`: the same
// name with one of the PATHEXT extensions (or .ps1), in any case. For reporting stubs planted in the workspace.
bool ShadowsProgram(const std::string& filename, const std::string& program, const std::string& pathext);

}  // namespace cordon::winplan
