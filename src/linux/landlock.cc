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

namespace {

// Adds one rule; 0, or an errno. A path that is not there has nothing to grant: 0.
int AddRule(int ruleset, const char* path, uint64_t rights) {
  if (rights == 0) return 0;
  int fd = sys::RetryEintr([&] { return ::open(path, O_PATH | O_CLOEXEC); });
  if (fd < 0) return errno == ENOENT || errno == ENOTDIR || errno == EACCES ? 0 : errno;
  PathBeneathAttr rule{rights, fd};
  int rc = sys::LandlockAddRule(ruleset, kRulePathBeneath, &rule, 0);
  int err = errno;
  if (rc < 0 && err == EINVAL) {
    // A file rule may carry only file rights.
    rule.allowed_access &= kFileRights;
    rc = rule.allowed_access == 0 ? 0 : sys::LandlockAddRule(ruleset, kRulePathBeneath, &rule, 0);
    err = errno;
  }
  ::close(fd);
  return rc < 0 ? err : 0;
}

}  // namespace

Result<UniqueFd> CreateRuleset(const Prepared& p) {
  RulesetAttr attr{p.handled, 0, p.scoped};
  size_t size = p.abi >= 6 ? sizeof(attr) : sizeof(uint64_t) * (p.abi >= 4 ? 2 : 1);
  UniqueFd fd(sys::LandlockCreateRuleset(&attr, size, 0));
  if (!fd.valid()) return ErrnoError("landlock_create_ruleset");
  return fd;
}

Result<void> AddHostRules(int ruleset, const Prepared& p) {
  for (size_t i = 0; i < p.rules.size(); ++i) {
    if (p.rules[i].own) continue;
    if (int err = AddRule(ruleset, p.paths[i], p.rules[i].rights)) {
      return Error{std::string("landlock rule for ") + p.paths[i], err, {}};
    }
  }
  return {};
}

int Apply(const Prepared& p, int ruleset, const char** failed_path) {
  *failed_path = nullptr;
  for (size_t i = 0; i < p.rules.size(); ++i) {
    if (!p.rules[i].own) continue;
    if (int err = AddRule(ruleset, p.paths[i], p.rules[i].rights)) {
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
