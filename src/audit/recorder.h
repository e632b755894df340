// The run's audit trail: stamps each event with the envelope (run id, seq 0,1,2…, time) and stores it in every
// sink. What a failing sink does to the run is the caller's choice:
//   kClosed (default)  a sink that cannot be opened is an error (nothing runs); a sink that fails mid-run
//                      calls the stop callback once (the CLI kills the sandbox) and failure() holds the error
//                      the run ends with (exit 125)
//   kOpen              one warning line on stderr, and the run goes on without that sink
// Either way the failed sink is dropped and an `audit.error` event goes to the others. An event whose Emit
// returned is in every sink still working (sink.h says what "in" means for each).
#pragma once

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "audit/event_log.h"
#include "audit/sink.h"
#include "audit/sink_spec.h"

namespace cordon::audit {

enum class FailurePolicy { kClosed, kOpen };

class Recorder : public EventSink {
 public:
  Recorder(std::string run_id, FailurePolicy policy) : run_id_(std::move(run_id)), policy_(policy) {}

  // Opens and adds a sink. The error (kClosed) reads "audit: cannot open NAME: cause".
  Status Open(const SinkSpec& spec);
  // Adds an open sink, named in messages by `name`.
  void Add(std::string name, std::unique_ptr<Sink> sink);
  // Called at most once, from Emit or Finish, when a sink fails under kClosed.
  void OnFailure(std::function<void()> stop) { stop_ = std::move(stop); }

  void Emit(const std::string& type, const nlohmann::json& fields) override;
  // End of the run: makes every sink's events durable (fsync). A failure counts like a failed write.
  void Finish();

  // The first failure under kClosed: "audit: cannot write to NAME: cause".
  const std::optional<Error>& failure() const { return failure_; }
  const std::string& run_id() const { return run_id_; }
  size_t sink_count() const { return sinks_.size(); }

 private:
  struct Named {
    std::string name;
    std::unique_ptr<Sink> sink;
  };
  void StoreAll(const Event& event, std::vector<nlohmann::json>& errors);
  void EmitErrors(std::vector<nlohmann::json>& errors);
  // Drops sinks_[index], reports or keeps the error, and returns the audit.error event's fields.
  nlohmann::json Failed(size_t index, Error error, const std::string& what);

  std::string run_id_;
  FailurePolicy policy_;
  std::vector<Named> sinks_;
  std::function<void()> stop_;
  std::optional<Error> failure_;
  uint64_t seq_ = 0;
  std::mutex mu_;
};

}  // namespace cordon::audit
