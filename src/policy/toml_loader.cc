#include "policy/toml_loader.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <sstream>
#include <toml.hpp>

#include "policy/alert_rules_toml.h"
#include "policy/net_rules.h"
#include "policy/paths.h"
#include "policy/profiles.h"
#include "policy/toml_shape.h"
#include "policy/toml_text.h"

namespace cordon::policy {
namespace {

constexpr double kMaxTimeoutSeconds = 365.0 * 24 * 3600;

class Loader {
 public:
  explicit Loader(std::string name) : name_(std::move(name)) {}

  Result<Policy> Load(const toml::value& root) {
    if (!root.is_table()) return MakeError(name_ + ": the policy must be a TOML table");
    Policy p;
    CheckKeys(root, {"version", "extends", "best_effort", "filesystem", "environment", "limits", "network", "exec",
                    "remove_alerts", "alert"});
    const auto& top = root.as_table();
    auto version = top.find("version");
    if (version == top.end()) {
      Problem(0, "missing `version = 1` (the schema version) at the top of the policy");
    } else if (!version->second.is_integer() || version->second.as_integer() != kSchemaVersion) {
      Problem(version->second, "unsupported `version`: this cordon reads version 1");
    }
    p = BasePolicy(top);
    if (auto it = top.find("best_effort"); it != top.end()) ReadBool(it->second, "best_effort", p.best_effort);
    if (auto it = top.find("filesystem"); it != top.end()) ReadFilesystem(it->second, p.fs);
    if (auto it = top.find("environment"); it != top.end()) ReadEnvironment(it->second, p.env);
    if (auto it = top.find("limits"); it != top.end()) ReadLimits(it->second, p.limits);
    if (auto it = top.find("network"); it != top.end()) ReadNetwork(it->second, p.network);
    if (auto it = top.find("exec"); it != top.end()) ReadExec(it->second, p.exec);
    std::vector<std::pair<int, std::string>> alert_problems;
    ReadAlertRules(top, name_, p.alerts, alert_problems);
    for (const auto& [line, what] : alert_problems) Problem(line, what);
    p.name = name_;
    CheckContradictions(p);
    if (!problems_.empty()) {
      std::string all;
      for (const std::string& s : problems_) all += (all.empty() ? "" : "\n") + s;
      return MakeError(all);
    }
    return p;
  }

 private:
  void Problem(int line, const std::string& what) {
    problems_.push_back(line > 0 ? name_ + ":" + std::to_string(line) + ": " + what : name_ + ": " + what);
  }
  void Problem(const toml::value& v, const std::string& what) { Problem(static_cast<int>(v.location().line()), what); }

  void CheckKeys(const toml::value& table, std::initializer_list<const char*> known, const std::string& section = "") {
    for (const auto& [key, value] : table.as_table()) {
      if (std::none_of(known.begin(), known.end(), [&key = key](const char* k) { return key == k; })) {
        std::string list;
        for (const char* k : known) list += std::string(list.empty() ? "" : ", ") + k;
        Problem(value, "unknown key `" + (section.empty() ? key : section + "." + key) + "` (known: " + list + ")");
      }
    }
  }

  Policy BasePolicy(const toml::table& top) {
    auto it = top.find("extends");
    if (it == top.end()) {
      // No profile: nothing readable but what the file lists, the default secrets still denied.
      Policy p;
      for (const std::string& d : DefaultDenyRead()) p.fs.deny_read.push_back({d, {"default deny list", 0}});
      p.exec.rules = DefaultExecRules("default exec rules");
      p.alerts = DefaultAlertRules("default alert rules");
      return p;
    }
    if (!it->second.is_string()) {
      Problem(it->second, "`extends` must be a string naming a profile (read-only, workspace-write)");
      return {};
    }
    const std::string base = it->second.as_string().str;
    if (base == "full") {
      Problem(it->second, "`extends = \"full\"` is not allowed: the full profile has no sandbox to refine");
      return {};
    }
    Result<Policy> p = BuiltinProfile(base);
    if (!p.ok()) {
      Problem(it->second, p.error().message);
      return {};
    }
    return std::move(p).value();
  }

  void ReadBool(const toml::value& v, const std::string& key, bool& out) {
    if (!v.is_boolean()) return Problem(v, "`" + key + "` must be true or false");
    out = v.as_boolean();
  }

