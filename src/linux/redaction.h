// Output redaction for one run: the redactor (redact/redactor.h) over the built-in rules, the policy's user
// rules and the exact secret values — the values of the caller's secret-looking environment variables and the
// contents of the secret files the sandbox may not read (deny-read files, hidden .env files). Those values are
// compiled on a thread while the sandbox starts; the first output waits for them. Parent side.
#pragma once

#include <thread>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "audit/event_log.h"
#include "base/result.h"
#include "linux/output.h"
#include "plan/launch_plan.h"
#include "redact/redactor.h"

namespace cordon::linux_backend {

class Redaction {
 public:
  Redaction() = default;
  Redaction(const Redaction&) = delete;
  Redaction& operator=(const Redaction&) = delete;
  ~Redaction();
  // Loads the plan's user rule files (an error names FILE:LINE) and starts compiling. `hidden_files`: files
  // the sandbox cannot read besides the plan's deny rules.
  Status Start(const plan::LaunchPlan& plan, const std::vector<std::string>& hidden_files);
  // A filter for one stream ("stdout", "stderr"); its first use waits for the redactor.
  std::unique_ptr<OutputFilter> Filter(const std::string& stream);
  // The redactor could not be built: the run's output was withheld. Empty when all went well.
  const std::string& failure() {
    redactor();
    return failure_;
  }
  // One "output.redacted" event per stream and rule (counts only, never the text).
  void Report(audit::EventSink& events) const;

  // Waits for the compilation; nullptr when it failed (see failure()).
  const redact::Redactor* redactor();

 private:
  std::thread worker_;
  std::unique_ptr<redact::Redactor> redactor_;  // written by worker_, read after the join
  std::string failure_;                         // likewise
  std::vector<std::pair<std::string, OutputFilter*>> filters_;  // owned by the pumps, which outlive Report
};

// The secret values the redactor looks for, without duplicates: the plan's (the caller's secret-looking
// environment values) and the contents of the given files (regular files up to 64 KiB, or the files directly
// inside a given directory; 1 MiB in all).
std::vector<std::string> SecretValues(const std::vector<std::string>& values, const std::vector<std::string>& files);

}  // namespace cordon::linux_backend
