#include "winplan/program_search.h"

#include "policy/paths.h"
#include "winplan/environment.h"

namespace cordon::winplan {
namespace {

std::vector<std::string> Extensions(const std::string& pathext) {
  return SplitPathList(pathext.empty() ? ".COM;.EXE;.BAT;.CMD" : pathext);
}

bool HasListedExtension(const std::string& name, const std::vector<std::string>& exts) {
  const std::string folded = FoldCase(name);
  for (const std::string& e : exts) {
    if (folded.size() > e.size() && folded.ends_with(FoldCase(e))) return true;
  }
  return false;
}

// The file itself (its name as stored, links followed) when `p` is one.
std::optional<WinPath> FileAt(const WinPath& p, PathResolver& resolver) {
  if (!resolver.IsFile(p)) return std::nullopt;
  Result<std::optional<WinPath>> resolved = resolver.Resolve(p);
  return resolved.ok() && *resolved ? **resolved : p;
}

// The file `base` names, as is when it carries an extension from the list, else with each extension in turn.
std::optional<WinPath> TryCandidates(const WinPath& base, const std::vector<std::string>& exts, PathResolver& resolver) {
  if (base.parts.empty()) return std::nullopt;
  if (HasListedExtension(base.parts.back(), exts)) return FileAt(base, resolver);
  for (const std::string& e : exts) {
    WinPath p = base;
    p.parts.back() += e;
    if (std::optional<WinPath> found = FileAt(p, resolver)) return found;
  }
  return std::nullopt;
}

bool IsWritable(const WinPath& dir, const std::vector<std::string>& writable_keys) {
  for (const std::string& k : writable_keys) {
    if (policy::IsSameOrUnder(dir.Key(), k)) return true;
  }
  return false;
}

}  // namespace

Result<std::optional<WinPath>> FindProgram(const std::string& name, const WinPath& cwd, const ProgramSearch& search,
                                           PathResolver& resolver) {
  const std::vector<std::string> exts = Extensions(search.pathext);
  if (name.empty()) return MakeError("empty program name");
  if (name.find_first_of("\\/:") != std::string::npos) {
    const bool absolute = name.size() >= 2 && (name[1] == ':' || name.starts_with("\\\\"));
    CORDON_ASSIGN_OR_RETURN(WinPath p, ParseWinPath(absolute ? name : cwd.Native() + "\\" + name));
    return TryCandidates(p, exts, resolver);
  }
  // A bare name must not be a device or a stream ("NUL", "x:y" was handled above).
  CORDON_ASSIGN_OR_RETURN(WinPath as_child, ParseWinPath(cwd.Native() + "\\" + name));
  for (const std::string& dir : SplitPathList(search.path)) {
    Result<WinPath> d = ParseWinPath(dir);
    if (!d.ok() || IsWritable(*d, search.writable_keys)) continue;
    WinPath candidate = *d;
    candidate.parts.push_back(as_child.parts.back());
    if (std::optional<WinPath> found = TryCandidates(candidate, exts, resolver)) return found;
  }
  return std::optional<WinPath>();
}

bool ShadowsProgram(const std::string& filename, const std::string& program, const std::string& pathext) {
  std::vector<std::string> exts = Extensions(pathext);
  exts.push_back(".PS1");
  const std::string file = FoldCase(filename);
  const std::string prog = FoldCase(program);
  for (const std::string& e : exts) {
    if (file == prog + FoldCase(e)) return true;
  }
  return false;
}

}  // namespace cordon::winplan
