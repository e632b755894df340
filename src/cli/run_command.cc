// cordon run [--profile P | --policy FILE] [-w DIR] [--timeout S] [--net MODE] [--allow-host H:P]...
//            [--audit SINK]... [--audit-failure closed|open] [--events FILE] [--json | --json-fd N]
//            [--dry-run [--json]] -- CMD [ARGS...]
#include <algorithm>
#include <cstdio>

#include "audit/alerts.h"
#include "audit/describe.h"
#include "audit/hook_runner.h"
#include "backend/backend.h"
#include "cli/commands.h"
#include "cli/audit_options.h"
#include "cli/run_events.h"
#include "guard/workspace_guard.h"

#include <optional>

namespace cordon::cli {
namespace {

struct RunOptions {
  PolicySource source;
  std::string workspace;
  double timeout = -1;
  bool dry_run = false;
  bool json = false;
  std::string net;
  std::vector<std::string> allow_hosts;
  AuditOptions audit;
  bool no_redact = false;
  std::vector<std::string> redact_rules;
  std::vector<std::string> command;
};

// Events go to the audit sinks; a refused connection is also one line on stderr, so whoever reads the
// command's output learns why it failed, and so is an alert whose rule has the log action.
class EventRouter : public audit::EventSink {
 public:
  explicit EventRouter(audit::Recorder& recorder) : recorder_(recorder) {}
  void Emit(const std::string& type, const nlohmann::json& fields) override {
    recorder_.Emit(type, fields);
    if (type == "alert") return AlertLine(fields);
    if (type != "net.connection" || fields.value("decision", "") != "deny") return;
    const std::string host = fields.value("host", "");
    const std::string reason = fields.value("reason", "");
    if (!host.empty() && !reason.empty()) {  // the policy refused a request
      std::string target = (host.find(':') != std::string::npos && host.front() != '[' ? "[" + host + "]" : host) + ":" +
                           std::to_string(fields.value("port", 0));
      std::fprintf(stderr, "cordon: network: refused %s (%s)\n", target.c_str(), reason.c_str());
    } else if (!fields.value("protocol", "").empty()) {  // a request the proxy could not read
      std::fprintf(stderr, "cordon: network: refused a malformed %s request (%s)\n",
                   fields.value("protocol", "").c_str(), fields.value("error", std::string("bad request")).c_str());
    }
    // A connection that never sent a byte (a port check) is in the event log only.
  }

 private:
  static void AlertLine(const nlohmann::json& alert) {
    const nlohmann::json actions = alert.value("actions", nlohmann::json::array());
    if (std::find(actions.begin(), actions.end(), "log") == actions.end()) return;
    std::fprintf(stderr, "cordon: alert %s (%s): %s\n", alert.value("rule", "").c_str(),
                 alert.value("severity", "").c_str(), alert.value("message", "").c_str());
  }

