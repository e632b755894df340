#include "helpers.h"

#include <chrono>

namespace cordon::windows::testing {

Ran RunCaptured(const std::wstring& command_line) {
  Ran ran;
  SECURITY_ATTRIBUTES sa{sizeof sa, nullptr, TRUE};
  HANDLE read_end = nullptr, write_end = nullptr;
  if (!CreatePipe(&read_end, &write_end, &sa, 0)) return ran;
  SetHandleInformation(read_end, HANDLE_FLAG_INHERIT, 0);
  STARTUPINFOW si{};
  si.cb = sizeof si;
  si.dwFlags = STARTF_USESTDHANDLES;
  si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
  si.hStdOutput = write_end;
  si.hStdError = write_end;
  PROCESS_INFORMATION pi{};
  std::wstring cmd = command_line;
  const auto start = std::chrono::steady_clock::now();
  if (!CreateProcessW(nullptr, cmd.data(), nullptr, nullptr, TRUE, 0, nullptr, nullptr, &si, &pi)) {
    ran.exit_code = 0xFFFFFFFF;
    ran.output = "CreateProcess failed: " + std::to_string(GetLastError());
    CloseHandle(read_end);
    CloseHandle(write_end);
    return ran;
  }
  CloseHandle(write_end);
  char buf[4096];
  DWORD n = 0;
  while (ReadFile(read_end, buf, sizeof buf, &n, nullptr) && n > 0) ran.output.append(buf, n);
  CloseHandle(read_end);
  WaitForSingleObject(pi.hProcess, INFINITE);
  GetExitCodeProcess(pi.hProcess, &ran.exit_code);
  ran.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  CloseHandle(pi.hProcess);
  CloseHandle(pi.hThread);
  return ran;
}

namespace {

std::wstring Sibling(const wchar_t* name) {
  wchar_t self[MAX_PATH + 1] = {};
  GetModuleFileNameW(nullptr, self, MAX_PATH);
  std::wstring dir(self);
  return dir.substr(0, dir.find_last_of(L'\\') + 1) + name;
}

}  // namespace

std::wstring CordonExe() { return Sibling(L"cordon.exe"); }
std::wstring ProbeExe() { return Sibling(L"cordon_probe.exe"); }

std::wstring TempDirectory(const std::wstring& tag) {
  wchar_t base[MAX_PATH + 1];
  GetTempPathW(MAX_PATH + 1, base);
  std::wstring dir = std::wstring(base) + L"cordon-test-" + tag + L"-" + std::to_wstring(GetCurrentProcessId()) + L"-" +
                     std::to_wstring(GetTickCount64());
  CreateDirectoryW(dir.c_str(), nullptr);
  return dir;
}

}  // namespace cordon::windows::testing
