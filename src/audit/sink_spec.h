// Naming a store on the command line (`--audit SPEC`, `--events`, `cordon audit --audit SPEC`):
//   jsonl:PATH or a plain PATH     a JSON-lines file (jsonl_sink.h)
//   -                              JSON lines on stderr (write only)
//   sqlite:PATH                    an SQLite database (sqlite_sink.h)
//   postgres://… or postgresql://… a PostgreSQL database, libpq's URI (postgres_sink.h)
// A word before a colon that is none of these ("mysql:x") is an unknown scheme; write ./mysql:x for a file.
#pragma once

#include <memory>
#include <string>

#include "audit/sink.h"
#include "base/result.h"

namespace cordon::audit {

struct SinkSpec {
  enum class Kind { kJsonl, kStream, kSqlite, kPostgres };
  Kind kind = Kind::kJsonl;
  std::string target;  // the path or the conninfo
  int fd = -1;         // kStream
  bool make_dirs = false;  // the default file: its directories are created (0700)
  std::string name;    // for messages: "sqlite:/x/y.db"; a password in a conninfo shows as ***
};

Result<SinkSpec> ParseSinkSpec(const std::string& text);
// JSON lines on an inherited descriptor (`--json`, `--json-fd N`).
SinkSpec StreamSpec(int fd);
// $XDG_STATE_HOME/cordon/events.jsonl, else ~/.local/state/cordon/events.jsonl.
Result<SinkSpec> DefaultSpec();

Result<std::unique_ptr<Sink>> OpenSink(const SinkSpec& spec);
Result<std::unique_ptr<Source>> OpenSource(const SinkSpec& spec);

}  // namespace cordon::audit
