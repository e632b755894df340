// Where audit events are kept: a JSON-lines file, an SQLite database or a PostgreSQL table (sink_spec.h
// names them). A Sink stores finished events for a run; a Source reads them back for `cordon audit`.
//
// Failure: every call returns an Error that names the cause (ENOSPC, "database or disk is full", the server's
// message); the Recorder (recorder.h) adds which sink failed and decides what the run does about it.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "audit/event.h"
#include "audit/filter.h"
#include "base/result.h"

namespace cordon::audit {

class Sink {
 public:
  virtual ~Sink() = default;
  // Stores one event. When it returns ok the event is in the store: written with one write() to an O_APPEND
  // file (on disk after Finish), or committed to the database.
  virtual Status Store(const Event& event) = 0;
  // End of the run: makes what was written durable (fsync); a no-op where each Store already was.
  virtual Status Finish() = 0;
};

class Source {
 public:
  virtual ~Source() = default;
  // The events matching `filter` stored after `*cursor` (0: from the beginning), oldest first; with a limit,
  // the last `filter.limit` of them. Moves `*cursor` past everything read, so that calling again returns only
  // what was stored since (`cordon audit --follow`). Unreadable lines of a JSON-lines file are skipped and
  // counted in `*skipped`.
  virtual Result<std::vector<Event>> Read(const Filter& filter, uint64_t* cursor, size_t* skipped) = 0;
};

}  // namespace cordon::audit
