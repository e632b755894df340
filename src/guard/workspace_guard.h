// The workspace guard: what the sandbox writes in the workspace must not run code later, outside it.
//
// Before a run it finds the git repositories in the workspace (their hooks and config are made read-only
// and each git directory is pinned by a mount so it cannot be renamed or replaced: see the planner). After
// the run it looks again and undoes what would make git run the sandbox's code on the host: a `commondir` or
// `config.worktree` planted in a git directory, hooks or code-running config in a repository the sandbox
// created, a `.git` file pointing outside the repositories that were there, and cordon's own config files.
// Platform-neutral; works on the host's view of the workspace after the sandbox is gone.
// Does not protect: repositories beyond its search (depth 4, 20,000 entries; it runs before and after every
// command, so it must stay cheap) are neither pinned nor checked.
#pragma once

#include <set>
#include <string>
#include <vector>

namespace cordon::guard {

struct GitRepos {
  std::vector<std::string> dirs;   // ".git" directories (absolute)
  std::vector<std::string> files;  // ".git" files ("gitdir: …" pointers)
  bool complete = true;            // false when the scan stopped at its bound
};

// Finds .git entries under `workspace`, skipping dependency and cache directories.
GitRepos FindGitRepos(const std::string& workspace);

struct Repair {
  std::string path;
  std::string what;  // "removed: planted commondir (would redirect git to another config and hooks)"
};

class WorkspaceGuard {
 public:
  explicit WorkspaceGuard(std::string workspace);
  const GitRepos& before() const { return before_; }
  // Looks again after the run and undoes what it must. Returns what it did, for the caller to report.
  std::vector<Repair> CheckAfterRun();

 private:
  std::string workspace_;
  GitRepos before_;
  std::set<std::string> existing_;  // control files present before the run
};

}  // namespace cordon::guard
