#include "windows/password_store.h"

// clang-format off
#include <windows.h>
#include <dpapi.h>
#include <sddl.h>
// clang-format on

#include <vector>

namespace cordon::windows {

Status StorePassword(const std::wstring& path, const std::string& password, const std::string& owner_sid) {
  DATA_BLOB in{static_cast<DWORD>(password.size()), reinterpret_cast<BYTE*>(const_cast<char*>(password.data()))};
  DATA_BLOB out{};
  if (!CryptProtectData(&in, L"cordon sandbox account", nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out)) {
    return LastError("CryptProtectData");
  }
  LocalPtr<BYTE> blob(out.pbData);
  PSECURITY_DESCRIPTOR sd = nullptr;
  const std::wstring sddl = L"D:P(A;;FA;;;" + Widen(owner_sid) + L")";
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &sd, nullptr)) {
    return LastError("ConvertStringSecurityDescriptorToSecurityDescriptor");
  }
  LocalPtr<void> owned_sd(sd);
  // CREATE_NEW: the DACL is applied only to a file this call creates; an old one is removed first.
  CORDON_TRY(DeletePassword(path));
  SECURITY_ATTRIBUTES sa{sizeof sa, sd, FALSE};
  UniqueHandle file(CreateFileW(path.c_str(), GENERIC_WRITE, 0, &sa, CREATE_NEW, FILE_ATTRIBUTE_NORMAL, nullptr));
  if (!file) return LastError("creating " + Narrow(path));
  DWORD written = 0;
  if (!WriteFile(file.get(), out.pbData, out.cbData, &written, nullptr) || written != out.cbData) {
    return LastError("writing " + Narrow(path));
  }
  return {};
}

Result<std::string> LoadPassword(const std::wstring& path) {
  UniqueHandle file(CreateFileW(path.c_str(), GENERIC_READ, FILE_SHARE_READ, nullptr, OPEN_EXISTING, 0, nullptr));
  if (!file) return LastError("opening " + Narrow(path));
  LARGE_INTEGER size{};
  if (!GetFileSizeEx(file.get(), &size) || size.QuadPart > (1 << 20)) return MakeError(Narrow(path) + ": bad size");
  std::vector<BYTE> data(static_cast<size_t>(size.QuadPart));
  DWORD got = 0;
  if (!ReadFile(file.get(), data.data(), static_cast<DWORD>(data.size()), &got, nullptr) || got != data.size()) {
    return LastError("reading " + Narrow(path));
  }
  DATA_BLOB in{got, data.data()};
  DATA_BLOB out{};
  if (!CryptUnprotectData(&in, nullptr, nullptr, nullptr, nullptr, CRYPTPROTECT_UI_FORBIDDEN, &out)) {
    return LastError("CryptUnprotectData " + Narrow(path));
  }
  LocalPtr<BYTE> owned(out.pbData);
  std::string password(reinterpret_cast<char*>(out.pbData), out.cbData);
  SecureZeroMemory(out.pbData, out.cbData);
  return password;
}

Status DeletePassword(const std::wstring& path) {
  if (!DeleteFileW(path.c_str()) && GetLastError() != ERROR_FILE_NOT_FOUND) return LastError("deleting " + Narrow(path));
  return {};
}

}  // namespace cordon::windows