  audit::Recorder& recorder_;
};

// A run's events: the backend emits into the alert rules, which pass each event on to the router and add their
// alerts; a kill action stops the run through `control` (none: nothing to stop). Hooks still running are
// waited for (each at most its timeout) when this goes.
struct RunEvents {
  RunEvents(audit::Recorder& recorder, const std::vector<policy::AlertRule>& rules, RunControl* control)
      : router(recorder),
        alerts(rules, router, [control](const std::string& reason) { if (control != nullptr) control->RequestStop(reason); },
               &hooks, recorder.run_id()) {}
  EventRouter router;
  audit::HookProcesses hooks;
  audit::AlertEngine alerts;
};

Result<int> Run(RunOptions& o) {
  CORDON_ASSIGN_OR_RETURN(policy::Policy pol, LoadPolicy(o.source));
  if (o.timeout >= 0) pol.limits.timeout_seconds = o.timeout;
  if (!pol.unrestricted) CORDON_TRY(pol.network.ApplyFlags(o.net, o.allow_hosts));
  // Command rules: before anything starts (no plan, no workspace scan, no sandbox).
  const policy::ExecDecision exec_decision = policy::CheckExec(pol.exec, o.command);
  o.audit.json = o.json && !o.dry_run;
  // The audit sinks before anything else: a refusal is recorded too, and a sink that cannot be opened stops
  // everything (--audit-failure=closed). A dry run records nothing.
  std::unique_ptr<audit::Recorder> recorder;
  if (!o.dry_run) {
    CORDON_ASSIGN_OR_RETURN(recorder, OpenRecorder(o.audit));
  }
  if (exec_decision.denied()) {
    if (recorder == nullptr) return RefuseCommand(exec_decision, nullptr, nullptr);
    RunEvents events(*recorder, pol.alerts, nullptr);
    return RefuseCommand(exec_decision, &events.alerts, recorder.get());
  }
  CORDON_ASSIGN_OR_RETURN(plan::Facts facts, GatherFacts(o.workspace));
  std::optional<guard::WorkspaceGuard> workspace_guard;
  if (!pol.unrestricted) {
    workspace_guard.emplace(facts.workspace);
    facts.git_dirs = workspace_guard->before().dirs;
    facts.git_files = workspace_guard->before().files;
  }
  CORDON_ASSIGN_OR_RETURN(plan::LaunchPlan launch, plan::MakePlan(pol, facts, o.command));
  launch.filter_output = !o.no_redact;
  launch.redact_rule_files = o.redact_rules;
  if (o.dry_run) {
    std::fputs((o.json ? plan::ToJson(launch) : plan::Describe(launch)).c_str(), stdout);
    return 0;
  }
  if (launch.unrestricted) {
    std::fprintf(stderr,
                 "cordon: WARNING: profile 'full' runs the command WITHOUT ANY SANDBOX: it can read every secret, "
                 "write anywhere and use the network\n");
  }
  if (launch.network.mode == policy::NetworkMode::kFull) {
    std::fprintf(stderr, "cordon: warning: network mode full: the command can reach any host\n");
  }
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<RunControl> control, RunControl::Create());
  // A sink failing under --audit-failure=closed stops the run; the run then ends with its error (exit 125).
  recorder->OnFailure([&control] { control->RequestStop("an audit sink failed"); });
  RunEvents run_events(*recorder, pol.alerts, control.get());
  audit::EventSink& events = run_events.alerts;
  events.Emit("run.start", RunStartEvent(launch));
  events.Emit("exec.decision", ExecDecisionEvent(exec_decision));
  if (o.no_redact && !launch.unrestricted) events.Emit("output.unfiltered", {{"reason", "--no-redact"}});
  std::unique_ptr<Backend> backend = MakeLinuxBackend();
  Result<RunOutcome> ran = backend->Run(launch, events, *control);
  if (!ran.ok()) {
    events.Emit("run.end", RunSetupFailedEvent(ran.error()));
    recorder->Finish();
    return std::move(ran).error();
  }
  RunOutcome& outcome = *ran;
  if (workspace_guard) {
    for (const guard::Repair& r : workspace_guard->CheckAfterRun()) {
      std::fprintf(stderr, "cordon: guard: %s %s\n", audit::Printable(r.path).c_str(), r.what.c_str());
      events.Emit("guard.repair", GuardRepairEvent(r));
    }
  }
  events.Emit("run.end", RunEndEvent(outcome));
  recorder->Finish();
  if (recorder->failure()) return *recorder->failure();
  if (!outcome.degraded.empty()) {
    std::fprintf(stderr, "cordon: warning: ran without %s (best_effort)\n", outcome.degraded.c_str());
  }
  if (!outcome.message.empty()) std::fprintf(stderr, "cordon: %s\n", outcome.message.c_str());
  return outcome.exit_code;
}

}  // namespace

void AddRunCommand(CLI::App& app, Action& action) {
  auto opts = std::make_shared<RunOptions>();
  CLI::App* run = app.add_subcommand("run", "run a command in the sandbox");
  opts->source.AddOptions(*run);
  run->add_option("-w,--workspace", opts->workspace, "the project directory (default: the current directory)");
  run->add_option("--timeout", opts->timeout, "kill the whole sandbox after SECONDS (exit 124)")
      ->check(CLI::Range(0.0, 365.0 * 24 * 3600));
  run->add_option("--net", opts->net, "network: none (default), allowlist (through cordon's proxy) or full")
      ->check(CLI::IsMember({"none", "allowlist", "full"}));
  run->add_option("--allow-host", opts->allow_hosts, "allow HOST:PORT through the proxy (repeatable; implies --net allowlist)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  opts->audit.AddOptions(*run);
  run->add_flag("--no-redact", opts->no_redact, "pass the command's output on unfiltered (trusted use; recorded)");
  run->add_option("--redact-rules", opts->redact_rules, "more redaction rules from a TOML file (repeatable)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run->add_flag("--dry-run", opts->dry_run, "print the plan and run nothing");
  run->add_flag("--json", opts->json, "print the run's events as JSON lines on stderr; with --dry-run: the plan as JSON");
  run->add_option("command", opts->command, "the command and its arguments, after --")->required();
  run->positionals_at_end();
  run->callback([&action, opts] { action = [opts] { return Run(*opts); }; });
}

}  // namespace cordon::cli