  // Appends path strings from an array, checking each is absolute, "~..." or "{workspace}...".
  void ReadPaths(const toml::value& v, const std::string& key, std::vector<PathEntry>& out) {
    if (!v.is_array()) return Problem(v, "`" + key + "` must be an array of paths");
    for (const toml::value& e : v.as_array()) {
      if (!e.is_string()) {
        Problem(e, "`" + key + "` entries must be strings");
        continue;
      }
      std::string s = e.as_string().str;
      if (s.empty() || s.find('\0') != std::string::npos) {
        Problem(e, "`" + key + "` has an empty or invalid path");
        continue;
      }
      if (ExpandPath(s, "/h", "/w").empty()) {
        Problem(e, "`" + key + "` path \"" + s + "\" is relative: use an absolute path, ~/… or {workspace}/…");
        continue;
      }
      if (s.size() > 1 && s.back() == '/') s.pop_back();
      out.push_back({s, {name_, static_cast<int>(e.location().line())}});
    }
  }

  void ReadFilesystem(const toml::value& v, Filesystem& fs) {
    if (!v.is_table()) return Problem(v, "`filesystem` must be a table");
    CheckKeys(v, {"read", "write", "deny_read", "deny_write", "unix_sockets", "remove_deny_read", "hide_env_files"},
              "filesystem");
    const auto& t = v.as_table();
    if (auto it = t.find("read"); it != t.end()) ReadPaths(it->second, "filesystem.read", fs.read);
    if (auto it = t.find("write"); it != t.end()) ReadPaths(it->second, "filesystem.write", fs.write);
    if (auto it = t.find("deny_read"); it != t.end()) ReadPaths(it->second, "filesystem.deny_read", fs.deny_read);
    if (auto it = t.find("deny_write"); it != t.end()) ReadPaths(it->second, "filesystem.deny_write", fs.deny_write);
    if (auto it = t.find("unix_sockets"); it != t.end()) {
      ReadPaths(it->second, "filesystem.unix_sockets", fs.unix_sockets);
    }
    if (auto it = t.find("hide_env_files"); it != t.end()) {
      ReadBool(it->second, "filesystem.hide_env_files", fs.hide_env_files);
    }
    if (auto it = t.find("remove_deny_read"); it != t.end()) {
      std::vector<PathEntry> removals;
      ReadPaths(it->second, "filesystem.remove_deny_read", removals);
      for (const PathEntry& r : removals) {
        auto match = std::find_if(fs.deny_read.begin(), fs.deny_read.end(),
                                  [&](const PathEntry& d) { return d.path == r.path; });
        if (match == fs.deny_read.end()) {
          Problem(r.origin.line, "`filesystem.remove_deny_read` names \"" + r.path +
                                     "\", which is not in the inherited deny_read list");
          continue;
        }
        fs.deny_read.erase(match);
      }
    }
  }

  void ReadEnvironment(const toml::value& v, Environment& env) {
    if (!v.is_table()) return Problem(v, "`environment` must be a table");
    CheckKeys(v, {"keep", "set"}, "environment");
    const auto& t = v.as_table();
    if (auto it = t.find("keep"); it != t.end()) {
      if (!it->second.is_array()) {
        Problem(it->second, "`environment.keep` must be an array of variable names");
      } else {
        for (const toml::value& e : it->second.as_array()) {
          if (!e.is_string() || !ValidEnvName(e.as_string().str, /*allow_glob=*/true)) {
            Problem(e, "`environment.keep` entries must be variable names (or NAME_* prefixes)");
            continue;
          }
          env.keep.push_back(e.as_string().str);
        }
      }
    }
    if (auto it = t.find("set"); it != t.end()) {
      if (!it->second.is_table()) {
        Problem(it->second, "`environment.set` must be a table of NAME = \"value\"");
      } else {
        for (const auto& [k, val] : it->second.as_table()) {
          if (!ValidEnvName(k, false)) Problem(val, "`environment.set` has an invalid variable name `" + k + "`");
          else if (!val.is_string()) Problem(val, "`environment.set." + k + "` must be a string");
          else env.set[k] = val.as_string().str;
        }
      }
    }
  }

  static bool ValidEnvName(const std::string& s, bool allow_glob) {
    if (s.empty()) return false;
    for (size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (c == '*' && allow_glob && i + 1 == s.size() && i > 0) continue;
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) return false;
    }
    return !std::isdigit(static_cast<unsigned char>(s[0]));
  }

