// One finished audit event: the envelope of docs/EVENTS.md (v, run, seq, time, type) and the event's own
// fields, as the JSON text every sink stores, plus the columns the stores index. Built once per Emit; sinks
// never re-serialise.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace cordon::audit {

struct Event {
  std::string run;
  uint64_t seq = 0;
  std::string time;      // UTC, YYYY-MM-DDTHH:MM:SS.mmmZ (sorts as text)
  std::string type;
  std::string decision;  // the event's `decision` field (allow/deny), empty when it has none
  std::string json;      // the whole event, one line, no newline
};

// The types of docs/EVENTS.md.
inline constexpr std::array<const char*, 11> kEventTypes = {
    "run.start",   "exec.decision", "deny.syscall", "net.connection", "output.redacted", "output.unfiltered",
    "limit.hit",   "guard.repair",  "alert",        "audit.error",    "run.end"};

// {"v":1,"run":…,"seq":…,"time":…,"type":…, fields…}. Fields named like the envelope are ignored.
Event MakeEvent(const std::string& run, uint64_t seq, const std::string& time, const std::string& type,
                const nlohmann::json& fields);
// The inverse, for readers: fails on text that is not a JSON object with the envelope.
Result<Event> ParseEvent(std::string_view line);

// Now, UTC, in the events' format.
std::string NowUtc();

}  // namespace cordon::audit
