#include "windows/acl.h"

#include <aclapi.h>
#include <shlobj.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace cordon::windows {
namespace {

struct Dacl {
  PACL acl = nullptr;
  LocalPtr<void> descriptor;
};

Result<Dacl> ReadDacl(const std::wstring& path) {
  Dacl d;
  PSECURITY_DESCRIPTOR sd = nullptr;
  DWORD rc = GetNamedSecurityInfoW(path.c_str(), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION, nullptr, nullptr, &d.acl,
                                   nullptr, &sd);
  if (rc != ERROR_SUCCESS) return Win32Error("reading the ACL of " + Narrow(path), rc);
  d.descriptor.reset(sd);
  return d;
}

Status WriteDacl(const std::wstring& path, PACL acl) {
  DWORD rc = SetNamedSecurityInfoW(const_cast<wchar_t*>(path.c_str()), SE_FILE_OBJECT, DACL_SECURITY_INFORMATION,
                                   nullptr, nullptr, acl, nullptr);
  if (rc != ERROR_SUCCESS) return Win32Error("writing the ACL of " + Narrow(path), rc);
  return {};
}

// Is `header` an explicit (not inherited) ACE of this type for `sid`? Its mask goes to *mask.
bool IsOurs(ACE_HEADER* header, PSID sid, bool deny, DWORD* mask) {
  if ((header->AceFlags & INHERITED_ACE) != 0) return false;
  if (deny && header->AceType == ACCESS_DENIED_ACE_TYPE) {
    auto* a = reinterpret_cast<ACCESS_DENIED_ACE*>(header);
    *mask = a->Mask;
    return EqualSid(&a->SidStart, sid);
  }
  if (!deny && header->AceType == ACCESS_ALLOWED_ACE_TYPE) {
    auto* a = reinterpret_cast<ACCESS_ALLOWED_ACE*>(header);
    *mask = a->Mask;
    return EqualSid(&a->SidStart, sid);
  }
  return false;
}

Result<std::wstring> RecordPath() {
  CORDON_ASSIGN_OR_RETURN(std::wstring dir, StateDirectory());
  return dir + L"\\acl-record.json";
}

}  // namespace

Result<std::wstring> StateDirectory() {
  wchar_t* base = nullptr;
  if (FAILED(SHGetKnownFolderPath(FOLDERID_LocalAppData, 0, nullptr, &base))) {
    CoTaskMemFree(base);
    return MakeError("cannot find %LOCALAPPDATA%");
  }
  std::wstring dir = std::wstring(base) + L"\\cordon";
  CoTaskMemFree(base);
  if (!CreateDirectoryW(dir.c_str(), nullptr) && GetLastError() != ERROR_ALREADY_EXISTS) {
    return LastError("creating " + Narrow(dir));
  }
  return dir;
}

Result<bool> AddAce(const AppliedAce& ace, bool inherit) {
  const std::wstring path = Widen(ace.path);
  const DWORD attrs = GetFileAttributesW(path.c_str());
  if (attrs == INVALID_FILE_ATTRIBUTES) return LastError(ace.path);
  if ((attrs & FILE_ATTRIBUTE_REPARSE_POINT) != 0) {
    return MakeError(ace.path + " is a junction or symbolic link: refusing to put an ACE on it");
  }
  CORDON_ASSIGN_OR_RETURN(SidPtr sid, SidFromString(ace.sid));
  CORDON_ASSIGN_OR_RETURN(Dacl d, ReadDacl(path));
  if (d.acl != nullptr) {
    for (DWORD i = 0; i < d.acl->AceCount; ++i) {
      void* header = nullptr;
      DWORD mask = 0;
      if (GetAce(d.acl, i, &header) && IsOurs(static_cast<ACE_HEADER*>(header), sid.get(), ace.deny, &mask) &&
          (mask & ace.mask) == ace.mask) {
        return false;
      }
    }
  }
  EXPLICIT_ACCESS_W ea{};
  ea.grfAccessPermissions = ace.mask;
  ea.grfAccessMode = ace.deny ? DENY_ACCESS : GRANT_ACCESS;
  ea.grfInheritance = inherit ? SUB_CONTAINERS_AND_OBJECTS_INHERIT : NO_INHERITANCE;
  ea.Trustee.TrusteeForm = TRUSTEE_IS_SID;
  ea.Trustee.TrusteeType = TRUSTEE_IS_UNKNOWN;
  ea.Trustee.ptstrName = static_cast<LPWSTR>(sid.get());
  PACL updated = nullptr;
  DWORD rc = SetEntriesInAclW(1, &ea, d.acl, &updated);
  if (rc != ERROR_SUCCESS) return Win32Error("SetEntriesInAcl for " + ace.path, rc);
  LocalPtr<ACL> owned(updated);
  CORDON_TRY(WriteDacl(path, updated));
  return true;
}

