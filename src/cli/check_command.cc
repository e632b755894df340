// cordon check [--profile P | --policy FILE] [-v] -- CMD [ARGS...]: what the command rules decide on a command,
// without running anything. Also the denial line and the event `cordon run` uses.
#include <cstdio>

#include "audit/describe.h"
#include "cli/commands.h"
#include "cli/run_events.h"
#include "policy/exec_commands.h"

namespace cordon::cli {
namespace {

struct CheckOptions {
  PolicySource source;
  bool verbose = false;
  std::vector<std::string> command;
};

Result<int> Check(const CheckOptions& o) {
  CORDON_ASSIGN_OR_RETURN(policy::Policy pol, LoadPolicy(o.source));
  if (o.verbose) {
    // Every command the rules look at, so that a rule that does not match can be debugged.
    Result<std::vector<policy::ExecCommand>> cmds = policy::ListCommands(o.command);
    if (cmds.ok()) {
      for (const policy::ExecCommand& c : *cmds) {
        std::printf("  %s%s\n", policy::ShellQuote(c.words).c_str(), c.via.empty() ? "" : (" (run by " + c.via + ")").c_str());
      }
    }
  }
  policy::ExecDecision d = policy::CheckExec(pol.exec, o.command);
  std::printf("%s\n", d.Summary().c_str());
  return d.denied() ? kExitDenied : 0;
}

}  // namespace

std::string DenialLine(const policy::ExecDecision& d) {
  const std::string where = d.Where();
  std::string line = where.empty() ? "cordon: denied: " : "cordon: denied by rule " + where + ": ";
  // The command as given, with what looks like a credential (a token in a URL, an -H header) redacted: the line
  // goes to the agent and into logs.
  line += d.reason + " (" + policy::ShellQuote(RedactedArgv(d.command, {})) + (d.via.empty() ? "" : ", run by " + d.via) + ")";
  return audit::Printable(line);
}

nlohmann::json ExecDecisionEvent(const policy::ExecDecision& d) {
  // The program, not the arguments: arguments may hold credentials (a token in a URL, an -H header), and no
  // event carries a secret.
  nlohmann::json e = {{"decision", policy::ExecActionName(d.action)},
                      {"program", d.command.empty() ? "" : policy::ExecCommand{d.command}.Program()},
                      {"commands_checked", d.commands_checked}};
  if (!d.via.empty()) e["via"] = d.via;
  if (d.rule) {
    e["rule"] = d.rule->Describe();
    if (!d.rule->id.empty()) e["rule_id"] = d.rule->id;
  }
  if (const std::string where = d.Where(); !where.empty()) e["origin"] = where;
  if (!d.reason.empty()) e["reason"] = d.reason;
  return e;
}

Result<int> RefuseCommand(const policy::ExecDecision& d, audit::EventSink* events, audit::Recorder* recorder) {
  std::fprintf(stderr, "%s\n", DenialLine(d).c_str());
  if (events != nullptr) events->Emit("exec.decision", ExecDecisionEvent(d));
  if (recorder != nullptr) {
    recorder->Finish();
    if (recorder->failure()) return *recorder->failure();
  }
  return kExitDenied;
}

void AddCheckCommand(CLI::App& app, Action& action) {
  auto opts = std::make_shared<CheckOptions>();
  CLI::App* check = app.add_subcommand(
      "check", "decide on a command with the policy's command rules, without running it (exit 0 allow, 126 deny)");
  opts->source.AddOptions(*check);
  check->add_flag("-v,--verbose", opts->verbose, "also list every command the rules looked at");
  check->add_option("command", opts->command, "the command and its arguments, after --")->required();
  check->positionals_at_end();
  check->callback([&action, opts] { action = [opts] { return Check(*opts); }; });
}

}  // namespace cordon::cli