  void ReadCount(const toml::table& t, const char* key, uint64_t& out) {
    auto it = t.find(key);
    if (it == t.end()) return;
    if (!it->second.is_integer() || it->second.as_integer() <= 0) {
      return Problem(it->second, std::string("`limits.") + key + "` must be a positive integer");
    }
    out = static_cast<uint64_t>(it->second.as_integer());
  }

  void ReadSize(const toml::table& t, const char* key, uint64_t& out) {
    auto it = t.find(key);
    if (it == t.end()) return;
    const toml::value& v = it->second;
    if (v.is_integer() && v.as_integer() > 0) {
      out = static_cast<uint64_t>(v.as_integer());
      return;
    }
    if (v.is_string()) {
      Result<uint64_t> size = ParseSize(v.as_string().str);
      if (size.ok() && *size > 0) {
        out = *size;
        return;
      }
    }
    Problem(v, std::string("`limits.") + key + "` must be a positive size such as 512MiB, 4GiB or a byte count");
  }

  void ReadLimits(const toml::value& v, Limits& l) {
    if (!v.is_table()) return Problem(v, "`limits` must be a table");
    CheckKeys(v, {"processes", "memory", "file_size", "open_files", "tmp_size", "timeout", "cpus"}, "limits");
    const auto& t = v.as_table();
    ReadCount(t, "processes", l.processes);
    ReadCount(t, "open_files", l.open_files);
    ReadSize(t, "memory", l.memory_bytes);
    ReadSize(t, "file_size", l.file_size_bytes);
    ReadSize(t, "tmp_size", l.tmp_size_bytes);
    if (auto it = t.find("timeout"); it != t.end()) {
      const toml::value& tv = it->second;
      double secs = tv.is_integer() ? static_cast<double>(tv.as_integer()) : tv.is_floating() ? tv.as_floating() : -1;
      if (!(secs >= 0) || !std::isfinite(secs) || secs > kMaxTimeoutSeconds) {
        Problem(tv, "`limits.timeout` must be a number of seconds from 0 (none) to 31536000 (a year)");
      } else {
        l.timeout_seconds = secs;
      }
    }
    if (auto it = t.find("cpus"); it != t.end()) {
      const toml::value& cv = it->second;
      double cpus = cv.is_integer() ? static_cast<double>(cv.as_integer()) : cv.is_floating() ? cv.as_floating() : -1;
      if (!(cpus >= 0.01 && cpus <= 4096) && cpus != 0) {
        Problem(cv, "`limits.cpus` must be a number of cores from 0.01 to 4096 (0: no limit), such as 1 or 0.5");
      } else {
        l.cpus = cpus;
      }
    }
  }

  // [network]: mode, allow, deny, hosts. A file that extends a profile keeps the profile's network unless it
  // sets its own: mode replaces, lists and hosts add to what the profile has (profiles have none).
  void ReadNetwork(const toml::value& v, Network& net) {
    if (!v.is_table()) return Problem(v, "`network` must be a table");
    CheckKeys(v, {"mode", "allow", "deny", "hosts"}, "network");
    const auto& t = v.as_table();
    bool mode_ok = true;
    if (auto it = t.find("mode"); it != t.end()) {
      std::string mode = it->second.is_string() ? it->second.as_string().str : "";
      if (mode == "none") net.mode = NetworkMode::kNone;
      else if (mode == "allowlist") net.mode = NetworkMode::kAllowlist;
      else if (mode == "full") net.mode = NetworkMode::kFull;
      else mode_ok = false;
      if (!mode_ok) Problem(it->second, "`network.mode` must be \"none\", \"allowlist\" or \"full\"");
    }
    if (auto it = t.find("allow"); it != t.end()) ReadPatterns(it->second, "network.allow", net.allow);
    if (auto it = t.find("deny"); it != t.end()) ReadPatterns(it->second, "network.deny", net.deny);
    if (auto it = t.find("hosts"); it != t.end()) ReadHosts(it->second, net.hosts);
    if (mode_ok && net.mode != NetworkMode::kAllowlist) {
      // Rules the proxy would enforce mean nothing without it: an error, not a silently ignored allow list.
      for (const char* key : {"allow", "deny", "hosts"}) {
        if (auto it = t.find(key); it != t.end()) {
          Problem(it->second, std::string("`network.") + key + "` needs mode = \"allowlist\" (mode is \"" +
                                  NetworkModeName(net.mode) + "\")");
        }
      }
    }
    CheckNetworkContradictions(net);
  }

