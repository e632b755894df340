// What every file of the Win32 layer shares: RAII for HANDLEs and LocalAlloc'd memory, UTF-8 <-> UTF-16, and
// Errors for failed Win32 calls.
#pragma once

#include <windows.h>

#include <memory>
#include <string>
#include <string_view>

#include "base/result.h"

namespace cordon::windows {

// A kernel HANDLE closed on destruction; nullptr and INVALID_HANDLE_VALUE both mean "none". Move-only.
class UniqueHandle {
 public:
  UniqueHandle() = default;
  explicit UniqueHandle(HANDLE h) : h_(h == INVALID_HANDLE_VALUE ? nullptr : h) {}
  UniqueHandle(UniqueHandle&& o) noexcept : h_(o.release()) {}
  UniqueHandle& operator=(UniqueHandle&& o) noexcept {
    reset(o.release());
    return *this;
  }
  UniqueHandle(const UniqueHandle&) = delete;
  UniqueHandle& operator=(const UniqueHandle&) = delete;
  ~UniqueHandle() { reset(); }
  HANDLE get() const { return h_; }
  explicit operator bool() const { return h_ != nullptr; }
  HANDLE release() {
    HANDLE h = h_;
    h_ = nullptr;
    return h;
  }
  void reset(HANDLE h = nullptr) {
    if (h_ != nullptr) CloseHandle(h_);
    h_ = h == INVALID_HANDLE_VALUE ? nullptr : h;
  }

 private:
  HANDLE h_ = nullptr;
};

struct LocalFreer {
  void operator()(void* p) const { LocalFree(p); }
};
// Memory the system allocated with LocalAlloc (SIDs from ConvertStringSidToSid, ACLs from SetEntriesInAcl, ...).
template <typename T>
using LocalPtr = std::unique_ptr<T, LocalFreer>;
using SidPtr = LocalPtr<void>;

std::wstring Widen(std::string_view utf8);
std::string Narrow(std::wstring_view utf16);

// "what: <the system's message> (Win32 error N)". Win32 codes are not errno values: Error::err stays 0.
Error Win32Error(const std::string& what, DWORD code);
inline Error LastError(const std::string& what) { return Win32Error(what, GetLastError()); }

// A string SID ("S-1-...") as a binary SID.
Result<SidPtr> SidFromString(const std::string& sid);
// The SID of the account this process runs as, as a string.
Result<std::string> CurrentUserSid();

// True under Wine, which accepts ACL, token, job and firewall calls without enforcing them.
bool RunningUnderWine();

}  // namespace cordon::windows
