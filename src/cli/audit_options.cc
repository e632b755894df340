#include "cli/audit_options.h"

#include <unistd.h>

namespace cordon::cli {

void AuditOptions::AddOptions(CLI::App& run) {
  run.add_option("--audit", sinks,
                 "record the run's events in SINK: jsonl:PATH (or a path), sqlite:PATH, postgres://…, or none "
                 "(repeatable; default: $XDG_STATE_HOME/cordon/events.jsonl)")
      ->expected(1)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  run.add_option("--audit-failure", failure,
                 "when an audit sink fails: closed (default: nothing runs, or the run is stopped; exit 125) or open "
                 "(warn and go on)")
      ->check(CLI::IsMember({"closed", "open"}));
  run.add_option("--events", events, "also append the run's events (JSON lines) to FILE; - for stderr");
  run.add_option("--json-fd", json_fd, "print the run's events as JSON lines on descriptor N (for an embedding agent)")
      ->check(CLI::Range(0, 1 << 20));
}

Result<std::unique_ptr<audit::Recorder>> OpenRecorder(const AuditOptions& o) {
  auto recorder = std::make_unique<audit::Recorder>(
      audit::NewRunId(), o.failure == "open" ? audit::FailurePolicy::kOpen : audit::FailurePolicy::kClosed);
  std::vector<audit::SinkSpec> specs;
  const bool none = o.sinks.size() == 1 && o.sinks[0] == "none";
  if (o.sinks.empty()) {
    CORDON_ASSIGN_OR_RETURN(audit::SinkSpec spec, audit::DefaultSpec());
    specs.push_back(std::move(spec));
  }
  for (const std::string& text : none ? std::vector<std::string>{} : o.sinks) {
    if (text == "none") return MakeError("--audit none cannot be combined with other sinks");
    CORDON_ASSIGN_OR_RETURN(audit::SinkSpec spec, audit::ParseSinkSpec(text));
    specs.push_back(std::move(spec));
  }
  if (!o.events.empty()) {
    CORDON_ASSIGN_OR_RETURN(audit::SinkSpec spec, audit::ParseSinkSpec(o.events));
    specs.push_back(std::move(spec));
  }
  if (o.json_fd >= 0 || o.json) specs.push_back(audit::StreamSpec(o.json_fd >= 0 ? o.json_fd : STDERR_FILENO));
  // Every spec is checked before any sink is opened.
  for (const audit::SinkSpec& spec : specs) {
    Status st = recorder->Open(spec);
    if (st.ok()) continue;
    Error e = std::move(st).error();
    if (spec.make_dirs) e.hint = "set XDG_STATE_HOME to a writable directory, or choose a sink with --audit";
    return e;
  }
  return recorder;
}

}  // namespace cordon::cli
