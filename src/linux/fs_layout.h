// The sandbox's filesystem, compiled in the parent from the plan: an ordered list of mount operations for
// the child (mounts.cc) and the Landlock rules that say the same again (landlock.cc).
// Reads the host filesystem (existence, symlinks, directory listings, the .env scan); makes no changes.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"
#include "linux/landlock.h"
#include "plan/launch_plan.h"

namespace cordon::linux_backend::fs {

enum class OpKind {
  kMkdir,       // a directory in the skeleton root
  kTouch,       // an empty file in the skeleton root, as a mount point
  kSymlink,     // dst -> src
  kBind,        // src (host) at dst, read-only unless writable
  kBindDevice,  // a host device node at dst (nosuid, noexec; devices allowed)
  kMaskDir,     // an empty tmpfs with mode 000 over dst (sealed read-only by a later kSeal)
  kMaskFile,    // an empty read-only file with mode 000 over dst
  kTmpfs,       // a fresh writable tmpfs; `options` holds size/mode
  kProc,        // a fresh procfs for the sandbox's pid namespace
  kDevpts,      // a fresh devpts instance
  kReadOnly,    // what is mounted at dst (inside the sandbox) again, read-only
  kSeal,        // the mount at dst (a mask) becomes read-only
};
const char* OpKindName(OpKind k);

struct Op {
  OpKind kind;
  std::string dst;  // absolute path inside the sandbox
  std::string rel;  // dst without the leading '/', for *at() calls on the new root
  std::string src;
  bool writable = false;
  std::string options;
  bool optional = false;  // skipped when dst does not exist in the sandbox
};

struct Layout {
  bool root_is_host = false;     // "/" itself is a readable root: the new root is a clone of the host's
  std::vector<Op> ops;           // in the order the child applies them
  std::vector<landlock::Rule> landlock;
  std::vector<policy::PathRule> rules;     // the canonical rules the layout was built from
  std::vector<std::string> hidden_env_files;
};

// Fails when a path the policy names explicitly does not exist, or the .env scan exceeds its bound and the
// policy is not best-effort.
Result<Layout> Compile(const plan::LaunchPlan& plan);

}  // namespace cordon::linux_backend::fs
