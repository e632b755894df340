// The SIDs the Windows sandbox is built on, derived from names so that every run in a workspace uses the same one
// (ACEs added for it on first use keep working) and no two workspaces share one.
#pragma once

#include <string>
#include <string_view>

namespace cordon::winplan {

// "S-1-15-3-1024-d1-...-d8": the capability-SID shape DeriveCapabilitySidsFromName produces, here from SHA-256 of
// "cordon.workspace:" + the workspace's case-folded plan path (win_path.h Key). A capability SID is never a
// group of any account, so only tokens that carry it as a restricting SID match ACEs for it.
std::string WorkspaceSid(std::string_view workspace_key);

// The name of the local account `cordon.exe setup` creates.
inline constexpr const char* kSandboxAccountName = "cordon-sandbox";

}  // namespace cordon::winplan
