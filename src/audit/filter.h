// Which events `cordon audit` lists: every field optional, all given ones must match. Times are compared as
// the events' canonical text (YYYY-MM-DDTHH:MM:SS.mmmZ), which sorts like the instants it names.
#pragma once

#include <cstddef>
#include <string>

#include "audit/event.h"
#include "base/result.h"

namespace cordon::audit {

struct Filter {
  std::string run;
  std::string type;      // exact, or a prefix ending in '.' ("net." matches net.connection)
  std::string since;     // canonical time, inclusive
  std::string until;     // canonical time, exclusive
  std::string decision;  // allow/deny
  size_t limit = 0;      // the last `limit` matches; 0: all
};

bool Matches(const Filter& f, const Event& e);

// A time on the command line: an RFC 3339 / ISO 8601 UTC time, complete or cut short after the date, hour,
// minute or second ("2024-05-01", "2024-05-01T10:30", "2024-05-01 10:30:00Z"), or a duration back from `now`
// ("90s", "15m", "2h", "7d"). Returns the canonical text. Errors name what was expected.
Result<std::string> ParseTime(const std::string& text, const std::string& now);

}  // namespace cordon::audit
