#include "windows/resolver.h"

#include "windows/win32.h"

namespace cordon::windows {

Result<std::optional<winplan::WinPath>> Win32PathResolver::Resolve(const winplan::WinPath& path) {
  UniqueHandle h(CreateFileW(Widen(path.Extended()).c_str(), FILE_READ_ATTRIBUTES,
                             FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE, nullptr, OPEN_EXISTING,
                             FILE_FLAG_BACKUP_SEMANTICS, nullptr));
  if (!h) {
    const DWORD e = GetLastError();
    if (e == ERROR_FILE_NOT_FOUND || e == ERROR_PATH_NOT_FOUND) return std::optional<winplan::WinPath>();
    return Win32Error("opening " + path.Native(), e);
  }
  wchar_t buf[32768];
  DWORD n = GetFinalPathNameByHandleW(h.get(), buf, 32768, FILE_NAME_NORMALIZED | VOLUME_NAME_DOS);
  if (n == 0 || n >= 32768) return LastError("GetFinalPathNameByHandle " + path.Native());
  Result<winplan::WinPath> final_path = winplan::ParseWinPath(Narrow(std::wstring_view(buf, n)));
  if (!final_path.ok()) return std::move(final_path).error().With("the final path of " + path.Native());
  return std::optional<winplan::WinPath>(*final_path);
}

bool Win32PathResolver::IsFile(const winplan::WinPath& path) {
  const DWORD attrs = GetFileAttributesW(Widen(path.Extended()).c_str());
  return attrs != INVALID_FILE_ATTRIBUTES && (attrs & FILE_ATTRIBUTE_DIRECTORY) == 0;
}

}  // namespace cordon::windows
