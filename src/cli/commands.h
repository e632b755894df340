// The subcommands; each file registers one with CLI11 and runs it. main.cc is the one place that reports
// errors: one line "cordon: error: …" and exit 125.
#pragma once

#include <CLI/CLI.hpp>
#include <functional>
#include <string>

#include "audit/recorder.h"
#include "base/result.h"
#include "plan/launch_plan.h"
#include "policy/policy.h"

namespace cordon::cli {

inline constexpr int kExitCordonError = 125;
// A command the command rules refuse (`cordon run` and `cordon check`): the shell's "cannot execute".
inline constexpr int kExitDenied = 126;

// Where a policy comes from on the command line (`--profile P` or `--policy FILE`).
struct PolicySource {
  std::string profile;
  std::string file;
  void AddOptions(CLI::App& app);
};

Result<policy::Policy> LoadPolicy(const PolicySource& source);
// The caller's facts; `workspace` empty means the current directory.
Result<plan::Facts> GatherFacts(const std::string& workspace);

// A subcommand's action returns cordon's exit code, or an Error (reported by main, exit 125).
using Action = std::function<Result<int>()>;

void AddRunCommand(CLI::App& app, Action& action);
void AddPolicyCommand(CLI::App& app, Action& action);
void AddDoctorCommand(CLI::App& app, Action& action);
void AddCheckCommand(CLI::App& app, Action& action);
void AddAuditCommand(CLI::App& app, Action& action);

// A refusal by the command rules: "cordon: denied by rule WHERE: REASON (COMMAND)", one line.
std::string DenialLine(const policy::ExecDecision& d);
// The "exec.decision" event: decision, program, rule, origin, reason (never the arguments).
nlohmann::json ExecDecisionEvent(const policy::ExecDecision& d);
// Prints the denial line, emits the event into `events` (the alert rules, then the recorder; null: none),
// finishes `recorder` and returns kExitDenied, or the recorder's failure.
Result<int> RefuseCommand(const policy::ExecDecision& d, audit::EventSink* events, audit::Recorder* recorder);

}  // namespace cordon::cli
