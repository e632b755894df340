// cordon policy check FILE | cordon policy show [--profile P | --policy F] [-w DIR]
#include <cstdio>

#include "cli/commands.h"
#include "policy/toml_loader.h"

namespace cordon::cli {

void AddPolicyCommand(CLI::App& app, Action& action) {
  CLI::App* policy = app.add_subcommand("policy", "validate or print a policy");
  policy->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  CLI::App* check = policy->add_subcommand("check", "validate a policy file: every problem, with file:line");
  check->add_option("file", *file, "the TOML policy file")->required();
  check->callback([&action, file] {
    action = [file]() -> Result<int> {
      CORDON_ASSIGN_OR_RETURN(policy::Policy p, policy::LoadPolicyFile(*file));
      std::printf("%s: ok (version 1, %zu read, %zu write, %zu deny_read, %zu deny_write rules)\n", file->c_str(),
                  p.fs.read.size(), p.fs.write.size(), p.fs.deny_read.size(), p.fs.deny_write.size());
      return 0;
    };
  });

  struct ShowOptions {
    PolicySource source;
    std::string workspace;
    bool json = false;
  };
  auto show_opts = std::make_shared<ShowOptions>();
  CLI::App* show = policy->add_subcommand("show", "print the effective policy for this workspace");
  show_opts->source.AddOptions(*show);
  show->add_option("-w,--workspace", show_opts->workspace, "the project directory (default: current directory)");
  show->add_flag("--json", show_opts->json, "print the effective policy as JSON");
  show->callback([&action, show_opts] {
    action = [show_opts]() -> Result<int> {
      CORDON_ASSIGN_OR_RETURN(policy::Policy p, LoadPolicy(show_opts->source));
      CORDON_ASSIGN_OR_RETURN(plan::Facts facts, GatherFacts(show_opts->workspace));
      CORDON_ASSIGN_OR_RETURN(plan::LaunchPlan launch, plan::MakePlan(p, facts, {"<command>"}));
      std::fputs((show_opts->json ? plan::ToJson(launch) : plan::Describe(launch)).c_str(), stdout);
      return 0;
    };
  });
}

}  // namespace cordon::cli
