// Denied syscalls as audit events. The command's filter (seccomp.h, Refusal::kNotify) hands each refused call
// to cordon's supervisor instead of answering it: the command installs it with SECCOMP_FILTER_FLAG_NEW_LISTENER
// just before execve and sends the listener to cordon (SCM_RIGHTS). The supervisor answers every call with
// EPERM, as the plain filter would (never "continue": the call is refused before its arguments matter, so
// there is no time-of-check question), and emits `deny.syscall` events.
//
// Fails closed: if cordon goes away, the kernel answers ENOSYS to waiting and later refused calls (a call
// stays refused, only its errno differs). If the listener cannot be had (EBUSY: cordon runs inside another
// sandbox that already uses one; a kernel before 5.0), the command gets the plain EPERM filter and the run goes
// on without these events: one `audit.degraded` event says so.
// Does not see: calls the filter allows (the other layers refuse them: see docs/SECURITY.md), the ENOSYS
// compatibility answers (clone3, openat2).
#pragma once

#include <cstdint>
#include <map>
#include <string_view>
#include <utility>
#include <vector>

#include "audit/event_log.h"
#include "base/result.h"
#include "base/unique_fd.h"
#include "linux/seccomp.h"

namespace cordon::linux_backend {

// Which denials get an event of their own: the first kPerSyscall of each syscall, at most kTotal in all. Every
// denial is counted, so that the end of the run can summarise the rest per syscall. Pure: no syscalls.
class DenialCounter {
 public:
  static constexpr uint64_t kPerSyscall = 10;
  static constexpr uint64_t kTotal = 100;

  struct Key {
    std::string_view arch;  // static strings (the syscall name table's), so the map stays bounded
    std::string_view syscall;
    auto operator<=>(const Key&) const = default;
  };
  struct Counts {
    uint64_t count = 0;       // every denial
    uint64_t suppressed = 0;  // those without an event of their own
  };

  // Counts one denial; true when it gets an event of its own.
  bool Count(const Key& key);
  const std::map<Key, Counts>& counts() const { return counts_; }

 private:
  std::map<Key, Counts> counts_;
  uint64_t reported_ = 0;
};

namespace seccomp_notify {

// Child side (the command, after Landlock, as its last step before execve): installs `notify` and sends its
// listener over `channel`; if the kernel refuses the listener, installs `plain` and sends that errno instead.
// Returns 0 or an errno (then nothing that could be installed was, or cordon is gone).
int Install(const seccomp::Program& notify, const seccomp::Program& plain, int channel);

}  // namespace seccomp_notify

// The supervisor's side.
class SyscallDenials {
 public:
  // Before clone: the channel the listener comes through. CORDON_SECCOMP_NOTIFY=0 in cordon's environment
  // (benchmarks, tests) keeps the plain filter; the run then says so in an `audit.degraded` event.
  Result<void> Prepare();
  bool enabled() const { return parent_end_.valid(); }
  int child_end() const { return child_end_.get(); }
  int parent_end() const { return parent_end_.get(); }
  void CloseChildEnd() { child_end_.Reset(); }

  // After the command's exec (or its failure): takes the listener, or records why there is none.
  void Start(audit::EventSink& events);
  int fd() const { return listener_.get(); }  // poll; then OnPoll with the revents
  void OnPoll(short revents);
  // At the end of the run: one summary event per syscall with denials that had no event of their own.
  void Finish();

 private:
  void Degraded(const std::string& reason, int err);
  void Answer();

  bool requested_ = true;
  UniqueFd child_end_, parent_end_, listener_;
  audit::EventSink* events_ = nullptr;
  std::vector<unsigned char> request_, response_;  // sized by SECCOMP_GET_NOTIF_SIZES
  DenialCounter counter_;
};

}  // namespace cordon::linux_backend
