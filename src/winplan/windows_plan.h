// The Windows form of a LaunchPlan: which ACEs go on which paths for which identity, the job object's limits,
// the restricted token, the environment. Pure data, built by Translate (translate.h) on any platform, applied by
// src/windows (Win32). Masks and flags carry the values of winnt.h so this header needs no Windows headers.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "policy/policy.h"

namespace cordon::winplan {

// File access rights (winnt.h).
inline constexpr uint32_t kFileReadData = 0x0001;  // also FILE_LIST_DIRECTORY
inline constexpr uint32_t kFileWriteData = 0x0002;  // also FILE_ADD_FILE
inline constexpr uint32_t kFileAppendData = 0x0004;  // also FILE_ADD_SUBDIRECTORY
inline constexpr uint32_t kFileReadEa = 0x0008;
inline constexpr uint32_t kFileWriteEa = 0x0010;
inline constexpr uint32_t kFileExecute = 0x0020;  // also FILE_TRAVERSE
inline constexpr uint32_t kFileDeleteChild = 0x0040;
inline constexpr uint32_t kFileReadAttributes = 0x0080;
inline constexpr uint32_t kFileWriteAttributes = 0x0100;
inline constexpr uint32_t kDelete = 0x00010000;
inline constexpr uint32_t kReadControl = 0x00020000;
inline constexpr uint32_t kWriteDac = 0x00040000;
inline constexpr uint32_t kWriteOwner = 0x00080000;
inline constexpr uint32_t kSynchronize = 0x00100000;

// What "read" and "write" mean in an ACE. Write includes deleting and renaming (DELETE, FILE_DELETE_CHILD) but never
// WRITE_DAC or WRITE_OWNER: the sandbox must not be able to edit the ACLs that confine it.
inline constexpr uint32_t kReadRights = kFileReadData | kFileReadEa | kFileExecute | kFileReadAttributes | kReadControl |
                                        kSynchronize;
inline constexpr uint32_t kWriteRights = kFileWriteData | kFileAppendData | kFileWriteEa | kFileWriteAttributes |
                                         kFileDeleteChild | kDelete;
// A deny ACE refuses the ACL edits too.
inline constexpr uint32_t kDenyWriteRights = kWriteRights | kWriteDac | kWriteOwner;
inline constexpr uint32_t kDenyAllRights = (kReadRights & ~kSynchronize) | kDenyWriteRights;

// Job object flags (winnt.h).
inline constexpr uint32_t kJobLimitActiveProcess = 0x00000008;
inline constexpr uint32_t kJobLimitProcessMemory = 0x00000100;
inline constexpr uint32_t kJobLimitJobMemory = 0x00000200;
inline constexpr uint32_t kJobLimitDieOnUnhandledException = 0x00000400;
inline constexpr uint32_t kJobLimitKillOnJobClose = 0x00002000;
inline constexpr uint32_t kJobUiLimitAll = 0x000000FF;  // handles, clipboard r/w, system parameters, display
                                                         // settings, global atoms (DDE), desktop, exit windows

// Whose ACE it is. kWorkspace: the restricting SID of this workspace (identity.h): the write-restricted token passes
// its second access check for writes only on objects with an ACE for it. kSandboxAccount: the local account that
// `cordon.exe setup` creates; the sandbox runs as it, so deny ACEs for it touch nobody else.
enum class Trustee { kWorkspace, kSandboxAccount };
enum class AceType { kAllow, kDeny };
// A path that does not exist cannot carry an ACE.
enum class IfMissing { kSkip, kFail };
// Persistent ACEs (writable roots, the account's read and deny ACEs) are added on first use, recorded, and removed by
// `cordon.exe setup --undo`; per-run ACEs (the run's temp directory) are removed when the run ends.
enum class Lifetime { kPersistent, kRun };

struct AceOp {
  std::string path;  // plan form ("/C:/Users/me/proj"), resolved (long names, reparse points followed)
  Trustee trustee = Trustee::kWorkspace;
  AceType type = AceType::kAllow;
  uint32_t mask = 0;
  bool inherit = true;  // container and object inherit
  IfMissing if_missing = IfMissing::kSkip;
  Lifetime lifetime = Lifetime::kPersistent;
  std::string reason;  // the rule's origin
};

struct JobLimits {
  uint32_t limit_flags = 0;      // kJobLimit*
  uint32_t ui_restrictions = 0;  // kJobUiLimit*
  uint32_t active_processes = 0;
  uint64_t process_memory = 0;  // bytes, each process (committed memory)
  uint64_t job_memory = 0;      // bytes, all processes together
  uint32_t cpu_rate = 0;        // hard cap in 1/100 % of the whole machine (JOB_OBJECT_CPU_RATE_CONTROL); 0: none
  double timeout_seconds = 0;   // enforced by the supervisor (TerminateJobObject); 0: none
};

// CreateRestrictedToken(DISABLE_MAX_PRIVILEGE | WRITE_RESTRICTED) with these restricting SIDs.
struct TokenPlan {
  std::vector<std::string> restricting_sids;  // string SIDs
  bool write_restricted = true;
  bool disable_max_privilege = true;
};

// What `cordon.exe setup` installed, read from its record by the Win32 layer.
struct SetupState {
  bool sandbox_account = false;
  std::string account_sid;
  bool firewall_rules = false;
  uint16_t proxy_port_first = 0;  // the loopback ports the firewall lets the account reach (the proxy's)
  uint16_t proxy_port_count = 0;
};

struct WindowsPlan {
  std::string workspace_sid;
  bool run_as_sandbox_account = false;
  TokenPlan token;
  std::vector<AceOp> aces;
  JobLimits job;
  bool private_desktop = true;  // its own window station and desktop: no windows, hooks or clipboard of the user's
  policy::NetworkMode network = policy::NetworkMode::kNone;
  std::string program;                // resolved argv[0], native form
  std::vector<std::string> argv;
  std::string cwd;                    // native form
  std::vector<std::string> env;       // "NAME=value"
  std::vector<std::string> unenforced;  // what the plan asks and this plan does not give (best_effort): recorded
  std::vector<std::string> notes;       // rules left out because they name no Windows path (Linux defaults)
};

}  // namespace cordon::winplan