Status RemoveAce(const AppliedAce& ace) {
  const std::wstring path = Widen(ace.path);
  CORDON_ASSIGN_OR_RETURN(SidPtr sid, SidFromString(ace.sid));
  CORDON_ASSIGN_OR_RETURN(Dacl d, ReadDacl(path));
  if (d.acl == nullptr) return {};
  ACL_SIZE_INFORMATION size{};
  GetAclInformation(d.acl, &size, sizeof size, AclSizeInformation);
  std::vector<unsigned char> buf(size.AclBytesInUse + sizeof(ACL));
  auto* fresh = reinterpret_cast<PACL>(buf.data());
  if (!InitializeAcl(fresh, static_cast<DWORD>(buf.size()), ACL_REVISION)) return LastError("InitializeAcl");
  bool removed = false;
  for (DWORD i = 0; i < d.acl->AceCount; ++i) {
    void* header = nullptr;
    DWORD mask = 0;
    if (!GetAce(d.acl, i, &header)) return LastError("GetAce");
    if (IsOurs(static_cast<ACE_HEADER*>(header), sid.get(), ace.deny, &mask)) {
      removed = true;
      continue;
    }
    if (!::AddAce(fresh, ACL_REVISION, MAXDWORD, header, static_cast<ACE_HEADER*>(header)->AceSize)) {
      return LastError("AddAce");
    }
  }
  if (!removed) return {};
  return WriteDacl(path, fresh);
}

Result<std::vector<AppliedAce>> ReadAceRecord() {
  CORDON_ASSIGN_OR_RETURN(std::wstring path, RecordPath());
  std::ifstream in{std::filesystem::path(path)};
  std::vector<AppliedAce> out;
  if (!in) return out;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json j = nlohmann::json::parse(text.str(), nullptr, false);
  if (!j.is_array()) return MakeError(Narrow(path) + " is not a list of ACEs: remove it and the ACEs by hand");
  for (const nlohmann::json& e : j) {
    out.push_back({e.value("path", ""), e.value("sid", ""), e.value("deny", false), e.value("mask", 0u)});
  }
  return out;
}

Status AppendAceRecord(const AppliedAce& ace) {
  CORDON_ASSIGN_OR_RETURN(std::vector<AppliedAce> all, ReadAceRecord());
  all.push_back(ace);
  nlohmann::json j = nlohmann::json::array();
  for (const AppliedAce& a : all) j.push_back({{"path", a.path}, {"sid", a.sid}, {"deny", a.deny}, {"mask", a.mask}});
  CORDON_ASSIGN_OR_RETURN(std::wstring path, RecordPath());
  std::ofstream out(std::filesystem::path(path + L".tmp"), std::ios::trunc);
  out << j.dump(1) << "\n";
  out.close();
  if (!out || !MoveFileExW((path + L".tmp").c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING)) {
    return LastError("writing " + Narrow(path));
  }
  return {};
}

Status DeleteAceRecord() {
  CORDON_ASSIGN_OR_RETURN(std::wstring path, RecordPath());
  if (!DeleteFileW(path.c_str()) && GetLastError() != ERROR_FILE_NOT_FOUND) return LastError("deleting " + Narrow(path));
  return {};
}

}  // namespace cordon::windows
