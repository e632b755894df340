#include <algorithm>
#include <cctype>
#include <map>

#include "plan/launch_plan.h"
#include "policy/paths.h"

namespace cordon::plan {
namespace {

using policy::Access;
using policy::PathEntry;
using policy::PathRule;

// Strength of each kind of entry when several name the same path: deny_read > deny_write > write > read.
enum class Kind { kRead = 0, kWrite = 1, kDenyWrite = 2, kDenyRead = 3 };

Access AccessOf(Kind k) {
  switch (k) {
    case Kind::kRead: return Access::kRead;
    case Kind::kWrite: return Access::kWrite;
    case Kind::kDenyWrite: return Access::kRead;  // read-only inside a writable root
    case Kind::kDenyRead: return Access::kDeny;
  }
  return Access::kDeny;
}

struct Candidate {
  Kind kind;
  policy::Origin origin;
};

bool IsSystemPath(const std::string& p) {
  for (const char* s : {"/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/etc", "/proc", "/sys", "/dev"}) {
    if (policy::IsSameOrUnder(p, s)) return true;
  }
  return false;
}

std::string DescribeNetwork(const policy::Network& net) {
  std::string out = "network: " + std::string(policy::NetworkModeName(net.mode)) + "\n";
  for (const auto* list : {&net.allow, &net.deny}) {
    const char* verb = list == &net.allow ? "allow" : "deny ";
    for (const policy::EndpointPattern& p : *list) {
      out += "  " + std::string(verb) + " " + p.text + "    # " + p.origin.ToString() + "\n";
    }
  }
  for (const auto& [name, addr] : net.hosts) out += "  host  " + name + " = " + addr.ToString() + "\n";
  return out;
}

bool IsProxyVariable(const std::string& name) {
  std::string upper;
  for (char c : name) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return upper == "HTTP_PROXY" || upper == "HTTPS_PROXY" || upper == "ALL_PROXY" || upper == "NO_PROXY" ||
         upper == "FTP_PROXY" || upper == "RSYNC_PROXY" || upper == "GIT_PROXY_COMMAND";
}

}  // namespace

std::vector<std::string> ProxyEnvironment(uint16_t port) {
  const std::string http = "http://127.0.0.1:" + std::to_string(port);
  // socks5h: the proxy resolves names (the sandbox has no resolver to reach).
  const std::string socks = "socks5h://127.0.0.1:" + std::to_string(port);
  const std::string local = "localhost,127.0.0.1,::1";
  std::vector<std::string> env;
  for (const char* name : {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy"}) env.push_back(std::string(name) + "=" + http);
  for (const char* name : {"ALL_PROXY", "all_proxy"}) env.push_back(std::string(name) + "=" + socks);
  for (const char* name : {"NO_PROXY", "no_proxy"}) env.push_back(std::string(name) + "=" + local);
  return env;
}

Result<LaunchPlan> MakePlan(const policy::Policy& pol, const Facts& facts, std::vector<std::string> argv) {
  if (argv.empty()) return MakeError("no command given (usage: cordon run [OPTIONS] -- CMD [ARGS...])");
  LaunchPlan plan;
  plan.argv = std::move(argv);
  plan.profile = pol.name;
  plan.unrestricted = pol.unrestricted;
  plan.best_effort = pol.best_effort;
  plan.network = pol.network;
  plan.limits = pol.limits;
  plan.home = facts.home;
  plan.workspace = facts.workspace;
  if (facts.total_memory_bytes > 0) {
    plan.limits.memory_bytes = std::min(plan.limits.memory_bytes, facts.total_memory_bytes / 2);
  }
  if (pol.unrestricted) {
    plan.cwd = facts.cwd;
    plan.env = facts.environ;
    return plan;
  }
  if (facts.workspace == "/") {
    return MakeError("workspace / would make the whole filesystem writable: pick a project directory, or ask for "
                     "--profile full explicitly");
  }

  std::map<std::string, Candidate> by_path;
  std::vector<std::string> problems;
  auto add = [&](const std::vector<PathEntry>& entries, Kind kind) {
    for (const PathEntry& e : entries) {
      std::string path = policy::ExpandPath(e.path, facts.home, facts.workspace);
      if (path.empty()) {
        problems.push_back(e.origin.ToString() + ": path \"" + e.path + "\" is not absolute");
        continue;
      }
      auto [it, inserted] = by_path.try_emplace(path, Candidate{kind, e.origin});
      if (!inserted && kind > it->second.kind) it->second = Candidate{kind, e.origin};
    }
  };
  // Every git repository in the workspace, not only the top one: its hooks and config run outside later.
  std::vector<PathEntry> git_protect;
  for (const std::string& dir : facts.git_dirs) {
    for (const char* part : {"/hooks", "/config", "/modules"}) git_protect.push_back({dir + part, {"git repository", 0}});
  }
  for (const std::string& file : facts.git_files) git_protect.push_back({file, {"git repository", 0}});
  add(pol.fs.read, Kind::kRead);
  add(pol.fs.write, Kind::kWrite);
  add(pol.fs.deny_write, Kind::kDenyWrite);
  add(pol.fs.deny_read, Kind::kDenyRead);
  // Git protections matter only inside writable roots: elsewhere all is read-only already, or not visible.
  std::vector<PathRule> without_git;
  for (const auto& [path, c] : by_path) without_git.push_back({path, AccessOf(c.kind), c.origin});
  for (const PathEntry& g : git_protect) {
    std::optional<Access> a = policy::EffectiveAccess(without_git, g.path);
    if (a && *a == Access::kWrite) by_path.try_emplace(g.path, Candidate{Kind::kDenyWrite, g.origin});
  }
  for (const auto& [path, c] : by_path) plan.fs.push_back({path, AccessOf(c.kind), c.origin});

  // deny_write narrows a writable root; outside one it says nothing and is most likely a mistake.
  for (const PathEntry& e : pol.fs.deny_write) {
    std::string path = policy::ExpandPath(e.path, facts.home, facts.workspace);
    if (path.empty()) continue;
    bool inside = std::any_of(pol.fs.write.begin(), pol.fs.write.end(), [&](const PathEntry& w) {
      std::string root = policy::ExpandPath(w.path, facts.home, facts.workspace);
      return !root.empty() && policy::IsSameOrUnder(path, root);
    });
    if (!inside && e.origin.line > 0) {
      problems.push_back(e.origin.ToString() + ": deny_write path \"" + e.path + "\" is not inside any writable root");
    }
  }
  for (const PathRule& r : plan.fs) {
    if (r.access == Access::kDeny && policy::IsSameOrUnder(facts.workspace, r.path)) {
      problems.push_back("the workspace " + facts.workspace + " is inside the denied path " + r.path + " (" +
                         r.origin.ToString() + ")");
    }
  }
  if (!problems.empty()) {
    std::string all;
    for (const std::string& p : problems) all += (all.empty() ? "" : "\n") + p;
    return MakeError(all);
  }

  for (const PathEntry& s : pol.fs.unix_sockets) {
    std::string path = policy::ExpandPath(s.path, facts.home, facts.workspace);
    if (!path.empty()) plan.unix_sockets.push_back(path);
  }
  // Roots searched at launch for what must not be readable in them: dotenv files, host unix sockets.
  // System directories are not, but for /etc and /usr/local, where applications keep their configuration;
  // neither are the built-in tool chains in $HOME (~/.rustup, ~/.pyenv…): large, and no project lives there.
  for (const PathRule& r : plan.fs) {
    bool builtin_toolchain = r.origin.line == 0 && policy::IsSameOrUnder(r.path, facts.home);
    if (r.access != Access::kDeny && !IsSystemPath(r.path) && r.path != facts.workspace && !builtin_toolchain) {
      plan.scan_roots.push_back(r.path);
    }
  }
  for (const char* conf : {"/etc", "/usr/local"}) {
    std::optional<Access> a = policy::EffectiveAccess(plan.fs, conf);
    if (a && *a != Access::kDeny) plan.scan_roots.push_back(conf);
  }
  // /usr/local holds whole tool chains (CUDA, language runtimes) below its applications' own directories.
  plan.scan_depth["/usr/local"] = 3;
  if (pol.fs.hide_env_files) plan.hidden_env_roots = plan.scan_roots;

  std::optional<Access> cwd_access = policy::EffectiveAccess(plan.fs, facts.cwd);
  plan.cwd = (cwd_access && *cwd_access != Access::kDeny) ? facts.cwd : facts.workspace;

  for (const std::string& dir : facts.git_dirs) {
    std::optional<Access> a = policy::EffectiveAccess(plan.fs, dir);
    if (a && *a == Access::kWrite) plan.pinned.push_back(dir);
  }

  std::vector<std::string> dropped;
  policy::Environment env_rules = pol.env;
  env_rules.set.emplace("HOME", facts.home);
  env_rules.set["PWD"] = plan.cwd;
  plan.env = ScrubEnvironment(facts.environ, env_rules, &plan.dropped_env);
  // Values the output redactor must find wherever they appear, kept in the sandbox or not.
  for (const std::string& e : facts.environ) {
    size_t eq = e.find('=');
    if (eq == std::string::npos) continue;
    if (LooksLikeSecretName(e.substr(0, eq)) || LooksLikeSecretValue(e.substr(eq + 1))) {
      plan.secret_values.push_back(e.substr(eq + 1));
    }
  }
  // The caller's proxy settings mean nothing inside unless the sandbox shares the host's network: without
  // one there is no network, or it is cordon's proxy.
  if (plan.network.mode != policy::NetworkMode::kFull) {
    std::erase_if(plan.env, [](const std::string& e) { return IsProxyVariable(e.substr(0, e.find('='))); });
  }
  if (plan.network.mode == policy::NetworkMode::kAllowlist) {
    plan.proxy_port = kProxyPort;
    for (std::string& v : ProxyEnvironment(plan.proxy_port)) plan.env.push_back(std::move(v));
    std::sort(plan.env.begin(), plan.env.end());
  }
  if (std::none_of(plan.env.begin(), plan.env.end(), [](const std::string& e) { return e.starts_with("PATH="); })) {
    plan.env.push_back("PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin");
    std::sort(plan.env.begin(), plan.env.end());
  }
  return plan;
}

std::string Describe(const LaunchPlan& plan) {
  std::string out;
  out += "profile: " + plan.profile + "\n";
  if (plan.unrestricted) {
    out += "sandbox: NONE (profile full: no filesystem, network, syscall or process restrictions)\n";
    return out;
  }
  out += "workspace: " + plan.workspace + "\n";
  out += "home: " + plan.home + "\n";
  out += DescribeNetwork(plan.network);
  if (plan.proxy_port != 0) out += "  proxy on the sandbox's 127.0.0.1:" + std::to_string(plan.proxy_port) + "\n";
  out += "filesystem (most specific path wins; not listed = not visible):\n";
  for (const PathRule& r : plan.fs) {
    out += "  " + std::string(policy::AccessName(r.access)) + std::string(6 - std::string(policy::AccessName(r.access)).size(), ' ') +
           r.path + "    # " + r.origin.ToString() + "\n";
  }
  out += "  write /tmp    # private tmpfs, " + std::to_string(plan.limits.tmp_size_bytes >> 20) + " MiB\n";
  for (const std::string& s : plan.unix_sockets) out += "  socket " + s + "\n";
  out += std::string("env files outside the workspace: ") + (plan.hidden_env_roots.empty() ? "not scanned" : "hidden") + "\n";
  out += "limits: processes=" + std::to_string(plan.limits.processes) +
         " memory=" + std::to_string(plan.limits.memory_bytes >> 20) + "MiB" +
         " file_size=" + std::to_string(plan.limits.file_size_bytes >> 20) + "MiB" +
         " open_files=" + std::to_string(plan.limits.open_files) +
         " timeout=" + (plan.limits.timeout_seconds > 0 ? std::to_string(plan.limits.timeout_seconds) + "s" : "none") +
         " cpus=" + (plan.limits.cpus > 0 ? std::to_string(plan.limits.cpus) : "unlimited") + "\n";
  out += "environment:";
  for (const std::string& e : plan.env) out += " " + e.substr(0, e.find('='));
  out += "\n";
  out += std::string("best_effort: ") + (plan.best_effort ? "yes" : "no") + "\n";
  return out;
}

}  // namespace cordon::plan
