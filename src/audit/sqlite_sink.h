// The SQLite store: table `events` (id, run, seq, time, type, decision, body), WAL mode, synchronous=FULL,
// every event its own committed transaction, so that a cordon killed mid-run (even kill -9) leaves a
// consistent database holding every event Store accepted. A busy timeout lets concurrent runs share a file.
// Does not protect against another program writing the file (the database is the caller's, mode 0600).
#pragma once

#include <memory>
#include <string>

#include "audit/sink.h"

namespace cordon::audit {

// Creates the database (0600) and the table if missing.
Result<std::unique_ptr<Sink>> OpenSqliteSink(const std::string& path);
// An existing database, read-only.
Result<std::unique_ptr<Source>> OpenSqliteSource(const std::string& path);

}  // namespace cordon::audit
