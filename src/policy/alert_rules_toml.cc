#include "policy/alert_rules_toml.h"

#include <algorithm>
#include <map>
#include <set>

namespace cordon::policy {
namespace {

constexpr const char* kKeys[] = {"id", "on", "match", "count", "window", "severity", "message", "actions", "hook"};

class AlertReader {
 public:
  AlertReader(std::string file, std::vector<AlertRule>& rules, std::vector<std::pair<int, std::string>>& problems)
      : file_(std::move(file)), rules_(rules), problems_(problems) {}

  void Remove(const toml::value& v) {
    if (!v.is_array()) return Problem(v, "`remove_alerts` must be an array of alert rule ids");
    for (const toml::value& e : v.as_array()) {
      const std::string id = e.is_string() ? e.as_string().str : "";
      auto match = std::find_if(rules_.begin(), rules_.end(), [&](const AlertRule& r) { return r.id == id; });
      if (match != rules_.end()) {
        rules_.erase(match);
        continue;
      }
      std::string known;
      for (const AlertRule& r : rules_) known += (known.empty() ? "" : ", ") + r.id;
      Problem(e, "`remove_alerts` names " + (e.is_string() ? "\"" + id + "\"" : std::string("a non-string")) +
                     ", which is not an inherited alert rule (" +
                     (known.empty() ? std::string("there are none") : "known: " + known) + ")");
    }
  }

  void Rules(const toml::value& v) {
    if (!v.is_array()) return Problem(v, "`alert` must be an array of tables: write [[alert]]");
    for (const toml::value& r : v.as_array()) Rule(r);
  }

 private:
  void Problem(int line, const std::string& what) { problems_.emplace_back(line, what); }
  void Problem(const toml::value& v, const std::string& what) { Problem(Line(v), what); }
  static int Line(const toml::value& v) { return static_cast<int>(v.location().line()); }

  // A string field; false (and a problem) when present with another type.
  bool String(const toml::table& t, const char* key, std::string& out) {
    auto it = t.find(key);
    if (it == t.end()) return true;
    if (!it->second.is_string()) {
      Problem(it->second, std::string("`alert.") + key + "` must be a string");
      return false;
    }
    out = it->second.as_string().str;
    return true;
  }

  std::optional<AlertValue> Value(const toml::value& v) {
    if (v.is_string()) return AlertValue(v.as_string().str);
    if (v.is_integer()) return AlertValue(static_cast<int64_t>(v.as_integer()));
    if (v.is_boolean()) return AlertValue(v.as_boolean());
    return std::nullopt;
  }

  bool Match(const toml::value& v, std::vector<AlertMatch>& out) {
    if (!v.is_table()) {
      Problem(v, "`alert.match` must be a table of field = value (or [values]), as { decision = \"deny\" }");
      return false;
    }
    // In file order, so that problems come out left to right (the table itself is unordered).
    std::vector<std::pair<std::string, const toml::value*>> entries;
    for (const auto& [key, val] : v.as_table()) entries.emplace_back(key, &val);
    std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) {
      return std::make_pair(a.second->location().line(), a.second->location().column()) <
             std::make_pair(b.second->location().line(), b.second->location().column());
    });
    bool ok = true;
    for (const auto& [field, value] : entries) {
      AlertMatch m{field, {}};
      std::vector<const toml::value*> items;
      if (value->is_array()) {
        for (const toml::value& e : value->as_array()) items.push_back(&e);
      } else {
        items.push_back(value);
      }
      for (const toml::value* e : items) {
        std::optional<AlertValue> x = Value(*e);
        if (!x) {
          Problem(*e, "`alert.match." + field + "` values must be strings, integers or booleans");
          ok = false;
          continue;
        }
        m.values.push_back(std::move(*x));
      }
      out.push_back(std::move(m));
    }
    return ok;
  }