  void ReadPatterns(const toml::value& v, const std::string& key, std::vector<EndpointPattern>& out) {
    if (!v.is_array()) return Problem(v, "`" + key + "` must be an array of \"host:port\" strings");
    for (const toml::value& e : v.as_array()) {
      const int line = static_cast<int>(e.location().line());
      if (!e.is_string()) {
        Problem(line, "`" + key + "` entries must be \"host:port\" strings");
        continue;
      }
      Result<EndpointPattern> p = ParseEndpointPattern(e.as_string().str);
      if (!p.ok()) {
        Problem(line, "`" + key + "`: " + p.error().message);
        continue;
      }
      p->origin = {name_, line};
      auto same = std::find_if(out.begin(), out.end(), [&](const EndpointPattern& o) {
        return o.CanonicalText() == p->CanonicalText();
      });
      if (same != out.end()) {
        Problem(line, "`" + key + "` lists \"" + p->text + "\" twice (first at line " +
                          std::to_string(same->origin.line) + ")");
        continue;
      }
      out.push_back(std::move(p).value());
    }
  }

  void ReadHosts(const toml::value& v, std::map<std::string, IpAddress>& hosts) {
    if (!v.is_table()) return Problem(v, "`network.hosts` must be a table of \"name\" = \"address\"");
    // In file order, so that problems come out top to bottom (the table itself is unordered).
    std::vector<std::pair<std::string, const toml::value*>> entries;
    for (const auto& [key, val] : v.as_table()) entries.emplace_back(key, &val);
    std::sort(entries.begin(), entries.end(),
              [](const auto& a, const auto& b) { return a.second->location().line() < b.second->location().line(); });
    std::map<std::string, std::string> spelled;  // canonical -> as written, to name a duplicate
    for (const auto& [key, value] : entries) {
      const toml::value& val = *value;
      std::optional<std::string> name = CanonicalHostName(key);
      if (!name) {
        Problem(val, "`network.hosts` key \"" + key + "\" is not a valid host name");
        continue;
      }
      std::optional<IpAddress> addr = val.is_string() ? ParseIpLiteral(val.as_string().str) : std::nullopt;
      if (!addr) {
        Problem(val, "`network.hosts` value for \"" + key + "\" must be an IP address string, as \"10.0.0.5\"");
        continue;
      }
      auto [it, inserted] = spelled.emplace(*name, key);
      if (!inserted) {
        Problem(val, "`network.hosts` names " + *name + " twice (\"" + it->second + "\" and \"" + key + "\")");
        continue;
      }
      hosts[*name] = *addr;
    }
  }

  // [exec]: default, remove_rules, and the [[exec.rule]] array. The file's rules come after the inherited ones.
  void ReadExec(const toml::value& v, ExecRules& ex) {
    if (!v.is_table()) return Problem(v, "`exec` must be a table");
    CheckKeys(v, {"default", "remove_rules", "rule"}, "exec");
    const auto& t = v.as_table();
    if (auto it = t.find("default"); it != t.end()) {
      const std::string d = it->second.is_string() ? it->second.as_string().str : "";
      if (d == "allow" || d == "deny") {
        ex.default_action = d == "deny" ? ExecAction::kDeny : ExecAction::kAllow;
        ex.default_origin = {name_, static_cast<int>(it->second.location().line())};
      } else {
        Problem(it->second, "`exec.default` must be \"allow\" or \"deny\"");
      }
    }
    if (auto it = t.find("remove_rules"); it != t.end()) {
      std::vector<std::pair<std::string, int>> ids;
      ReadStrings(it->second, "exec.remove_rules", ids);
      for (const auto& [id, line] : ids) {
        auto match = std::find_if(ex.rules.begin(), ex.rules.end(), [&id = id](const ExecRule& r) { return r.id == id; });
        if (match == ex.rules.end()) {
          std::string known;
          for (const ExecRule& r : ex.rules) known += (known.empty() ? "" : ", ") + r.id;
          Problem(line, "`exec.remove_rules` names \"" + id + "\", which is not an inherited rule (" +
                            (known.empty() ? std::string("there are none") : "known: " + known) + ")");
          continue;
        }
        ex.rules.erase(match);
      }
    }
    if (auto it = t.find("rule"); it != t.end()) {
      if (!it->second.is_array()) return Problem(it->second, "`exec.rule` must be an array of tables: write [[exec.rule]]");
      for (const toml::value& r : it->second.as_array()) ReadExecRule(r, ex);
    }
  }

