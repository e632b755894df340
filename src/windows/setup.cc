#include "windows/setup.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "windows/account.h"
#include "windows/acl.h"
#include "windows/firewall.h"
#include "windows/password_store.h"
#include "windows/wfp.h"
#include "winplan/identity.h"

namespace cordon::windows {
namespace {

Error NotElevated(const std::string& what) {
  Error e = MakeError("`cordon.exe " + what + "` must run elevated (as administrator)");
  e.hint = "start it from an administrator prompt";
  return e;
}

Status WriteSetupRecord(const winplan::SetupRecord& r) {
  CORDON_ASSIGN_OR_RETURN(std::wstring path, SetupRecordPath());
  {
    std::ofstream out(std::filesystem::path(path + L".tmp"), std::ios::trunc);
    out << winplan::SetupRecordToJson(r);
    if (!out) return MakeError("writing " + Narrow(path) + ".tmp");
  }
  if (!MoveFileExW((path + L".tmp").c_str(), path.c_str(), MOVEFILE_REPLACE_EXISTING)) {
    return LastError("writing " + Narrow(path));
  }
  return {};
}

Status DeleteSetupRecord() {
  CORDON_ASSIGN_OR_RETURN(std::wstring path, SetupRecordPath());
  if (!DeleteFileW(path.c_str()) && GetLastError() != ERROR_FILE_NOT_FOUND) return LastError("deleting " + Narrow(path));
  return {};
}

Status Install(winplan::SetupRecord& r) {
  // The account, with a password nobody sees.
  CORDON_ASSIGN_OR_RETURN(std::string random, RandomBytes(winplan::kPasswordLength));
  std::string password = winplan::SandboxPassword(
      std::span(reinterpret_cast<const uint8_t*>(random.data()), random.size()));
  SecureZeroMemory(random.data(), random.size());
  Status created = CreateLocalAccount(r.account, password);
  if (!created.ok()) {
    SecureZeroMemory(password.data(), password.size());
    return created;
  }
  r.account_created = true;
  CORDON_TRY(WriteSetupRecord(r));
  CORDON_ASSIGN_OR_RETURN(r.account_sid, AccountSid(r.account));
  CORDON_TRY(WriteSetupRecord(r));
  // Its password, for the caller only.
  CORDON_ASSIGN_OR_RETURN(std::string caller, CurrentUserSid());
  CORDON_ASSIGN_OR_RETURN(std::wstring dir, StateDirectory());
  const std::wstring password_file = dir + L"\\sandbox-password.dpapi";
  r.password_file = Narrow(password_file);
  CORDON_TRY(WriteSetupRecord(r));
  Status stored = StorePassword(password_file, password, caller);
  SecureZeroMemory(password.data(), password.size());
  CORDON_TRY(stored);
  // Windows Firewall: everything but loopback.
  const std::vector<winplan::FirewallRule> all =
      winplan::SandboxFirewallRules(r.account_sid, r.proxy_first, r.proxy_count);
  Status fw = AddFirewallRules(winplan::WindowsFirewallPart(all), [&](const std::string& name) {
    r.firewall_rules.push_back(name);
  });
  CORDON_TRY(WriteSetupRecord(r));
  CORDON_TRY(fw);
  // WFP: loopback (one transaction: all filters or none).
  CORDON_ASSIGN_OR_RETURN(WfpAdded wfp,
                          AddWfpFilters(r.account_sid, winplan::LoopbackWfpFilters(r.proxy_first, r.proxy_count)));
  r.wfp_sublayer = wfp.sublayer;
  r.wfp_filters = wfp.filters;
  return WriteSetupRecord(r);
}

}  // namespace

Result<std::wstring> SetupRecordPath() {
  CORDON_ASSIGN_OR_RETURN(std::wstring dir, StateDirectory());
  return dir + L"\\setup-record.json";
}

Result<std::optional<winplan::SetupRecord>> ReadSetupRecord() {
  CORDON_ASSIGN_OR_RETURN(std::wstring path, SetupRecordPath());
  std::ifstream in{std::filesystem::path(path)};
  if (!in) return std::optional<winplan::SetupRecord>{};
  std::stringstream text;
  text << in.rdbuf();
  Result<winplan::SetupRecord> r = winplan::SetupRecordFromJson(text.str());
  if (!r.ok()) return std::move(r).error().With(Narrow(path));
  return std::optional<winplan::SetupRecord>(std::move(*r));
}

Status RunSetup() {
  if (!IsElevated()) return NotElevated("setup");
  CORDON_ASSIGN_OR_RETURN(std::optional<winplan::SetupRecord> existing, ReadSetupRecord());
  if (existing) {
    Error e = MakeError("setup has run already (account " + existing->account + ")");
    e.hint = "run `cordon.exe setup --undo` first to set it up again";
    return e;
  }
  if (AccountSid(winplan::kSandboxAccountName).ok()) {
    Error e = MakeError(std::string("a local account named ") + winplan::kSandboxAccountName +
                        " exists already and was not created by this user's setup");
    e.hint = "remove it (net user " + std::string(winplan::kSandboxAccountName) + " /delete) or run setup as its creator";
    return e;
  }
  winplan::SetupRecord r;
  r.account = winplan::kSandboxAccountName;
  CORDON_TRY(WriteSetupRecord(r));
  Status s = Install(r);
  if (!s.ok()) {
    Error e = std::move(s).error();
    e.hint = "what was added is recorded: `cordon.exe setup --undo` removes it";
    return e;
  }
  std::printf("cordon: setup: account %s (%s), password kept in %s, %zu firewall rule(s), %zu WFP filter(s)\n",
              r.account.c_str(), r.account_sid.c_str(), r.password_file.c_str(), r.firewall_rules.size(),
              r.wfp_filters.size());
  return {};
}

Status UndoSetup() {
  CORDON_ASSIGN_OR_RETURN(std::optional<winplan::SetupRecord> record, ReadSetupRecord());
  int failed = 0;
  auto report = [&](const Status& s) {
    if (s.ok()) return true;
    ++failed;
    std::fprintf(stderr, "cordon: setup --undo: %s\n", s.error().ToString().c_str());
    return false;
  };
  if (record) {
    if (!IsElevated()) return NotElevated("setup --undo");
    winplan::SetupRecord& r = *record;
    if (report(RemoveWfp(r.wfp_filters, r.wfp_sublayer))) {
      r.wfp_filters.clear();
      r.wfp_sublayer.clear();
    }
    Result<std::vector<std::string>> left = RemoveFirewallRules(r.firewall_rules);
    if (report(left.ok() ? Status{} : Status(left.error()))) {
      for (const std::string& n : *left) report(MakeError("could not remove the firewall rule " + n));
      r.firewall_rules = *left;
    }
    if (!r.password_file.empty() && report(DeletePassword(Widen(r.password_file)))) r.password_file.clear();
    if (r.account_created && report(DeleteLocalAccount(r.account))) {
      r.account_created = false;
      r.account_sid.clear();
    }
    const bool all_gone = r.wfp_filters.empty() && r.wfp_sublayer.empty() && r.firewall_rules.empty() &&
                          r.password_file.empty() && !r.account_created;
    if (all_gone) {
      CORDON_TRY(DeleteSetupRecord());
      std::printf("cordon: removed the sandbox account, its password, firewall rules and WFP filters\n");
    } else {
      CORDON_TRY(WriteSetupRecord(r));
    }
  }
  CORDON_ASSIGN_OR_RETURN(std::vector<AppliedAce> aces, ReadAceRecord());
  int aces_failed = 0;
  for (const AppliedAce& a : aces) {
    if (!report(RemoveAce(a))) ++aces_failed;
  }
  if (aces_failed == 0) CORDON_TRY(DeleteAceRecord());
  if (failed > 0) return MakeError(std::to_string(failed) + " item(s) could not be removed; the records keep them");
  std::printf("cordon: removed %zu ACE(s)\n", aces.size());
  return {};
}

}  // namespace cordon::windows
