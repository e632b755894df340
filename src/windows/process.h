// Starting the command: CreateProcessAsUserW with the sandbox token, suspended, on the private desktop, inheriting
// only the standard handles; then into the job, then resumed, so no instruction runs outside the job.
#pragma once

#include <string>
#include <vector>

#include "windows/win32.h"

namespace cordon::windows {

struct ProcessSpec {
  HANDLE token = nullptr;
  HANDLE job = nullptr;
  std::wstring program;       // absolute
  std::wstring command_line;  // quoted (winplan/command_line.h)
  std::wstring cwd;
  std::vector<std::string> env;  // "NAME=value"
  std::wstring desktop;          // "" for the caller's
};

struct StartedProcess {
  UniqueHandle process;
  DWORD pid = 0;
};

// Parent side. On an error nothing runs (a process created but not placed in the job is terminated).
Result<StartedProcess> StartInJob(const ProcessSpec& spec);

}  // namespace cordon::windows