  // Strings with their lines; anything else is a problem.
  bool ReadStrings(const toml::value& v, const std::string& key, std::vector<std::pair<std::string, int>>& out) {
    if (!v.is_array()) {
      Problem(v, "`" + key + "` must be an array of strings");
      return false;
    }
    bool ok = true;
    for (const toml::value& e : v.as_array()) {
      if (!e.is_string()) {
        Problem(e, "`" + key + "` entries must be strings");
        ok = false;
        continue;
      }
      out.emplace_back(e.as_string().str, static_cast<int>(e.location().line()));
    }
    return ok;
  }

  void ReadExecRule(const toml::value& v, ExecRules& ex) {
    if (!v.is_table()) return Problem(v, "`exec.rule` entries must be tables: write [[exec.rule]]");
    CheckKeys(v, {"id", "program", "args", "any", "script_from", "decision", "reason"}, "exec.rule");
    const int line = static_cast<int>(v.location().line());
    const auto& t = v.as_table();
    ExecRule r;
    r.origin = {name_, line};
    bool ok = true;
    std::set<std::string> bad;  // fields already reported as the wrong type
    // Each list field, with the line of every element, so that a bad element is reported where it is.
    std::map<std::string, std::vector<int>> lines;
    auto list = [&](const char* key, bool single_allowed, std::vector<std::string>& out) {
      auto it = t.find(key);
      if (it == t.end()) return false;
      std::vector<std::pair<std::string, int>> items;
      if (single_allowed && it->second.is_string()) {
        items.emplace_back(it->second.as_string().str, static_cast<int>(it->second.location().line()));
      } else if (single_allowed && !it->second.is_array()) {
        Problem(it->second, std::string("`exec.rule.") + key + "` must be a string or an array of strings");
        bad.insert(key);
      } else if (!ReadStrings(it->second, std::string("exec.rule.") + key, items)) {
        bad.insert(key);
      }
      for (auto& [text, at] : items) {
        out.push_back(std::move(text));
        lines[key].push_back(at);
      }
      lines[key].insert(lines[key].begin(), static_cast<int>(it->second.location().line()));
      return true;
    };
    if (!list("program", true, r.programs)) {
      ok = false;
      Problem(line, "`exec.rule` needs a `program` (a name such as \"git\", or an absolute path)");
    }
    std::vector<std::string> args;
    if (list("args", false, args)) r.args = std::move(args);
    list("any", false, r.any);
    list("script_from", false, r.script_from);
    bool decision_ok = false;
    if (auto it = t.find("decision"); it == t.end()) {
      ok = false;
      Problem(line, "`exec.rule` needs `decision = \"allow\"` or `decision = \"deny\"`");
    } else if (!it->second.is_string() ||
               (it->second.as_string().str != "allow" && it->second.as_string().str != "deny")) {
      ok = false;
      Problem(it->second, "`exec.rule.decision` must be \"allow\" or \"deny\"");
    } else {
      r.action = it->second.as_string().str == "deny" ? ExecAction::kDeny : ExecAction::kAllow;
      decision_ok = true;
    }
    if (auto it = t.find("reason"); it != t.end()) {
      if (it->second.is_string()) r.reason = it->second.as_string().str;
      else Problem(it->second, "`exec.rule.reason` must be a string");
    }
    if (auto it = t.find("id"); it != t.end()) {
      const std::string id = it->second.is_string() ? it->second.as_string().str : "";
      bool valid = !id.empty() && std::all_of(id.begin(), id.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
      });
      auto same = std::find_if(ex.rules.begin(), ex.rules.end(), [&](const ExecRule& o) { return o.id == id; });
      if (!valid) {
        Problem(it->second, "`exec.rule.id` must be a name of letters, digits, '-', '_' and '.'");
      } else if (same != ex.rules.end()) {
        Problem(it->second, "`exec.rule.id` \"" + id + "\" is already used (" + same->origin.ToString() + ")");
      } else {
        r.id = id;
      }
    }
    for (const ExecRuleProblem& problem : ExecRuleProblems(r)) {
      if (problem.field == "reason" && (!decision_ok || t.count("reason") != 0)) continue;  // said above
      if (bad.count(problem.field) != 0) continue;
      const std::vector<int>& at = lines[problem.field];
      int where = line;
      if (problem.element && *problem.element + 1 < at.size()) where = at[*problem.element + 1];
      else if (!at.empty()) where = at[0];
      if (problem.field == "program" && r.programs.empty() && t.find("program") == t.end()) continue;  // said above
      Problem(where, problem.message);
      ok = false;
    }
    if (ok && bad.empty()) ex.rules.push_back(std::move(r));
  }