  void Rule(const toml::value& v) {
    if (!v.is_table()) return Problem(v, "`alert` entries must be tables: write [[alert]]");
    const int line = Line(v);
    const auto& t = v.as_table();
    std::map<std::string, int> lines;  // where each key's value is, for the problems found later
    for (const auto& [key, value] : t) {
      lines[key] = Line(value);
      if (std::none_of(std::begin(kKeys), std::end(kKeys), [&key = key](const char* k) { return key == k; })) {
        std::string list;
        for (const char* k : kKeys) list += std::string(list.empty() ? "" : ", ") + k;
        Problem(value, "unknown key `alert." + key + "` (known: " + list + ")" +
                           (key == "remove_alerts" ? ": remove_alerts goes at the top, before any [section]" : ""));
      }
    }
    AlertRule r;
    r.origin = {file_, line};
    std::set<std::string> bad;  // fields already reported
    auto fail = [&](const char* key) { bad.insert(key); };
    for (const char* key : {"id", "on"}) {
      if (t.find(key) == t.end()) {
        Problem(line,
                std::string("`alert` needs an `") + key + "`" +
                    (key == std::string("id") ? " (a name for the rule, as \"deploy-hosts\")"
                                              : " (the event type it counts, as \"net.connection\" or \"deny.*\")"));
        fail(key);
      }
    }
    if (!String(t, "id", r.id)) fail("id");
    if (!String(t, "on", r.on)) fail("on");
    if (!String(t, "message", r.message)) fail("message");
    if (auto it = t.find("match"); it != t.end() && !Match(it->second, r.match)) fail("match");
    if (auto it = t.find("count"); it != t.end()) {
      if (it->second.is_integer() && it->second.as_integer() > 0) {
        r.count = static_cast<uint64_t>(it->second.as_integer());
      } else {
        Problem(it->second, "`alert.count` must be a positive integer");
        fail("count");
      }
    }
    if (auto it = t.find("window"); it != t.end()) {
      const toml::value& w = it->second;
      double secs = w.is_integer() ? static_cast<double>(w.as_integer()) : w.is_floating() ? w.as_floating() : -1;
      if (secs > 0 && secs <= 365.0 * 24 * 3600) {
        r.window_seconds = secs;
      } else {
        Problem(w, "`alert.window` must be a number of seconds above 0 (at most a year)");
        fail("window");
      }
    }
    if (auto it = t.find("severity"); it != t.end()) {
      std::optional<AlertSeverity> s =
          it->second.is_string() ? ParseAlertSeverity(it->second.as_string().str) : std::nullopt;
      if (s) {
        r.severity = *s;
      } else {
        Problem(it->second, "`alert.severity` must be \"info\", \"warning\" or \"critical\"");
        fail("severity");
      }
    }
    if (auto it = t.find("actions"); it != t.end()) {
      r.actions.clear();
      if (!it->second.is_array()) {
        Problem(it->second, "`alert.actions` must be an array of \"log\", \"kill\", \"hook\"");
        fail("actions");
      } else {
        for (const toml::value& e : it->second.as_array()) {
          std::optional<AlertAction> a = e.is_string() ? ParseAlertAction(e.as_string().str) : std::nullopt;
          if (a) {
            r.actions.push_back(*a);
          } else {
            Problem(e, "`alert.actions` entries must be \"log\", \"kill\" or \"hook\"");
            fail("actions");
          }
        }
      }
    }
    if (auto it = t.find("hook"); it != t.end()) {
      bool ok = it->second.is_array();
      if (ok) {
        for (const toml::value& e : it->second.as_array()) {
          ok = ok && e.is_string();
          if (e.is_string()) r.hook.push_back(e.as_string().str);
        }
      }
      if (!ok || r.hook.empty()) {
        Problem(it->second,
                "`alert.hook` must be the command as a non-empty array of strings, as "
                "[\"/usr/local/bin/notify\", \"--channel\", \"agents\"]");
        fail("hook");
      }
    }
    for (const AlertRuleProblem& p : AlertRuleProblems(r)) {
      if (bad.count(p.field) != 0) continue;  // said above
      auto at = lines.find(p.field);
      Problem(at != lines.end() ? at->second : line, p.message);
      fail(p.field.c_str());
    }
    if (bad.count("id") == 0) {
      auto same = std::find_if(rules_.begin(), rules_.end(), [&](const AlertRule& o) { return o.id == r.id; });
      if (same != rules_.end()) {
        Problem(lines["id"], "`alert.id` \"" + r.id + "\" is already used (" + same->Where() +
                                 (same->origin.line == 0 ? "; drop it first with remove_alerts" : "") + ")");
        fail("id");
      }
    }
    if (bad.empty()) rules_.push_back(std::move(r));
  }

  std::string file_;
  std::vector<AlertRule>& rules_;
  std::vector<std::pair<int, std::string>>& problems_;
};

}  // namespace

void ReadAlertRules(const toml::table& top, const std::string& file, std::vector<AlertRule>& rules,
                    std::vector<std::pair<int, std::string>>& problems) {
  AlertReader reader(file, rules, problems);
  if (auto it = top.find("remove_alerts"); it != top.end()) reader.Remove(it->second);
  if (auto it = top.find("alert"); it != top.end()) reader.Rules(it->second);
}

}  // namespace cordon::policy
