// Lexical path helpers (no filesystem access).
#pragma once

#include <string>
#include <string_view>

namespace cordon::policy {

// Collapses "//", "." and ".." lexically; keeps a leading "/". "/a/../b/" -> "/b". ".." at the root stays at "/".
std::string NormalizePath(std::string_view path);
// True when `path` equals `root` or lies beneath it, comparing whole components ("/ab" is not under "/a").
bool IsSameOrUnder(std::string_view path, std::string_view root);
// Expands "~", "~/x", "{workspace}" and "{workspace}/x"; returns "" for a relative result.
std::string ExpandPath(std::string_view path, std::string_view home, std::string_view workspace);
// The parent directory of an absolute normal path ("/" for "/" and "/a").
std::string ParentPath(std::string_view path);

}  // namespace cordon::policy