  // An allow entry that a deny entry of this file fully covers can never match: the same pattern in both lists,
  // or a deny that is wider ("*.example.org:*" over "api.example.org:443").
  void CheckNetworkContradictions(const Network& net) {
    auto own = [&](const EndpointPattern& e) { return e.origin.file == name_; };
    for (const EndpointPattern& a : net.allow) {
      if (!own(a)) continue;
      for (const EndpointPattern& d : net.deny) {
        if (!own(d) || !d.Covers(a)) continue;
        const std::string deny_line = " (line " + std::to_string(d.origin.line) + ")";
        if (d.CanonicalText() == a.CanonicalText()) {
          Problem(a.origin.line, "contradictory network rules: \"" + a.text + "\" is both allowed and denied" + deny_line);
        } else {
          Problem(a.origin.line, "contradictory network rules: allow \"" + a.text + "\" can never match, deny \"" +
                                     d.text + "\"" + deny_line + " covers it");
        }
        break;
      }
    }
  }

  // The same path both granted and denied in this file is a contradiction worth a word.
  void CheckContradictions(const Policy& p) {
    auto own = [&](const PathEntry& e) { return e.origin.file == name_; };
    for (const PathEntry& d : p.fs.deny_read) {
      if (!own(d)) continue;
      for (const auto* list : {&p.fs.read, &p.fs.write}) {
        for (const PathEntry& g : *list) {
          if (own(g) && NormalizePath(g.path) == NormalizePath(d.path)) {
            Problem(d.origin.line, "\"" + d.path + "\" is both granted (line " + std::to_string(g.origin.line) +
                                       ") and listed in deny_read");
          }
        }
      }
    }
    for (const PathEntry& d : p.fs.deny_write) {
      if (!own(d)) continue;
      for (const PathEntry& g : p.fs.write) {
        if (own(g) && NormalizePath(g.path) == NormalizePath(d.path)) {
          Problem(d.origin.line, "\"" + d.path + "\" is both writable (line " + std::to_string(g.origin.line) +
                                     ") and listed in deny_write");
        }
      }
    }
  }

  std::string name_;
  std::vector<std::string> problems_;
};

}  // namespace

Result<uint64_t> ParseSize(const std::string& text) {
  size_t i = 0;
  while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i;
  if (i == 0 || i > 19) return MakeError("invalid size \"" + text + "\"");
  uint64_t n = std::stoull(text.substr(0, i));
  std::string unit = text.substr(i);
  if (!unit.empty() && (unit.back() == 'B' || unit.back() == 'b')) unit.pop_back();
  if (unit.size() == 2 && (unit[1] == 'i' || unit[1] == 'I')) unit.pop_back();
  int shift = 0;
  if (unit.empty()) shift = 0;
  else if (unit == "k" || unit == "K") shift = 10;
  else if (unit == "m" || unit == "M") shift = 20;
  else if (unit == "g" || unit == "G") shift = 30;
  else if (unit == "t" || unit == "T") shift = 40;
  else return MakeError("invalid size unit in \"" + text + "\" (use KiB, MiB, GiB, TiB)");
  if (shift > 0 && n > (UINT64_MAX >> shift)) return MakeError("size \"" + text + "\" is too large");
  return n << shift;
}

Result<Policy> LoadPolicyText(const std::string& text, const std::string& name) {
  CORDON_TRY(CheckTomlShape(text, name));
  CORDON_ASSIGN_OR_RETURN(toml::value root, ParseToml(text, name));
  try {
    return Loader(name).Load(root);
  } catch (const std::exception& e) {
    return MakeError(name + ": " + e.what());
  }
}

Result<Policy> LoadPolicyFile(const std::string& path) {
  CORDON_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path, "policy file"));
  return LoadPolicyText(text, path);
}

}  // namespace cordon::policy
