// Where a rule came from, so errors and `policy show` can name it ("profile workspace-write", "p.toml:7").
#pragma once

#include <string>

namespace cordon::policy {

struct Origin {
  std::string file;  // profile name or policy file path
  int line = 0;      // 0 for built-in rules
  std::string ToString() const;
};

}  // namespace cordon::policy
