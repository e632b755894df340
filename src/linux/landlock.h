// Landlock: the filesystem rules again, in the kernel's own LSM, plus scoping of abstract unix sockets and
// signals (ABI >= 6). Parent side: Prepare() picks the rights for this kernel's ABI, CreateRuleset() before
// clone, AddHostRules() while the child builds its mounts (the rules name host inodes, which the sandbox's
// binds show as they are). Child side: Apply() adds the rules on the sandbox's own mounts and restricts.
// Does not protect: connect() to path-named unix sockets (not a Landlock right before ABI 8), and READ_DIR
// and directory-entry rights granted on a directory also reach a denied path beneath it (the mount layer
// masks those); see docs/SECURITY.md.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "base/unique_fd.h"

namespace cordon::linux_backend::landlock {

// Rights in Landlock's own bit layout (LANDLOCK_ACCESS_FS_*).
inline constexpr uint64_t kExecute = 1ull << 0;
inline constexpr uint64_t kWriteFile = 1ull << 1;
inline constexpr uint64_t kReadFile = 1ull << 2;
inline constexpr uint64_t kReadDir = 1ull << 3;
inline constexpr uint64_t kRemoveDir = 1ull << 4;
inline constexpr uint64_t kRemoveFile = 1ull << 5;
inline constexpr uint64_t kMakeChar = 1ull << 6;
inline constexpr uint64_t kMakeDir = 1ull << 7;
inline constexpr uint64_t kMakeReg = 1ull << 8;
inline constexpr uint64_t kMakeSock = 1ull << 9;
inline constexpr uint64_t kMakeFifo = 1ull << 10;
inline constexpr uint64_t kMakeBlock = 1ull << 11;
inline constexpr uint64_t kMakeSym = 1ull << 12;
inline constexpr uint64_t kRefer = 1ull << 13;     // ABI 2
inline constexpr uint64_t kTruncate = 1ull << 14;  // ABI 3
inline constexpr uint64_t kIoctlDev = 1ull << 15;  // ABI 5

// Rights that act on a file itself (valid on file rules; inherited below a directory rule).
inline constexpr uint64_t kFileRights = kExecute | kWriteFile | kReadFile | kTruncate | kIoctlDev;
inline constexpr uint64_t kReadRights = kExecute | kReadFile | kReadDir;
inline constexpr uint64_t kAllRights = (1ull << 16) - 1;

struct Rule {
  std::string path;  // as seen inside the sandbox
  uint64_t rights;
  bool own = false;  // a mount the sandbox makes itself (/, /tmp, /dev, /proc): added inside, after the mounts
};

// What the kernel offers; abi 0 means Landlock is unavailable.
struct Support {
  int abi = 0;
  int error = 0;  // errno of the version query when abi == 0
};
Support Probe();
// Rights this ABI knows; rules are masked with it.
uint64_t HandledRights(int abi);

// Prepared in the parent, applied in the child with no allocation.
struct Prepared {
  int abi = 0;
  uint64_t handled = 0;
  uint64_t scoped = 0;
  std::vector<Rule> rules;
  std::vector<const char*> paths;  // c_str() of rules, for the child
};
Prepared Prepare(int abi, std::vector<Rule> rules);

// Parent side, before clone: the empty ruleset; the child inherits the descriptor, so rules the parent adds
// later are in the ruleset the child enforces.
Result<UniqueFd> CreateRuleset(const Prepared& p);
// Parent side: the rules on host paths. A path that is not there (or not reachable) is skipped.
Result<void> AddHostRules(int ruleset, const Prepared& p);

// Child side: adds the rules on the sandbox's own mounts and restricts the calling thread. Returns 0 or an
// errno; on error `*failed_path` names the rule that failed (or nullptr). Closes `ruleset`.
int Apply(const Prepared& p, int ruleset, const char** failed_path);

}  // namespace cordon::linux_backend::landlock
