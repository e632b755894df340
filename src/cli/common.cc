#include <pwd.h>
#include <sys/sysinfo.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdlib>

#include "cli/commands.h"
#include "policy/paths.h"
#include "policy/profiles.h"
#include "policy/toml_loader.h"

extern char** environ;

namespace cordon::cli {

void PolicySource::AddOptions(CLI::App& app) {
  auto* p = app.add_option("--profile", profile, "built-in profile: read-only, workspace-write (default), full");
  auto* f = app.add_option("--policy", file, "TOML policy file (version = 1)");
  p->excludes(f);
}

Result<policy::Policy> LoadPolicy(const PolicySource& source) {
  if (!source.file.empty()) return policy::LoadPolicyFile(source.file);
  return policy::BuiltinProfile(source.profile.empty() ? policy::kDefaultProfile : source.profile);
}

Result<plan::Facts> GatherFacts(const std::string& workspace) {
  plan::Facts f;
  const char* home = getenv("HOME");
  if (home != nullptr && home[0] == '/') {
    f.home = policy::NormalizePath(home);
  } else if (passwd* pw = getpwuid(getuid()); pw != nullptr && pw->pw_dir != nullptr) {
    f.home = pw->pw_dir;
  } else {
    return MakeError("cannot tell the home directory: set HOME");
  }
  char buf[PATH_MAX];
  if (getcwd(buf, sizeof(buf)) == nullptr) return ErrnoError("cannot read the current directory");
  f.cwd = buf;
  const std::string ws = workspace.empty() ? f.cwd : workspace;
  if (realpath(ws.c_str(), buf) == nullptr) return ErrnoError("workspace " + ws);
  struct stat st {};
  if (stat(buf, &st) != 0 || !S_ISDIR(st.st_mode)) return MakeError("workspace " + ws + " is not a directory");
  f.workspace = buf;
  if (realpath(f.cwd.c_str(), buf) != nullptr) f.cwd = buf;
  if (!policy::IsSameOrUnder(f.cwd, f.workspace)) f.cwd = f.workspace;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) f.environ.emplace_back(*e);
  struct sysinfo si {};
  if (sysinfo(&si) == 0) f.total_memory_bytes = static_cast<uint64_t>(si.totalram) * si.mem_unit;
  return f;
}

}  // namespace cordon::cli
