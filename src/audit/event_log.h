// cordon's event log: one JSON object per line for every decision worth keeping (network connections so far;
// the audit issue adds sinks and more kinds). Each line carries the schema version, the run id, the time and
// the event type. No event ever contains a secret value.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace cordon::audit {

inline constexpr int kEventSchemaVersion = 1;

// Where decisions are reported while a run goes on. Backends emit; the CLI decides where events go.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Emit(const std::string& type, const nlohmann::json& fields) = 0;
};

class EventLog : public EventSink {
 public:
  // `path`: "-" for stderr, or a file appended to (created 0600).
  static Result<std::unique_ptr<EventLog>> Open(const std::string& path);
  ~EventLog() override;

  const std::string& run_id() const { return run_id_; }
  // Writes {"v":1,"run":...,"time":...,"type":type, ...fields} as one line, flushed.
  void Emit(const std::string& type, const nlohmann::json& fields) override;

 private:
  EventLog(int fd, bool owned, std::string run_id) : fd_(fd), owned_(owned), run_id_(std::move(run_id)) {}
  int fd_;
  bool owned_;
  std::string run_id_;
};

// 16 random hex digits.
std::string NewRunId();

}  // namespace cordon::audit
