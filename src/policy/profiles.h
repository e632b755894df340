// Built-in profiles: read-only, workspace-write (the default) and full.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "policy/policy.h"

namespace cordon::policy {

inline constexpr std::string_view kDefaultProfile = "workspace-write";

// The built-in profile `name`, or an error naming the known ones.
Result<Policy> BuiltinProfile(std::string_view name);
std::vector<std::string> BuiltinProfileNames();

// Credentials and personal data that stay unreadable even where their parent is readable.
const std::vector<std::string>& DefaultDenyRead();
// cordon's own directories under the home (the audit trail: other runs' commands and decisions; the caches).
// On the default deny list — the sandbox must neither read nor rewrite them — but not secrets: their contents
// are not redacted as secret values.
const std::vector<std::string>& CordonOwnDirs();

// The command rules every profile has (and a policy without `extends` too), with `origin` as their origin:
// no privilege escalation (sudo, su, doas, pkexec, run0), no git force push, no interpreter running code
// straight from curl/wget, no rm or chmod/chown of / or the home directory. A policy drops one with
// `[exec] remove_rules = ["id"]`.
std::vector<ExecRule> DefaultExecRules(const std::string& origin);

}  // namespace cordon::policy
