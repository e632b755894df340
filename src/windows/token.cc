#include "windows/token.h"

#include <aclapi.h>

#include <vector>

namespace cordon::windows {
namespace {

Status SetDefaultDacl(HANDLE token, const std::vector<std::string>& sids) {
  std::vector<SidPtr> owned;
  std::vector<EXPLICIT_ACCESS_W> entries;
  for (const std::string& s : sids) {
    CORDON_ASSIGN_OR_RETURN(SidPtr sid, SidFromString(s));
    EXPLICIT_ACCESS_W ea{};
    ea.grfAccessPermissions = GENERIC_ALL;
    ea.grfAccessMode = SET_ACCESS;
    ea.grfInheritance = NO_INHERITANCE;
    ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
    ea.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
    ea.Trustee.ptstrName = static_cast<LPWSTR>(sid.get());
    entries.push_back(ea);
    owned.push_back(std::move(sid));
  }
  PACL acl = nullptr;
  DWORD rc = SetEntriesInAclW(static_cast<ULONG>(entries.size()), entries.data(), nullptr, &acl);
  if (rc != ERROR_SUCCESS) return Win32Error("SetEntriesInAcl (default DACL)", rc);
  LocalPtr<ACL> owned_acl(acl);
  TOKEN_DEFAULT_DACL dacl{acl};
  if (!SetTokenInformation(token, TokenDefaultDacl, &dacl, sizeof dacl)) return LastError("setting the default DACL");
  return {};
}

}  // namespace

Result<UniqueHandle> MakeSandboxToken(const winplan::TokenPlan& plan) {
  HANDLE raw = nullptr;
  if (!OpenProcessToken(GetCurrentProcess(),
                        TOKEN_DUPLICATE | TOKEN_QUERY | TOKEN_ASSIGN_PRIMARY | TOKEN_ADJUST_DEFAULT, &raw)) {
    return LastError("OpenProcessToken");
  }
  UniqueHandle own(raw);
  std::vector<SidPtr> owned;
  std::vector<SID_AND_ATTRIBUTES> restricting;
  for (const std::string& s : plan.restricting_sids) {
    CORDON_ASSIGN_OR_RETURN(SidPtr sid, SidFromString(s));
    restricting.push_back({sid.get(), 0});
    owned.push_back(std::move(sid));
  }
  DWORD flags = (plan.disable_max_privilege ? DISABLE_MAX_PRIVILEGE : 0) | (plan.write_restricted ? WRITE_RESTRICTED : 0);
  HANDLE restricted = nullptr;
  if (!CreateRestrictedToken(own.get(), flags, 0, nullptr, 0, nullptr, static_cast<DWORD>(restricting.size()),
                             restricting.data(), &restricted)) {
    return LastError("CreateRestrictedToken");
  }
  UniqueHandle token(restricted);
  CORDON_ASSIGN_OR_RETURN(std::string user, CurrentUserSid());
  std::vector<std::string> dacl_sids = {user, "S-1-5-18"};  // the caller, SYSTEM
  dacl_sids.insert(dacl_sids.end(), plan.restricting_sids.begin(), plan.restricting_sids.end());
  CORDON_TRY(SetDefaultDacl(token.get(), dacl_sids));
  return token;
}

}  // namespace cordon::windows
