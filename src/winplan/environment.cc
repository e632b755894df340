#include "winplan/environment.h"

#include <algorithm>
#include <array>
#include <map>
#include <string_view>

#include "winplan/win_path.h"

namespace cordon::winplan {
namespace {

constexpr std::array<std::string_view, 26> kEssentials = {
    "SystemRoot",         "windir",          "SystemDrive",         "ComSpec",         "PATHEXT",
    "Path",               "ProgramFiles",    "ProgramFiles(x86)",   "ProgramW6432",    "CommonProgramFiles",
    "CommonProgramFiles(x86)", "CommonProgramW6432", "ProgramData", "ALLUSERSPROFILE", "PUBLIC",
    "NUMBER_OF_PROCESSORS", "PROCESSOR_ARCHITECTURE", "PROCESSOR_IDENTIFIER", "PROCESSOR_LEVEL",
    "PROCESSOR_REVISION", "OS", "USERNAME", "USERPROFILE", "APPDATA", "LOCALAPPDATA", "COMPUTERNAME"};

std::string NameOf(const std::string& entry) {
  // Windows keeps per-drive directories in variables named "=C:": the name starts after a leading '='.
  size_t eq = entry.find('=', 1);
  return entry.substr(0, eq == std::string::npos ? entry.size() : eq);
}

std::string ValueOf(const std::string& entry) {
  size_t eq = entry.find('=', 1);
  return eq == std::string::npos ? "" : entry.substr(eq + 1);
}

// Keeps the absolute entries of a ';' list.
std::string AbsolutePathList(const std::string& value) {
  std::string out;
  for (const std::string& dir : SplitPathList(value)) {
    if (ParseWinPath(dir).ok()) out += (out.empty() ? "" : ";") + dir;
  }
  return out;
}

}  // namespace

std::vector<std::string> SplitPathList(const std::string& value) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i <= value.size()) {
    size_t j = value.find(';', i);
    if (j == std::string::npos) j = value.size();
    std::string item = value.substr(i, j - i);
    if (item.size() >= 2 && item.front() == '"' && item.back() == '"') item = item.substr(1, item.size() - 2);
    if (!item.empty()) out.push_back(item);
    i = j + 1;
  }
  return out;
}

std::string FindVariable(const std::vector<std::string>& env, const std::string& name) {
  const std::string key = FoldCase(name);
  for (const std::string& e : env) {
    if (FoldCase(NameOf(e)) == key) return ValueOf(e);
  }
  return "";
}

std::vector<std::string> CallerEnvironForPlan(const std::vector<std::string>& caller_env) {
  std::vector<std::string> out;
  for (const std::string& e : caller_env) {
    if (e.empty() || e.front() == '=') continue;
    out.push_back(FoldCase(NameOf(e)) == "PATH" ? "PATH=" + ValueOf(e) : e);
  }
  return out;
}

std::vector<std::string> WindowsEnvironment(const std::vector<std::string>& plan_env,
                                            const std::vector<std::string>& caller_env, const std::string& temp_native) {
  std::map<std::string, std::string> by_key;  // folded name -> entry
  for (const std::string& e : plan_env) by_key.emplace(FoldCase(NameOf(e)), e);
  for (std::string_view name : kEssentials) {
    const std::string key = FoldCase(name);
    if (by_key.count(key) != 0) continue;
    for (const std::string& e : caller_env) {
      if (FoldCase(NameOf(e)) == key) {
        by_key.emplace(key, e);
        break;
      }
    }
  }
  if (auto it = by_key.find("PATH"); it != by_key.end()) it->second = NameOf(it->second) + "=" + AbsolutePathList(ValueOf(it->second));
  if (!temp_native.empty()) {
    by_key["TEMP"] = "TEMP=" + temp_native;
    by_key["TMP"] = "TMP=" + temp_native;
  }
  by_key["NODEFAULTCURRENTDIRECTORYINEXEPATH"] = "NoDefaultCurrentDirectoryInExePath=1";
  std::vector<std::string> out;
  for (auto& [key, entry] : by_key) out.push_back(entry);
  return out;
}

}  // namespace cordon::winplan
