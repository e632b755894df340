#include "linux/landlock.h"

#include <fcntl.h>
#include <sys/prctl.h>
#include <unistd.h>

#include <cerrno>

#include "base/syscalls.h"

namespace cordon::linux_backend::landlock {
namespace {

// Kernel ABI structs (linux/landlock.h of 6.12+; Debian 12's headers predate the scoped field).
struct RulesetAttr {
  uint64_t handled_access_fs;
  uint64_t handled_access_net;
  uint64_t scoped;
};
struct PathBeneathAttr {
  uint64_t allowed_access;
  int32_t parent_fd;
} __attribute__((packed));

constexpr uint32_t kCreateRulesetVersion = 1u << 0;
constexpr int kRulePathBeneath = 1;
constexpr uint64_t kScopeAbstractUnixSocket = 1ull << 0;
constexpr uint64_t kScopeSignal = 1ull << 1;

}  // namespace

Support Probe() {
  int abi = sys::LandlockCreateRuleset(nullptr, 0, kCreateRulesetVersion);
  if (abi < 0) return {0, errno};
  return {abi, 0};
}

uint64_t HandledRights(int abi) {
  if (abi <= 0) return 0;
  uint64_t r = kExecute | kWriteFile | kReadFile | kReadDir | kRemoveDir | kRemoveFile | kMakeChar | kMakeDir |
               kMakeReg | kMakeSock | kMakeFifo | kMakeBlock | kMakeSym;
  if (abi >= 2) r |= kRefer;
  if (abi >= 3) r |= kTruncate;
  if (abi >= 5) r |= kIoctlDev;
  return r;
}

Prepared Prepare(int abi, std::vector<Rule> rules) {
  Prepared p;
  p.abi = abi;
  p.handled = HandledRights(abi);
  p.scoped = abi >= 6 ? (kScopeAbstractUnixSocket | kScopeSignal) : 0;
  p.rules = std::move(rules);
  for (Rule& r : p.rules) r.rights &= p.handled;
  p.paths.reserve(p.rules.size());
  for (const Rule& r : p.rules) p.paths.push_back(r.path.c_str());
  return p;
}

int Apply(const Prepared& p, const char** failed_path) {
  *failed_path = nullptr;
  RulesetAttr attr{p.handled, 0, p.scoped};
  size_t size = p.abi >= 6 ? sizeof(attr) : sizeof(uint64_t) * (p.abi >= 4 ? 2 : 1);
  int ruleset = sys::LandlockCreateRuleset(&attr, size, 0);
  if (ruleset < 0) return errno;
  for (size_t i = 0; i < p.rules.size(); ++i) {
    if (p.rules[i].rights == 0) continue;
    int fd = sys::RetryEintr([&] { return ::open(p.paths[i], O_PATH | O_CLOEXEC); });
    if (fd < 0) {
      if (errno == ENOENT || errno == ENOTDIR || errno == EACCES) continue;  // masked or gone: nothing to grant
      int err = errno;
      *failed_path = p.paths[i];
      ::close(ruleset);
      return err;
    }
    PathBeneathAttr rule{p.rules[i].rights, fd};
    int rc = sys::LandlockAddRule(ruleset, kRulePathBeneath, &rule, 0);
    int err = errno;
    if (rc < 0 && err == EINVAL) {
      // A file rule may carry only file rights.
      rule.allowed_access &= kFileRights;
      rc = rule.allowed_access == 0 ? 0 : sys::LandlockAddRule(ruleset, kRulePathBeneath, &rule, 0);
      err = errno;
    }
    ::close(fd);
    if (rc < 0) {
      *failed_path = p.paths[i];
      ::close(ruleset);
      return err;
    }
  }
  int rc = sys::LandlockRestrictSelf(ruleset, 0);
  int err = errno;
  ::close(ruleset);
  return rc < 0 ? err : 0;
}

}  // namespace cordon::linux_backend::landlock
