#include "audit/describe.h"

#include <algorithm>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "base/hex.h"

namespace cordon::audit {
namespace {

using nlohmann::json;

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  return it->is_string() ? it->get<std::string>() : it->dump();
}

std::string Fixed(double v, const char* unit) {
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%.2f%s", v, unit);
  return buf;
}

std::string Bytes(double b) {
  if (b >= 1 << 20) return Fixed(b / (1 << 20), " MiB");
  if (b >= 1 << 10) return Fixed(b / (1 << 10), " KiB");
  return std::to_string(static_cast<long long>(b)) + " B";
}

std::string Join(const json& list) {
  std::string out;
  for (const json& w : list) {
    std::string s = w.is_string() ? w.get<std::string>() : w.dump();
    if (s.empty() || s.find_first_of(" \t'\"\\$`") != std::string::npos) s = "'" + s + "'";
    out += (out.empty() ? "" : " ") + s;
  }
  return out;
}

std::string Because(const json& j) {
  std::string rule = Str(j, "rule_id").empty() ? Str(j, "rule") : Str(j, "rule_id");
  std::string reason = Str(j, "reason");
  if (rule.empty() && reason.empty()) return "";
  return " (" + rule + (rule.empty() || reason.empty() ? "" : ": ") + reason + ")";
}

// What the event says beyond its envelope.
std::string Details(const std::string& type, const json& j) {
  if (type == "run.start") {
    return Join(j.value("argv", json::array())) + " in " + Str(j, "workspace") + " [profile " + Str(j, "profile") +
           ", network " + Str(j, "network") + ", by " + Str(j.value("caller", json::object()), "user") + "]";
  }
  if (type == "exec.decision") return Str(j, "decision") + " " + Str(j, "program") + Because(j);
  if (type == "net.connection") {
    return Str(j, "decision") + " " + Str(j, "host") + ":" + Str(j, "port") + Because(j) + " up " +
           Bytes(j.value("bytes_up", 0.0)) + ", down " + Bytes(j.value("bytes_down", 0.0));
  }
  if (type == "deny.syscall") return Str(j, "syscall") + " -> " + Str(j, "errno") + " (pid " + Str(j, "pid") + ")";
  if (type == "output.redacted") return Str(j, "stream") + ": " + Str(j, "count") + " x " + Str(j, "rule");
  if (type == "limit.hit") return Str(j, "limit") + " " + Str(j, "value") + " (" + Str(j, "layer") + ")";
  if (type == "guard.repair") return Str(j, "path") + " " + Str(j, "what");
  if (type == "alert") return Str(j, "severity") + " " + Str(j, "rule") + ": " + Str(j, "message");
  if (type == "audit.error") return Str(j, "sink") + ": " + Str(j, "error");
  if (type == "run.end") {
    return Str(j, "outcome") + ", exit " + Str(j, "exit_code") + " after " + Fixed(j.value("duration", 0.0), " s");
  }
  json rest = j;
  for (const char* key : {"v", "run", "seq", "time", "type"}) rest.erase(key);
  return rest.dump();
}

json Body(const Event& e) { return json::parse(e.json, nullptr, false); }

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text) {
    if ((c < 0x20 && c != '\n') || c == 0x7f) out += "\\x" + Hex(&c, 1);
    else out += static_cast<char>(c);
  }
  return out;
}

std::string DescribeLine(const Event& e) {
  return e.time + " " + e.run + " #" + std::to_string(e.seq) + " " + e.type + " " + Details(e.type, Body(e));
}

std::string DescribeRun(const std::vector<Event>& events) {
  if (events.empty()) return "";
  std::string out = "run " + events.front().run + "\n";
  auto row = [&out](const std::string& label, const std::string& text) {
    std::string col = "  " + label;
    col.resize(std::max<size_t>(col.size() + 1, 12), ' ');
    out += col + text + "\n";
  };
  bool started = false;
  for (const Event& e : events) {
    const json j = Body(e);
    if (e.type == "run.start") {
      started = true;
      const json caller = j.value("caller", json::object());
      row("started", e.time + " by " + Str(caller, "user") + " (uid " + Str(caller, "uid") + ", pid " +
                         Str(caller, "pid") + "), cordon " + Str(j, "version"));
      row("command", Join(j.value("argv", json::array())));
      row("where", "workspace " + Str(j, "workspace") + ", cwd " + Str(j, "cwd"));
      row("policy", "profile " + Str(j, "profile") + ", network " + Str(j, "network") + ", digest " +
                        Str(j, "policy_digest"));
      if (j.value("unrestricted", false)) row("", "UNRESTRICTED: no sandbox (profile full)");
    } else if (e.type == "run.end") {
      row("ended", e.time + ": " + Details(e.type, j));
      if (j.contains("cpu_user")) {
        std::string used = "CPU " + Fixed(j.value("cpu_user", 0.0), " s") + " user, " +
                           Fixed(j.value("cpu_system", 0.0), " s") + " system; peak memory " +
                           Bytes(j.value("peak_memory", 0.0));
        if (!Str(j, "peak_memory_of").empty()) used += " (" + Str(j, "peak_memory_of") + ")";
        if (const json bytes = j.value("output_bytes", json()); bytes.is_object()) {
          used += "; output " + Bytes(bytes.value("stdout", 0.0)) + " stdout, " + Bytes(bytes.value("stderr", 0.0)) + " stderr";
        }
        row("used", used);
      }
      if (!Str(j, "message").empty()) row("", Str(j, "message"));
    } else {
      if (!started) {
        row("", "(no run.start: the command was refused, or the run started before this store)");
        started = true;
      }
      row(e.type, e.time.substr(11) + " " + Details(e.type, j));
    }
  }
  return out;
}

}  // namespace cordon::audit
