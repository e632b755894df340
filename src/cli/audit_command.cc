// cordon audit [--audit SINK] [--run ID] [--type T] [--since TIME] [--until TIME] [--decision allow|deny]
//              [--limit N] [--json] [--follow]
// cordon audit show RUN_ID
// Lists recorded events from any store (sink_spec.h; default the default JSON-lines file), one readable line
// each or the raw JSON lines; --follow keeps printing what arrives (polls every 200 ms); `show` tells one run.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <thread>

#include "audit/describe.h"
#include "audit/sink_spec.h"
#include "cli/commands.h"

namespace cordon::cli {
namespace {

constexpr auto kFollowEvery = std::chrono::milliseconds(200);

struct AuditQuery {
  std::string sink;
  std::string run, type, since, until, decision;
  size_t limit = 0;
  bool json = false;
  bool follow = false;
  std::string show_run;
};

bool IsRunId(const std::string& s) {
  return s.size() == 16 && std::all_of(s.begin(), s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

Result<audit::Filter> MakeFilter(const AuditQuery& q) {
  audit::Filter f;
  if (!q.run.empty() && !IsRunId(q.run)) return MakeError("--run " + q.run + ": a run id is 16 hex digits");
  f.run = q.run;
  if (!q.type.empty() && q.type.back() != '.' &&
      std::find(audit::kEventTypes.begin(), audit::kEventTypes.end(), q.type) == audit::kEventTypes.end()) {
    std::string known;
    for (const char* t : audit::kEventTypes) known += std::string(known.empty() ? "" : ", ") + t;
    return MakeError("--type " + q.type + ": unknown event type (known: " + known + "; or a prefix like net.)");
  }
  f.type = q.type;
  const std::string now = audit::NowUtc();
  if (!q.since.empty()) {
    CORDON_ASSIGN_OR_RETURN(f.since, audit::ParseTime(q.since, now));
  }
  if (!q.until.empty()) {
    CORDON_ASSIGN_OR_RETURN(f.until, audit::ParseTime(q.until, now));
  }
  if (!f.since.empty() && !f.until.empty() && f.since >= f.until) {
    return MakeError("--since " + q.since + " is not before --until " + q.until);
  }
  f.decision = q.decision;
  f.limit = q.limit;
  return f;
}

Result<audit::SinkSpec> SourceSpec(const std::string& sink) {
  if (sink.empty()) return audit::DefaultSpec();
  return audit::ParseSinkSpec(sink);
}

Result<std::unique_ptr<audit::Source>> OpenFor(const audit::SinkSpec& spec) {
  Result<std::unique_ptr<audit::Source>> source = audit::OpenSource(spec);
  if (!source.ok()) return std::move(source).error().With("cannot read " + spec.name).With("audit");
  return source;
}

void WarnSkipped(size_t skipped, const audit::SinkSpec& spec) {
  if (skipped == 0) return;
  std::fprintf(stderr, "cordon: warning: audit: skipped %zu unreadable line(s) in %s\n", skipped, spec.name.c_str());
}

Result<int> List(const AuditQuery& q) {
  CORDON_ASSIGN_OR_RETURN(audit::Filter filter, MakeFilter(q));
  CORDON_ASSIGN_OR_RETURN(audit::SinkSpec spec, SourceSpec(q.sink));
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<audit::Source> source, OpenFor(spec));
  uint64_t cursor = 0;
  for (;;) {
    size_t skipped = 0;
    Result<std::vector<audit::Event>> events = source->Read(filter, &cursor, &skipped);
    if (!events.ok()) return std::move(events).error().With("cannot read " + spec.name).With("audit");
    for (const audit::Event& e : *events) {
      std::string line = q.json ? e.json : audit::Printable(audit::DescribeLine(e));
      line += '\n';
      std::fwrite(line.data(), 1, line.size(), stdout);
    }
    WarnSkipped(skipped, spec);
    if (std::fflush(stdout) != 0 || !q.follow) return 0;
    filter.limit = 0;  // the limit is for what was there; everything new is shown
    std::this_thread::sleep_for(kFollowEvery);
  }
}

Result<int> Show(const AuditQuery& q) {
  if (!IsRunId(q.show_run)) return MakeError("audit show " + q.show_run + ": a run id is 16 hex digits");
  CORDON_ASSIGN_OR_RETURN(audit::SinkSpec spec, SourceSpec(q.sink));
  CORDON_ASSIGN_OR_RETURN(std::unique_ptr<audit::Source> source, OpenFor(spec));
  audit::Filter filter;
  filter.run = q.show_run;
  uint64_t cursor = 0;
  size_t skipped = 0;
  Result<std::vector<audit::Event>> events = source->Read(filter, &cursor, &skipped);
  if (!events.ok()) return std::move(events).error().With("cannot read " + spec.name).With("audit");
  WarnSkipped(skipped, spec);
  if (events->empty()) return MakeError("audit: no events of run " + q.show_run + " in " + spec.name);
  std::sort(events->begin(), events->end(), [](const audit::Event& a, const audit::Event& b) { return a.seq < b.seq; });
  std::fputs(audit::Printable(audit::DescribeRun(*events)).c_str(), stdout);
  return 0;
}

}  // namespace

void AddAuditCommand(CLI::App& app, Action& action) {
  auto q = std::make_shared<AuditQuery>();
  CLI::App* audit = app.add_subcommand("audit", "list recorded events (default: the default JSON-lines file)");
  audit->fallthrough();
  audit->add_option("--audit", q->sink, "the store to read: jsonl:PATH (or a path), sqlite:PATH, postgres://…");
  audit->add_option("--run", q->run, "only this run's events (its 16-hex-digit id)");
  audit->add_option("--type", q->type, "only events of this type (run.start, net.connection…) or prefix (net.)");
  audit->add_option("--since", q->since, "from this time on (2024-05-01T10:30Z, 2024-05-01, or 15m, 2h, 7d ago)");
  audit->add_option("--until", q->until, "before this time (same forms)");
  audit->add_option("--decision", q->decision, "only decisions of this kind")->check(CLI::IsMember({"allow", "deny"}));
  audit->add_option("--limit", q->limit, "only the last N matching events")->check(CLI::PositiveNumber);
  audit->add_flag("--json", q->json, "print the events as JSON lines");
  audit->add_flag("--follow", q->follow, "keep printing events as they arrive");
  CLI::App* show = audit->add_subcommand("show", "tell one run's story: who ran what, where, each decision, the end");
  show->add_option("run", q->show_run, "the run id")->required();
  audit->callback([&action, q, show] {
    action = show->parsed() ? Action([q] { return Show(*q); }) : Action([q] { return List(*q); });
  });
}

}  // namespace cordon::cli
