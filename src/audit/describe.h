// Events for people: one line per event (`cordon audit`) and one run's story (`cordon audit show RUN`).
// Pure functions of the events; unknown types and fields are shown as compact JSON, never dropped.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "audit/event.h"

namespace cordon::audit {

// "2024-05-01T10:30:00.123Z 3f2a9c1b00aa11ff #3 net.connection deny example.com:443 (rule: reason)"
std::string DescribeLine(const Event& event);
// The run's start (who, what, where, policy), each event after it, and its end (status, duration, CPU,
// memory). `events` are one run's, in order.
std::string DescribeRun(const std::vector<Event>& events);
// The text with control characters (but line breaks) shown as \xHH: what a command chose (its arguments, a
// file name) must not drive the terminal of whoever reads the trail.
std::string Printable(std::string_view text);

}  // namespace cordon::audit
