// A tiny program the Windows tests run inside the sandbox, each mode trying one thing and printing what happened,
// so a test can tell "refused by the sandbox" (denied, with the Win32 error) from "the program was missing".
//   probe write PATH     create PATH and write to it: "ok" (exit 0) or "denied <error>" (exit 1)
//   probe read PATH      open PATH for reading: "ok" or "denied <error>"
//   probe sleep SECONDS  sleep, then exit 0
//   probe exit CODE      exit with CODE
//   probe say TEXT       print TEXT
#include <windows.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

std::wstring Widen(const char* s) {
  int n = MultiByteToWideChar(CP_UTF8, 0, s, -1, nullptr, 0);
  std::wstring out(static_cast<size_t>(n), L'\0');
  MultiByteToWideChar(CP_UTF8, 0, s, -1, out.data(), n);
  out.resize(static_cast<size_t>(n > 0 ? n - 1 : 0));
  return out;
}

int Report(bool ok) {
  if (ok) {
    std::puts("ok");
    return 0;
  }
  std::printf("denied %lu\n", GetLastError());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) return 2;
  const std::string mode = argv[1];
  if (mode == "write") {
    HANDLE h = CreateFileW(Widen(argv[2]).c_str(), GENERIC_WRITE, 0, nullptr, CREATE_ALWAYS, FILE_ATTRIBUTE_NORMAL, nullptr);
    if (h == INVALID_HANDLE_VALUE) return Report(false);
    DWORD written = 0;
    bool ok = WriteFile(h, "x", 1, &written, nullptr);
    CloseHandle(h);
    return Report(ok);
  }
  if (mode == "read") {
    HANDLE h = CreateFileW(Widen(argv[2]).c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING,
                           FILE_FLAG_BACKUP_SEMANTICS, nullptr);
    if (h == INVALID_HANDLE_VALUE) return Report(false);
    CloseHandle(h);
    return Report(true);
  }
  if (mode == "sleep") {
    Sleep(static_cast<DWORD>(std::atoi(argv[2]) * 1000));
    return 0;
  }
  if (mode == "exit") return std::atoi(argv[2]);
  if (mode == "say") {
    std::puts(argv[2]);
    return 0;
  }
  return 2;
}
