#include "policy/paths.h"

#include <vector>

namespace cordon::policy {

std::string NormalizePath(std::string_view path) {
  bool absolute = !path.empty() && path.front() == '/';
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i < path.size()) {
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    std::string_view part = path.substr(i, j - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == "..") {
      if (!parts.empty() && parts.back() != "..") {
        parts.pop_back();
      } else if (!absolute) {
        parts.push_back(part);
      }
    } else {
      parts.push_back(part);
    }
    i = j + 1;
  }
  std::string out = absolute ? "/" : "";
  for (size_t k = 0; k < parts.size(); ++k) {
    if (k > 0) out += '/';
    out += parts[k];
  }
  if (out.empty()) out = ".";
  return out;
}

bool IsSameOrUnder(std::string_view path, std::string_view root) {
  if (root == "/") return !path.empty() && path.front() == '/';
  if (path.size() < root.size() || path.substr(0, root.size()) != root) return false;
  return path.size() == root.size() || path[root.size()] == '/';
}

std::string ExpandPath(std::string_view path, std::string_view home, std::string_view workspace) {
  std::string out;
  constexpr std::string_view kWorkspace = "{workspace}";
  if (path == "~" || path.starts_with("~/")) {
    out = std::string(home) + std::string(path.substr(1));
  } else if (path.starts_with(kWorkspace) &&
             (path.size() == kWorkspace.size() || path[kWorkspace.size()] == '/')) {
    out = std::string(workspace) + std::string(path.substr(kWorkspace.size()));
  } else {
    out = std::string(path);
  }
  if (out.empty() || out.front() != '/') return "";
  return NormalizePath(out);
}

std::string ParentPath(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

}  // namespace cordon::policy
