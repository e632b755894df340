#include "guard/workspace_guard.h"

#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <fstream>
#include <string_view>

namespace cordon::guard {
namespace {

constexpr int kMaxDepth = 4;
constexpr size_t kMaxEntries = 20000;
constexpr std::array<std::string_view, 12> kSkip = {"node_modules", ".cache", "target", "build", "dist", ".venv",
                                                    "venv", "__pycache__", ".tox", ".mypy_cache", "vendor", ".gradle"};
// cordon's own configuration names in the workspace.
constexpr std::array<std::string_view, 2> kOwnConfig = {"/.cordon", "/.cordon.toml"};
// Files in a git directory that redirect git to other config and hooks.
constexpr std::array<std::string_view, 3> kRedirects = {"commondir", "config.worktree", "gitdir"};
// Config keys that make git run a program (matched case-insensitively as "section.key" prefixes).
constexpr std::array<std::string_view, 22> kCodeKeys = {
    "core.hookspath", "core.fsmonitor", "core.sshcommand", "core.editor", "core.pager", "core.askpass",
    "core.gitproxy", "diff.external", "sequence.editor", "credential.helper", "gpg.program", "gpg.ssh.program",
    "include.path", "includeif.", "filter.", "merge.", "diff.", "alias.", "pager.", "uploadpack.", "receive.",
    "protocol."};

bool Exists(const std::string& p) {
  struct stat st {};
  return lstat(p.c_str(), &st) == 0;
}

// Submodules keep their git directories in <gitdir>/modules/<name>[/modules/…]: each has its own hooks.
void Submodules(const std::string& dir, int depth, GitRepos& out) {
  if (depth > kMaxDepth) return;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> subdirs;
  while (dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name != "." && name != ".." && e->d_type == DT_DIR) subdirs.push_back(dir + "/" + std::string(name));
  }
  closedir(d);
  for (const std::string& s : subdirs) {
    if (Exists(s + "/HEAD")) {
      out.dirs.push_back(s);
      Submodules(s + "/modules", depth + 1, out);
    } else {
      Submodules(s, depth + 1, out);  // nested names ("a/b")
    }
  }
}

void Walk(const std::string& dir, int depth, GitRepos& out, size_t& entries) {
  if (depth > kMaxDepth || !out.complete) return;
  DIR* d = opendir(dir.c_str());
  if (d == nullptr) return;
  std::vector<std::string> subdirs;
  while (dirent* e = readdir(d)) {
    std::string_view name = e->d_name;
    if (name == "." || name == "..") continue;
    if (++entries > kMaxEntries) {
      out.complete = false;
      break;
    }
    std::string full = dir + "/" + std::string(name);
    unsigned char type = e->d_type;
    if (type == DT_UNKNOWN) {
      struct stat st {};
      if (lstat(full.c_str(), &st) != 0) continue;
      type = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG : DT_LNK;
    }
    if (name == ".git") {
      if (type == DT_DIR) {
        out.dirs.push_back(full);
        Submodules(full + "/modules", 0, out);
      } else if (type == DT_REG) {
        out.files.push_back(full);
      }
      continue;
    }
    if (type == DT_DIR && std::find(kSkip.begin(), kSkip.end(), name) == kSkip.end()) subdirs.push_back(full);
  }
  closedir(d);
  for (const std::string& s : subdirs) Walk(s, depth + 1, out, entries);
}

// The section-qualified keys of a git config file, lower-cased ("core.hookspath", "filter.x.clean").
std::vector<std::string> ConfigKeys(const std::string& path) {
  std::vector<std::string> keys;
  std::ifstream in(path);
  std::string line, section;
  while (std::getline(in, line)) {
    std::string t;
    for (char c : line) t += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    size_t first = t.find_first_not_of(" \t");
    if (first == std::string::npos || t[first] == '#' || t[first] == ';') continue;
    if (t[first] == '[') {
      size_t end = t.find(']', first);
      section = t.substr(first + 1, end == std::string::npos ? std::string::npos : end - first - 1);
      std::erase(section, '"');
      std::replace(section.begin(), section.end(), ' ', '.');
      continue;
    }
    size_t eq = t.find_first_of("= \t", first);
    keys.push_back(section + "." + t.substr(first, eq == std::string::npos ? std::string::npos : eq - first));
  }
  return keys;
}

bool RunsCode(const std::string& config) {
  for (const std::string& key : ConfigKeys(config)) {
    for (std::string_view k : kCodeKeys) {
      if (key.starts_with(k)) return true;
    }
  }
  return false;
}

// A `.git` file made by `git worktree add`: "gitdir: <repo>/.git/worktrees/<name>" of a repository that was
// there before the run (whose hooks and config were read-only).
bool PointsIntoWorktreeOf(const std::string& file, const std::vector<std::string>& dirs) {
  std::ifstream in(file);
  std::string line;
  std::getline(in, line);
  if (!line.starts_with("gitdir: ")) return false;
  std::filesystem::path target(line.substr(8));
  if (target.is_relative()) target = std::filesystem::path(file).parent_path() / target;
  std::error_code ec;
  std::string real = std::filesystem::weakly_canonical(target, ec).string();
  if (ec) return false;
  for (const std::string& d : dirs) {
    if (real.starts_with(d + "/worktrees/")) return true;
  }
  return false;
}

}  // namespace

