// cordon run [--profile P | --policy FILE] [-w DIR] [--timeout S] [--dry-run] -- CMD [ARGS...]
#include <cstdio>

#include "backend/backend.h"
#include "cli/commands.h"
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
  std::vector<std::string> command;
};

Result<int> Run(RunOptions& o) {
  CORDON_ASSIGN_OR_RETURN(policy::Policy pol, LoadPolicy(o.source));
  if (o.timeout >= 0) pol.limits.timeout_seconds = o.timeout;
  CORDON_ASSIGN_OR_RETURN(plan::Facts facts, GatherFacts(o.workspace));
  std::optional<guard::WorkspaceGuard> workspace_guard;
  if (!pol.unrestricted) {
    workspace_guard.emplace(facts.workspace);
    facts.git_dirs = workspace_guard->before().dirs;
    facts.git_files = workspace_guard->before().files;
  }
  CORDON_ASSIGN_OR_RETURN(plan::LaunchPlan launch, plan::MakePlan(pol, facts, o.command));
  if (o.dry_run) {
    std::fputs((o.json ? plan::ToJson(launch) : plan::Describe(launch)).c_str(), stdout);
    return 0;
  }
  if (launch.unrestricted) {
    std::fprintf(stderr,
                 "cordon: WARNING: profile 'full' runs the command WITHOUT ANY SANDBOX: it can read every secret, "
                 "write anywhere and use the network\n");
  }
  std::unique_ptr<Backend> backend = MakeLinuxBackend();
  CORDON_ASSIGN_OR_RETURN(RunOutcome outcome, backend->Run(launch));
  if (workspace_guard) {
    for (const guard::Repair& r : workspace_guard->CheckAfterRun()) {
      std::fprintf(stderr, "cordon: guard: %s %s\n", r.path.c_str(), r.what.c_str());
    }
  }
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
  run->add_flag("--dry-run", opts->dry_run, "print the plan and run nothing");
  run->add_flag("--json", opts->json, "with --dry-run: print the plan as JSON");
  run->add_option("command", opts->command, "the command and its arguments, after --")->required();
  run->positionals_at_end();
  run->callback([&action, opts] { action = [opts] { return Run(*opts); }; });
}

}  // namespace cordon::cli
