// Shared by the Windows test programs: run cordon.exe, capture its output and exit code.
#pragma once

#include <windows.h>

#include <string>

namespace cordon::windows::testing {

struct Ran {
  DWORD exit_code = 0;
  std::string output;  // stdout and stderr together
  double seconds = 0;
};

// Runs `command_line` (the program is the first word) with stdout and stderr captured.
Ran RunCaptured(const std::wstring& command_line);

// A fresh, empty directory under %TEMP%, native form.
std::wstring TempDirectory(const std::wstring& tag);

// cordon.exe and probe.exe, found next to the running test program (build-windows/bin).
std::wstring CordonExe();
std::wstring ProbeExe();

}  // namespace cordon::windows::testing
