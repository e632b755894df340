// cordon's audit events: the interface backends report decisions through. Every event carries the schema
// version, the run id, its number in the run, the time and its type (docs/EVENTS.md); the Recorder
// (recorder.h) stamps them and stores them in the sinks the caller chose. No event ever contains a secret
// value.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace cordon::audit {

inline constexpr int kEventSchemaVersion = 1;

// Where decisions are reported while a run goes on. Backends emit; the CLI decides where events go.
class EventSink {
 public:
  virtual ~EventSink() = default;
  virtual void Emit(const std::string& type, const nlohmann::json& fields) = 0;
};

// 16 random hex digits.
std::string NewRunId();

}  // namespace cordon::audit
