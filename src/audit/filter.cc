#include "audit/filter.h"

#include <cctype>
#include <cstdio>
#include <ctime>

namespace cordon::audit {
namespace {

bool AllDigits(const std::string& s) {
  if (s.empty()) return false;
  for (char c : s) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

std::string Format(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.000Z", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

// "15m" → 900; -1 when `text` is not a duration.
long long DurationSeconds(const std::string& text) {
  if (text.size() < 2 || !AllDigits(text.substr(0, text.size() - 1)) || text.size() > 12) return -1;
  long long n = std::stoll(text.substr(0, text.size() - 1));
  switch (text.back()) {
    case 's': return n;
    case 'm': return n * 60;
    case 'h': return n * 3600;
    case 'd': return n * 86400;
    case 'w': return n * 7 * 86400;
    default: return -1;
  }
}

}  // namespace

bool Matches(const Filter& f, const Event& e) {
  if (!f.run.empty() && e.run != f.run) return false;
  if (!f.type.empty() && !(f.type.back() == '.' ? e.type.starts_with(f.type) : e.type == f.type)) return false;
  if (!f.since.empty() && e.time < f.since) return false;
  if (!f.until.empty() && e.time >= f.until) return false;
  if (!f.decision.empty() && e.decision != f.decision) return false;
  return true;
}

Result<std::string> ParseTime(const std::string& text, const std::string& now) {
  if (long long secs = DurationSeconds(text); secs >= 0) {
    std::tm tm{};
    if (strptime(now.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) == nullptr) return MakeError("bad current time " + now);
    return Format(timegm(&tm) - static_cast<std::time_t>(secs));
  }
  // Fill what is cut short from the earliest instant it names, then check the whole against the format.
  std::string t = text;
  if (t.size() > 10 && t[10] == ' ') t[10] = 'T';
  if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.pop_back();
  static const std::string kFloor = "0000-01-01T00:00:00.000";
  if (t.size() == 10 || t.size() == 13 || t.size() == 16 || t.size() == 19 || t.size() == 23) {
    t += kFloor.substr(t.size());
  }
  std::tm tm{};
  const char* end = t.size() == kFloor.size() ? strptime(t.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) : nullptr;
  if (end == nullptr || *end != '.' || !AllDigits(std::string(end + 1)) || std::string(end + 1).size() != 3 ||
      !AllDigits(t.substr(0, 4))) {
    return MakeError("bad time '" + text +
                     "': expected a UTC time like 2024-05-01, 2024-05-01T10:30 or 2024-05-01T10:30:00Z, or a "
                     "duration back from now like 90s, 15m, 2h, 7d");
  }
  return t + "Z";
}

}  // namespace cordon::audit
