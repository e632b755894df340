// The events that open and close a run's story in the audit trail (docs/EVENTS.md): run.start (who ran what,
// where, under which policy) and run.end (how it ended and what it used), and the workspace guard's repairs.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "backend/backend.h"
#include "guard/workspace_guard.h"
#include "plan/launch_plan.h"

namespace cordon::cli {

// SHA-256 (hex) of the plan as JSON without the command, its directory and environment: two runs with the
// same digest ran under the same effective policy (paths, limits, network, output filtering) in the same workspace.
std::string PlanDigest(const plan::LaunchPlan& plan);

// The command line with what looks like a secret replaced by a marker: the built-in redaction rules, and the
// caller's secret environment values (a run's arguments may carry a token: `curl -H "Authorization: …"`).
std::vector<std::string> RedactedArgv(const std::vector<std::string>& argv,
                                      const std::vector<std::string>& secret_values);

nlohmann::json RunStartEvent(const plan::LaunchPlan& plan);
nlohmann::json RunEndEvent(const RunOutcome& outcome);
// run.end of a run whose sandbox could not be built (nothing ran).
nlohmann::json RunSetupFailedEvent(const Error& error);
nlohmann::json GuardRepairEvent(const guard::Repair& repair);

}  // namespace cordon::cli
