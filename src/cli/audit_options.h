// Where `cordon run` records its events: --audit (repeatable), --audit-failure, --events and --json/--json-fd,
// turned into the run's Recorder (audit/recorder.h).
#pragma once

#include <CLI/CLI.hpp>
#include <memory>
#include <string>
#include <vector>

#include "audit/recorder.h"

namespace cordon::cli {

struct AuditOptions {
  std::vector<std::string> sinks;  // --audit; none given: the default JSON-lines file; "none": no store
  std::string events;              // --events FILE|-: one more JSON-lines sink (kept for scripts and tests)
  bool json = false;               // --json (without --dry-run): the events on stderr…
  int json_fd = -1;                // …or on this descriptor (--json-fd)
  std::string failure = "closed";  // --audit-failure
  void AddOptions(CLI::App& run);
};

// The run's recorder with every sink asked for open. Under --audit-failure=closed a sink that cannot be
// opened is an error: nothing runs (exit 125).
Result<std::unique_ptr<audit::Recorder>> OpenRecorder(const AuditOptions& o);

}  // namespace cordon::cli
