// The sandbox account's password, kept for the caller with DPAPI (CryptProtectData, user scope) in a file only the
// caller may open (protected DACL: one allow-all ACE for the caller's SID).
#pragma once

#include <string>

#include "windows/win32.h"

namespace cordon::windows {

Status StorePassword(const std::wstring& path, const std::string& password, const std::string& owner_sid);
Result<std::string> LoadPassword(const std::wstring& path);
Status DeletePassword(const std::wstring& path);

}  // namespace cordon::windows
