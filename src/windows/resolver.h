// winplan::PathResolver on the real file system: GetFinalPathNameByHandleW expands 8.3 aliases and follows
// junctions and symbolic links, so rules land on the object a path leads to.
#pragma once

#include "winplan/translate.h"

namespace cordon::windows {

class Win32PathResolver : public winplan::PathResolver {
 public:
  Result<std::optional<winplan::WinPath>> Resolve(const winplan::WinPath& path) override;
  bool IsFile(const winplan::WinPath& path) override;
};

}  // namespace cordon::windows
