// The built-in rules' pattern databases are compiled at build time (redact_db_gen) and embedded in the binary:
// compiling ~140 rules takes Hyperscan seconds, and cordon starts once per command.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "redact/patterns.h"
#include "redact/rules.h"

namespace cordon::redact {

// The embedded image (PatternDb::Serialize), or empty in the generator itself.
std::string_view EmbeddedBuiltinImage();

// Identifies a rule list by what its databases depend on (ids, regexes, begins, in order).
uint64_t RulesFingerprint(const std::vector<Rule>& rules);

// The patterns of rules[first..]: each rule's regex, and its begin pattern for multi-line rules; labels are rule
// indices.
std::vector<PatternSource> RuleSources(const std::vector<Rule>& rules, size_t first = 0);

}  // namespace cordon::redact