GitRepos FindGitRepos(const std::string& workspace) {
  GitRepos out;
  size_t entries = 0;
  Walk(workspace, 0, out, entries);
  return out;
}

WorkspaceGuard::WorkspaceGuard(std::string workspace) : workspace_(std::move(workspace)) {
  before_ = FindGitRepos(workspace_);
  for (const std::string& dir : before_.dirs) {
    for (std::string_view r : kRedirects) {
      std::string p = dir + "/" + std::string(r);
      if (Exists(p)) existing_.insert(p);
    }
  }
  for (std::string_view own : kOwnConfig) {
    std::string p = workspace_ + std::string(own);
    if (Exists(p)) existing_.insert(p);
  }
}

std::vector<Repair> WorkspaceGuard::CheckAfterRun() {
  std::vector<Repair> done;
  auto remove = [&](const std::string& path, const std::string& why) {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);  // does not follow symlinks
    done.push_back({path, (ec ? "could NOT remove (" + ec.message() + "): " : "removed: ") + why});
  };
  GitRepos after = FindGitRepos(workspace_);
  auto was = [](const std::vector<std::string>& v, const std::string& p) {
    return std::find(v.begin(), v.end(), p) != v.end();
  };
  for (const std::string& dir : after.dirs) {
    for (std::string_view r : kRedirects) {
      std::string p = dir + "/" + std::string(r);
      if (Exists(p) && !existing_.count(p)) remove(p, "a planted " + std::string(r) + " would point git at other config and hooks");
    }
    if (was(before_.dirs, dir)) continue;  // its hooks and config were read-only during the run
    std::vector<std::string> hooks;  // read first, removed after: the directory is not changed while read
    if (DIR* d = opendir((dir + "/hooks").c_str())) {
      while (dirent* e = readdir(d)) {
        std::string_view name = e->d_name;
        if (name != "." && name != ".." && !name.ends_with(".sample")) hooks.push_back(dir + "/hooks/" + std::string(name));
      }
      closedir(d);
    }
    for (const std::string& hook : hooks) remove(hook, "a hook in a repository the sandbox created would run outside it");
    if (RunsCode(dir + "/config")) {
      std::string quarantined = dir + "/config.cordon-quarantined";
      bool ok = rename((dir + "/config").c_str(), quarantined.c_str()) == 0;
      done.push_back({dir + "/config", std::string(ok ? "moved to config.cordon-quarantined: " : "could NOT move: ") +
                                           "it sets a program for git to run"});
    }
  }
  for (const std::string& file : after.files) {
    if (was(before_.files, file) || PointsIntoWorktreeOf(file, before_.dirs)) continue;
    remove(file, "a new .git file would point git at a directory the sandbox prepared");
  }
  for (std::string_view own : kOwnConfig) {
    std::string p = workspace_ + std::string(own);
    if (Exists(p) && !existing_.count(p)) remove(p, "cordon's own configuration is not the sandbox's to write");
  }
  return done;
}

}  // namespace cordon::guard
