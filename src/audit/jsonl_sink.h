// The JSON-lines store: one event per line, appended with one write() to a file opened O_APPEND, so that runs
// sharing a file never interleave within a line. Also writes to an inherited descriptor (stderr, --json-fd).
// Does not protect against: a reader that truncates the file, or a torn last line when the disk fills up
// mid-write (readers skip lines they cannot parse and say how many).
#pragma once

#include <memory>
#include <string>

#include "audit/sink.h"

namespace cordon::audit {

// The default file (`make_dirs`) is started afresh at this size; the full one is kept as events-TIME.jsonl.
inline constexpr long long kRotateBytes = 64ll << 20;

// Creates the file (0600) if missing; `make_dirs` (the default file) also creates missing parent directories
// (0700) and rotates the file once it holds kRotateBytes.
Result<std::unique_ptr<Sink>> OpenJsonlFile(const std::string& path, bool make_dirs);
// Writes to `fd`, which stays open; above 2 it is marked close-on-exec so the command does not inherit it.
Result<std::unique_ptr<Sink>> OpenJsonlStream(int fd);
Result<std::unique_ptr<Source>> OpenJsonlSource(const std::string& path);

}  // namespace cordon::audit
