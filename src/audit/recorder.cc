#include "audit/recorder.h"

#include <cstdio>

namespace cordon::audit {

Status Recorder::Open(const SinkSpec& spec) {
  Result<std::unique_ptr<Sink>> sink = OpenSink(spec);
  if (sink.ok()) {
    Add(spec.name, std::move(*sink));
    return {};
  }
  Error e = std::move(sink).error().With("cannot open " + spec.name).With("audit");
  if (policy_ == FailurePolicy::kClosed) return e;
  std::fprintf(stderr, "cordon: warning: %s; running without it (--audit-failure=open)\n", e.ToString().c_str());
  return {};
}

void Recorder::Add(std::string name, std::unique_ptr<Sink> sink) {
  std::lock_guard lock(mu_);
  sinks_.push_back({std::move(name), std::move(sink)});
}

void Recorder::Emit(const std::string& type, const nlohmann::json& fields) {
  std::lock_guard lock(mu_);
  std::vector<nlohmann::json> errors;
  StoreAll(MakeEvent(run_id_, seq_++, NowUtc(), type, fields), errors);
  EmitErrors(errors);
}

void Recorder::Finish() {
  std::lock_guard lock(mu_);
  std::vector<nlohmann::json> errors;
  for (size_t i = 0; i < sinks_.size();) {
    Status st = sinks_[i].sink->Finish();
    if (st.ok()) {
      ++i;
    } else {
      errors.push_back(Failed(i, std::move(st).error(), "cannot save "));
    }
  }
  EmitErrors(errors);
}

void Recorder::StoreAll(const Event& event, std::vector<nlohmann::json>& errors) {
  for (size_t i = 0; i < sinks_.size();) {
    Status st = sinks_[i].sink->Store(event);
    if (st.ok()) {
      ++i;
    } else {
      errors.push_back(Failed(i, std::move(st).error(), "cannot write to "));
    }
  }
}

// audit.error to the sinks left; one that fails on it adds its own.
void Recorder::EmitErrors(std::vector<nlohmann::json>& errors) {
  for (size_t i = 0; i < errors.size(); ++i) {
    const nlohmann::json fields = errors[i];
    StoreAll(MakeEvent(run_id_, seq_++, NowUtc(), "audit.error", fields), errors);
  }
}

nlohmann::json Recorder::Failed(size_t index, Error error, const std::string& what) {
  const std::string name = sinks_[index].name;
  sinks_.erase(sinks_.begin() + static_cast<std::ptrdiff_t>(index));
  error.With(what + name).With("audit");
  const std::string line = error.ToString();
  if (policy_ == FailurePolicy::kClosed && !failure_) {
    failure_ = std::move(error);  // reported once, by the CLI, as the run's error
    if (stop_) stop_();
  } else {
    std::fprintf(stderr, "cordon: warning: %s%s\n", line.c_str(),
                 policy_ == FailurePolicy::kOpen ? "; the run goes on without it (--audit-failure=open)" : "");
  }
  return {{"sink", name}, {"error", line}};
}

}  // namespace cordon::audit
