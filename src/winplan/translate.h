// LaunchPlan -> WindowsPlan: the pure half of the Windows backend (src/windows applies the result).
//
// Files: writes are confined by a write-restricted token whose only restricting SID is the workspace's; a writable
// root gets an inheritable allow ACE for that SID, a read-only path inside it (deny_write: .git/hooks, .cordon) an
// inheritable deny ACE for it. Reads are confined only with the sandbox account (setup): a deny ACE for the account
// on every deny_read path, an allow ACE on the readable roots under the user's profile (which the account cannot
// read otherwise). Without the account, deny_read cannot be enforced (a deny ACE for the caller would lock the
// caller out too): Translate refuses unless the policy says best_effort, and then lists it in `unenforced`.
// Precedence matches policy::EffectiveAccess as long as no reparse point is involved: Windows orders a child's
// explicit ACEs before the ACEs it inherits, so the most specific rule wins. Paths are resolved first (long names,
// junctions and symlinks followed, see PathResolver), so an ACE lands on the object the rule names, not on a link.
//
// Network: modes none and allowlist need the sandbox account and its firewall rules (setup); without them they are
// refused, never ignored. Allowlist mode also needs the proxy, which is not ported to Windows yet: refused.
//
// Not protected here: whatever the user's own ACLs let anyone read (system directories) stays readable; names of
// files inside a denied directory can still be learned through the parent's listing.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/result.h"
#include "plan/launch_plan.h"
#include "winplan/win_path.h"
#include "winplan/windows_plan.h"

namespace cordon::winplan {

// How the Win32 layer sees the file system; a fake in the unit tests.
class PathResolver {
 public:
  virtual ~PathResolver() = default;
  // The final path of an existing object (8.3 aliases expanded, junctions and symbolic links followed), or nullopt
  // when nothing is there.
  virtual Result<std::optional<WinPath>> Resolve(const WinPath& path) = 0;
  // Is there a file (not a directory) at this native path? For the program search.
  virtual bool IsFile(const WinPath& path) = 0;
};

struct TranslateOptions {
  SetupState setup;
  unsigned cpu_count = 1;
  std::vector<std::string> caller_env;  // the caller's environment: Windows essentials are taken from it
  std::string temp_dir;                 // plan form: the run's private TEMP (an ACE for the run, removed after)
};

Result<WindowsPlan> Translate(const plan::LaunchPlan& plan, const TranslateOptions& options, PathResolver& resolver);

// Human-readable rendering, for `cordon.exe run --dry-run` and the tests.
std::string Describe(const WindowsPlan& plan);

}  // namespace cordon::winplan
