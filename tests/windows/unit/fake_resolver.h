// A file system for the translation tests: paths that exist, links (resolved to their targets), files.
#pragma once

#include <map>
#include <set>

#include "winplan/translate.h"

namespace cordon::winplan {

class FakeResolver : public PathResolver {
 public:
  // `path` exists (a directory unless `file`); `target`, when given, is where a link or an 8.3 alias leads.
  void Add(const std::string& path, const std::string& target = "", bool file = false) {
    WinPath p = *ParseWinPath(path);
    entries_[p.Key()] = target.empty() ? p : *ParseWinPath(target);
    if (file) files_.insert(p.Key());
  }
  Result<std::optional<WinPath>> Resolve(const WinPath& path) override {
    auto it = entries_.find(path.Key());
    if (it == entries_.end()) return std::optional<WinPath>();
    return std::optional<WinPath>(it->second);
  }
  bool IsFile(const WinPath& path) override { return files_.count(path.Key()) != 0; }

 private:
  std::map<std::string, WinPath> entries_;
  std::set<std::string> files_;
};

}  // namespace cordon::winplan
