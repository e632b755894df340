// The alert part of a policy file: top-level `remove_alerts = ["id", …]` and the `[[alert]]` array of tables.
// Used by toml_loader.cc only.
#pragma once

#include <string>
#include <toml.hpp>
#include <utility>
#include <vector>

#include "policy/alert_rules.h"

namespace cordon::policy {

// Takes the rules `remove_alerts` names off `rules` (the inherited ones), then appends the file's [[alert]]
// rules. Each problem is (line, message); line 0 when there is none.
void ReadAlertRules(const toml::table& top, const std::string& file, std::vector<AlertRule>& rules,
                    std::vector<std::pair<int, std::string>>& problems);

}  // namespace cordon::policy
