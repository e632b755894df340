// A structural check of policy text before toml11 parses it. toml11 3.7 crashes on some inputs (invalid
// UTF-8, very deep nesting, dotted keys that run into an array); a policy needs none of those, so they are
// refused here with FILE:LINE:COL. Also refuses what schema version 1 has no use for: unknown sections,
// arrays of tables other than [[exec.rule]] and [[alert]], dotted keys.
#pragma once

#include <string>

#include "base/result.h"

namespace cordon::policy {

Result<void> CheckTomlShape(const std::string& text, const std::string& name);

}  // namespace cordon::policy
