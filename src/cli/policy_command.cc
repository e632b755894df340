// cordon policy check FILE | cordon policy show [--profile P | --policy F] [-w DIR]
#include <cstdio>
#include <variant>

#include "cli/commands.h"
#include "policy/toml_loader.h"

namespace cordon::cli {
namespace {

// Command rules are checked on the command line, not part of the plan: `policy show` adds them after it.
std::string DescribeExecRules(const policy::ExecRules& ex) {
  std::string out = std::string("command rules (deny wins; a command no rule matches: ") +
                    policy::ExecActionName(ex.default_action) + "):\n";
  for (const policy::ExecRule& r : ex.rules) {
    std::string action = policy::ExecActionName(r.action);
    out += "  " + action + std::string(6 - action.size(), ' ') + r.Describe() + "    # " + r.Where() + "\n";
  }
  return out;
}

nlohmann::json ExecRulesJson(const policy::ExecRules& ex) {
  nlohmann::json rules = nlohmann::json::array();
  for (const policy::ExecRule& r : ex.rules) {
    nlohmann::json j = {{"decision", policy::ExecActionName(r.action)}, {"program", r.programs},
                        {"origin", r.origin.ToString()}};
    if (!r.id.empty()) j["id"] = r.id;
    if (r.args) j["args"] = *r.args;
    if (!r.any.empty()) j["any"] = r.any;
    if (!r.script_from.empty()) j["script_from"] = r.script_from;
    if (!r.reason.empty()) j["reason"] = r.reason;
    rules.push_back(std::move(j));
  }
  return {{"default", policy::ExecActionName(ex.default_action)}, {"rules", rules}};
}

// Alert rules act on the run's events: `policy show` lists them after the command rules.
std::string DescribeAlertRules(const std::vector<policy::AlertRule>& rules) {
  std::string out = "alert rules (on the run's events):\n";
  if (rules.empty()) out += "  (none)\n";
  for (const policy::AlertRule& r : rules) {
    std::string actions;
    for (policy::AlertAction a : r.actions) actions += std::string(actions.empty() ? "" : ",") + policy::AlertActionName(a);
    std::string severity = policy::AlertSeverityName(r.severity);
    std::string id = r.id.size() < 16 ? r.id + std::string(16 - r.id.size(), ' ') : r.id;
    out += "  " + id + " " + severity + std::string(severity.size() < 9 ? 9 - severity.size() : 1, ' ') +
           r.Describe() + " -> " + actions + "    # " + r.Where() + "\n";
  }
  return out;
}

nlohmann::json AlertRulesJson(const std::vector<policy::AlertRule>& rules) {
  nlohmann::json out = nlohmann::json::array();
  for (const policy::AlertRule& r : rules) {
    nlohmann::json match = nlohmann::json::object();
    for (const policy::AlertMatch& m : r.match) {
      nlohmann::json values = nlohmann::json::array();
      for (const policy::AlertValue& v : m.values) std::visit([&](const auto& x) { values.push_back(x); }, v);
      match[m.field] = values.size() == 1 ? values[0] : values;
    }
    nlohmann::json actions = nlohmann::json::array();
    for (policy::AlertAction a : r.actions) actions.push_back(policy::AlertActionName(a));
    nlohmann::json j = {{"id", r.id},          {"on", r.on},
                        {"count", r.count},    {"window", r.window_seconds},
                        {"severity", policy::AlertSeverityName(r.severity)},
                        {"actions", actions},  {"origin", r.origin.ToString()}};
    if (!r.match.empty()) j["match"] = match;
    if (!r.message.empty()) j["message"] = r.message;
    if (!r.hook.empty()) j["hook"] = r.hook;
    out.push_back(std::move(j));
  }
  return out;
}

}  // namespace

void AddPolicyCommand(CLI::App& app, Action& action) {
  CLI::App* policy = app.add_subcommand("policy", "validate or print a policy");
  policy->require_subcommand(1);

  auto file = std::make_shared<std::string>();
  CLI::App* check = policy->add_subcommand("check", "validate a policy file: every problem, with file:line");
  check->add_option("file", *file, "the TOML policy file")->required();
  check->callback([&action, file] {
    action = [file]() -> Result<int> {
      CORDON_ASSIGN_OR_RETURN(policy::Policy p, policy::LoadPolicyFile(*file));
      std::printf("%s: ok (version 1, %zu read, %zu write, %zu deny_read, %zu deny_write rules, %zu command rules, "
                  "%zu alert rules)\n",
                  file->c_str(), p.fs.read.size(), p.fs.write.size(), p.fs.deny_read.size(), p.fs.deny_write.size(),
                  p.exec.rules.size(), p.alerts.size());
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
      if (show_opts->json) {
        nlohmann::json j = nlohmann::json::parse(plan::ToJson(launch));
        j["exec"] = ExecRulesJson(p.exec);
        j["alerts"] = AlertRulesJson(p.alerts);
        std::fputs((j.dump(2) + "\n").c_str(), stdout);
      } else {
        std::fputs((plan::Describe(launch) + DescribeExecRules(p.exec) + DescribeAlertRules(p.alerts)).c_str(), stdout);
      }
      return 0;
    };
  });
}

}  // namespace cordon::cli
