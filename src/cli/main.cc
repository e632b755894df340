// cordon: run an AI agent's shell commands in a sandbox. The one place errors are reported.
#include <cstdio>
#include <string>

#include "cli/commands.h"

int main(int argc, char** argv) {
  using namespace cordon::cli;  // NOLINT(google-build-using-namespace)
  CLI::App app{"cordon: a sandbox for the commands an AI coding agent runs"};
  app.require_subcommand(1);
  Action action;
  AddRunCommand(app, action);
  AddPolicyCommand(app, action);
  AddDoctorCommand(app, action);
  AddCheckCommand(app, action);
  AddAuditCommand(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string msg = e.what();
    std::fprintf(stderr, "cordon: error: %s (see cordon --help)\n", msg.c_str());
    return kExitCordonError;
  }
  if (!action) return kExitCordonError;
  cordon::Result<int> result = action();
  if (!result.ok()) {
    // One line per problem (a policy file may have several).
    std::string msg = result.error().ToString();
    size_t start = 0;
    while (start <= msg.size()) {
      size_t end = msg.find('\n', start);
      if (end == std::string::npos) end = msg.size();
      std::fprintf(stderr, "cordon: error: %s\n", msg.substr(start, end - start).c_str());
      start = end + 1;
    }
    return kExitCordonError;
  }
  return *result;
}
