#include "audit/event.h"

#include <chrono>
#include <cstdio>
#include <ctime>

#include "audit/event_log.h"

namespace cordon::audit {

Event MakeEvent(const std::string& run, uint64_t seq, const std::string& time, const std::string& type,
                const nlohmann::json& fields) {
  nlohmann::json line = {{"v", kEventSchemaVersion}, {"run", run}, {"seq", seq}, {"time", time}, {"type", type}};
  for (const auto& [key, value] : fields.items()) {
    if (!line.contains(key)) line[key] = value;
  }
  Event e{run, seq, time, type, "", line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)};
  if (auto d = line.find("decision"); d != line.end() && d->is_string()) e.decision = d->get<std::string>();
  return e;
}

Result<Event> ParseEvent(std::string_view line) {
  nlohmann::json j = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return MakeError("not a JSON object");
  auto run = j.find("run"), seq = j.find("seq"), time = j.find("time"), type = j.find("type");
  if (run == j.end() || !run->is_string() || time == j.end() || !time->is_string() || type == j.end() ||
      !type->is_string()) {
    return MakeError("not a cordon event (no run, time or type)");
  }
  Event e;
  e.run = run->get<std::string>();
  // Logs written before `seq` existed have none.
  if (seq != j.end() && seq->is_number_unsigned()) e.seq = seq->get<uint64_t>();
  e.time = time->get<std::string>();
  e.type = type->get<std::string>();
  if (auto d = j.find("decision"); d != j.end() && d->is_string()) e.decision = d->get<std::string>();
  e.json = std::string(line);
  return e;
}

std::string NowUtc() {
  auto now = std::chrono::system_clock::now();
  std::time_t secs = std::chrono::system_clock::to_time_t(now);
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[96];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace cordon::audit
