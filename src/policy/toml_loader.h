// Loads a TOML policy file (schema version 1). The only file that touches toml11; its exceptions stop here.
#pragma once

#include <string>

#include "base/result.h"
#include "policy/policy.h"

namespace cordon::policy {

// Parses and validates `path`, merging it onto the profile it `extends`. Every problem found is reported
// at once, one per line, as "FILE:LINE: what is wrong"; the Error's message holds them all.
Result<Policy> LoadPolicyFile(const std::string& path);
// Same, from text already in memory; `name` is used in messages (tests, fuzzing).
Result<Policy> LoadPolicyText(const std::string& text, const std::string& name);

// "4GiB", "512MiB", "100k", "1048576" -> bytes. Binary units; an optional trailing "B".
Result<uint64_t> ParseSize(const std::string& text);

}  // namespace cordon::policy
