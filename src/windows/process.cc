#include "windows/process.h"

#include <algorithm>

namespace cordon::windows {
namespace {

// CreateProcess's environment block: sorted (case-insensitively, as Windows wants), NUL-separated, double NUL.
std::wstring EnvironmentBlock(std::vector<std::string> env) {
  std::sort(env.begin(), env.end(), [](const std::string& a, const std::string& b) {
    return _stricmp(a.c_str(), b.c_str()) < 0;
  });
  std::wstring block;
  for (const std::string& e : env) {
    block += Widen(e);
    block += L'\0';
  }
  block += L'\0';
  return block;
}

// An inheritable duplicate of a standard handle (nullptr when there is none).
UniqueHandle Inheritable(DWORD which) {
  HANDLE h = GetStdHandle(which);
  if (h == nullptr || h == INVALID_HANDLE_VALUE) return UniqueHandle();
  HANDLE dup = nullptr;
  if (!DuplicateHandle(GetCurrentProcess(), h, GetCurrentProcess(), &dup, 0, TRUE, DUPLICATE_SAME_ACCESS)) {
    return UniqueHandle();
  }
  return UniqueHandle(dup);
}

}  // namespace

Result<StartedProcess> StartInJob(const ProcessSpec& spec) {
  UniqueHandle in = Inheritable(STD_INPUT_HANDLE), out = Inheritable(STD_OUTPUT_HANDLE),
               err = Inheritable(STD_ERROR_HANDLE);
  std::vector<HANDLE> inherit;
  for (const UniqueHandle* h : {&in, &out, &err}) {
    if (*h && std::find(inherit.begin(), inherit.end(), h->get()) == inherit.end()) inherit.push_back(h->get());
  }
  SIZE_T size = 0;
  InitializeProcThreadAttributeList(nullptr, 1, 0, &size);
  std::vector<unsigned char> attr_buf(size);
  auto* attrs = reinterpret_cast<LPPROC_THREAD_ATTRIBUTE_LIST>(attr_buf.data());
  if (!InitializeProcThreadAttributeList(attrs, 1, 0, &size)) return LastError("InitializeProcThreadAttributeList");
  struct Cleanup {
    LPPROC_THREAD_ATTRIBUTE_LIST a;
    ~Cleanup() { DeleteProcThreadAttributeList(a); }
  } cleanup{attrs};
  if (!inherit.empty() && !UpdateProcThreadAttribute(attrs, 0, PROC_THREAD_ATTRIBUTE_HANDLE_LIST, inherit.data(),
                                                     inherit.size() * sizeof(HANDLE), nullptr, nullptr)) {
    return LastError("UpdateProcThreadAttribute (handle list)");
  }
  STARTUPINFOEXW si{};
  si.StartupInfo.cb = sizeof si;
  si.StartupInfo.dwFlags = STARTF_USESTDHANDLES;
  si.StartupInfo.hStdInput = in.get();
  si.StartupInfo.hStdOutput = out.get();
  si.StartupInfo.hStdError = err.get();
  std::wstring desktop = spec.desktop;
  if (!desktop.empty()) si.StartupInfo.lpDesktop = desktop.data();
  si.lpAttributeList = attrs;
  std::wstring cmd = spec.command_line;
  std::wstring env = EnvironmentBlock(spec.env);
  PROCESS_INFORMATION pi{};
  if (!CreateProcessAsUserW(spec.token, spec.program.c_str(), cmd.data(), nullptr, nullptr, !inherit.empty(),
                            CREATE_SUSPENDED | CREATE_UNICODE_ENVIRONMENT | EXTENDED_STARTUPINFO_PRESENT, env.data(),
                            spec.cwd.c_str(), &si.StartupInfo, &pi)) {
    return LastError("starting " + Narrow(spec.program));
  }
  StartedProcess started{UniqueHandle(pi.hProcess), pi.dwProcessId};
  UniqueHandle thread(pi.hThread);
  if (!AssignProcessToJobObject(spec.job, started.process.get())) {
    const DWORD e = GetLastError();
    TerminateProcess(started.process.get(), 125);
    return Win32Error("putting the command in the job object", e);
  }
  if (ResumeThread(thread.get()) == static_cast<DWORD>(-1)) {
    const DWORD e = GetLastError();
    TerminateProcess(started.process.get(), 125);
    return Win32Error("ResumeThread", e);
  }
  return started;
}

}  // namespace cordon::windows
