// Small filesystem helpers shared by the parent-side layout code.
#pragma once

#include <climits>
#include <cstdlib>
#include <string>

namespace cordon::linux_backend::fs {

inline std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

// realpath(3), or "" when the path does not resolve.
inline std::string RealPath(const std::string& p) {
  char buf[PATH_MAX];
  if (::realpath(p.c_str(), buf) == nullptr) return "";
  return buf;
}

}  // namespace cordon::linux_backend::fs
