#include "windows/account.h"

// clang-format off
#include <windows.h>
#include <bcrypt.h>
#include <lm.h>
#include <sddl.h>
// clang-format on

#include <vector>

namespace cordon::windows {

bool IsElevated() {
  HANDLE raw = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &raw)) return false;
  UniqueHandle token(raw);
  TOKEN_ELEVATION elevation{};
  DWORD size = 0;
  if (!GetTokenInformation(token.get(), TokenElevation, &elevation, sizeof elevation, &size) ||
      elevation.TokenIsElevated == 0) {
    return false;
  }
  SID_IDENTIFIER_AUTHORITY nt = SECURITY_NT_AUTHORITY;
  PSID admins = nullptr;
  if (!AllocateAndInitializeSid(&nt, 2, SECURITY_BUILTIN_DOMAIN_RID, DOMAIN_ALIAS_RID_ADMINS, 0, 0, 0, 0, 0, 0,
                                &admins)) {
    return false;
  }
  BOOL member = FALSE;
  const BOOL ok = CheckTokenMembership(nullptr, admins, &member);
  FreeSid(admins);
  return ok && member;
}

Result<std::string> AccountSid(const std::string& name) {
  const std::wstring wname = Widen(name);
  DWORD sid_size = 0;
  DWORD domain_size = 0;
  SID_NAME_USE use{};
  LookupAccountNameW(nullptr, wname.c_str(), nullptr, &sid_size, nullptr, &domain_size, &use);
  if (sid_size == 0) return LastError("looking up the account " + name);
  std::vector<unsigned char> sid(sid_size);
  std::wstring domain(domain_size, L'\0');
  if (!LookupAccountNameW(nullptr, wname.c_str(), sid.data(), &sid_size, domain.data(), &domain_size, &use)) {
    return LastError("looking up the account " + name);
  }
  wchar_t* text = nullptr;
  if (!ConvertSidToStringSidW(sid.data(), &text)) return LastError("ConvertSidToStringSid");
  LocalPtr<wchar_t> owned(text);
  return Narrow(text);
}

Status CreateLocalAccount(const std::string& name, const std::string& password) {
  std::wstring wname = Widen(name);
  std::wstring wpassword = Widen(password);
  std::wstring comment = L"cordon sandbox: commands run by cordon.exe (remove with cordon.exe setup --undo)";
  USER_INFO_1 info{};
  info.usri1_name = wname.data();
  info.usri1_password = wpassword.data();
  info.usri1_priv = USER_PRIV_USER;
  info.usri1_comment = comment.data();
  info.usri1_flags = UF_SCRIPT | UF_DONT_EXPIRE_PASSWD | UF_PASSWD_CANT_CHANGE;
  DWORD bad_field = 0;
  const NET_API_STATUS rc = NetUserAdd(nullptr, 1, reinterpret_cast<BYTE*>(&info), &bad_field);
  SecureZeroMemory(wpassword.data(), wpassword.size() * sizeof(wchar_t));
  if (rc == NERR_UserExists) return MakeError("a local account named " + name + " exists already");
  if (rc != NERR_Success) return Win32Error("NetUserAdd " + name, rc);
  return {};
}

Status DeleteLocalAccount(const std::string& name) {
  const NET_API_STATUS rc = NetUserDel(nullptr, Widen(name).c_str());
  if (rc == NERR_Success || rc == NERR_UserNotFound) return {};
  return Win32Error("NetUserDel " + name, rc);
}

Result<std::string> RandomBytes(size_t n) {
  std::string out(n, '\0');
  const NTSTATUS st = BCryptGenRandom(nullptr, reinterpret_cast<UCHAR*>(out.data()), static_cast<ULONG>(n),
                                      BCRYPT_USE_SYSTEM_PREFERRED_RNG);
  if (st != 0) return MakeError("BCryptGenRandom failed (NTSTATUS " + std::to_string(static_cast<long>(st)) + ")");
  return out;
}

}  // namespace cordon::windows
