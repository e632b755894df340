// What cordon and its cordon-postgres helper say to each other over a socket: one JSON object per line each
// way, one answer per request.
//   {"op":"open","conninfo":"postgres://…"}       → {"ok":true} | {"error":"…"}
//   {"op":"store","event":"<the event's JSON>"}    → {"ok":true} | {"error":"…"}  (committed when answered)
//   {"op":"read","filter":{…},"cursor":N}          → {"ok":true,"events":["…",…],"cursor":N} | {"error":"…"}
// The conninfo travels here, not in argv, so that a password in it is not in /proc/PID/cmdline.
#pragma once

#include <nlohmann/json.hpp>

#include "audit/filter.h"

namespace cordon::audit::pgproto {

inline nlohmann::json FromFilter(const Filter& f) {
  return {{"run", f.run},     {"type", f.type},         {"since", f.since},
          {"until", f.until}, {"decision", f.decision}, {"limit", f.limit}};
}

inline Filter ToFilter(const nlohmann::json& j) {
  Filter f;
  f.run = j.value("run", "");
  f.type = j.value("type", "");
  f.since = j.value("since", "");
  f.until = j.value("until", "");
  f.decision = j.value("decision", "");
  f.limit = j.value("limit", size_t{0});
  return f;
}

}  // namespace cordon::audit::pgproto
