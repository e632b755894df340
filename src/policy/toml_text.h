// TOML text read the same way by every loader (policies, redaction rules): the whole file, then toml11, whose
// exceptions become one line "NAME:LINE:COLUMN: TOML syntax error: …". Each loader runs its own shape check
// first (toml11 3.7 crashes on some inputs).
#pragma once

#include <string>
#include <toml.hpp>

#include "base/result.h"

namespace cordon::policy {

// The file's bytes; the error says which kind of file (`what`: "policy file", "rules file") could not be read.
Result<std::string> ReadTextFile(const std::string& path, const std::string& what);

Result<toml::value> ParseToml(const std::string& text, const std::string& name);

}  // namespace cordon::policy
