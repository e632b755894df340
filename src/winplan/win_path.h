// Windows path rules, as plain string functions that build and are tested on Linux.
//
// The platform-neutral plan keeps POSIX-shaped paths, so a Windows drive path travels through policy/ and plan/ in
// "plan form": "C:\Users\me" is "/C:/Users/me" (drive letter upper case, forward slashes). The lexical helpers of
// policy/paths.h (normalise, IsSameOrUnder, EffectiveAccess) then work unchanged; this file converts between plan
// form and what Win32 accepts, and refuses the spellings that let one file go by several names:
//   - alternate data streams ("f:s", "f:s:$DATA"); "f::$DATA" is the file itself and "d:$I30:$INDEX_ALLOCATION"
//     (or "d::$INDEX_ALLOCATION") the directory itself, so both are folded onto the plain name;
//   - trailing dots and spaces (Win32 strips them: ".git." opens ".git");
//   - 8.3 short names ("PROGRA~1"): only the file system knows what they stand for, so they are reported for the
//     Win32 layer to resolve (GetLongPathNameW) and refused when left unresolved;
//   - reserved device names in any component (CON, NUL.txt, COM1, LPT¹, CONIN$), device paths ("\\.\x",
//     "\\?\GLOBALROOT"), UNC shares ("\\server\share", "\\?\UNC\x"), drive-relative ("C:x") and rooted ("\x") paths.
// Case: NTFS compares names case-insensitively (".GiT" is ".git"); Key() folds ASCII letters. Non-ASCII case
// variants are not folded here (the file system's upcase table is not available on Linux): rules that must
// hold for them live in ACLs, which attach to the object whatever it is called.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"

namespace cordon::winplan {

// A local drive path, split: drive letter and components as written (case kept, aliases folded).
struct WinPath {
  char drive = 0;                  // 'A'..'Z'
  std::vector<std::string> parts;  // no empty, ".", ".." components
  bool has_short_names = false;    // a component looks like an 8.3 alias (IsShortNameAlias)

  std::string Native() const;    // C:\Users\me   (C:\ for the root)
  std::string Extended() const;  // \\?\C:\Users\me: no MAX_PATH limit, no further Win32 rewriting
  std::string PlanPath() const;  // /C:/Users/me  (/C: for the root)
  std::string Key() const;       // PlanPath with ASCII letters upper-cased: equal keys, same file
};

// Parses a path from a user, a policy, the plan or the OS: "C:\x", "C:/x", "\\?\C:\x", "/C:/x". Collapses "."
// and "..", folds the stream aliases of the plain name, strips trailing dots and spaces (not for \\?\ input,
// where they are literal and so refused), and refuses everything listed above with a reason.
Result<WinPath> ParseWinPath(std::string_view text);

// "PROGRA~1", "GIT~2.TXT": at most 8 characters, "~" followed by digits, an optional extension of at most 3.
bool IsShortNameAlias(std::string_view component);
// CON, PRN, AUX, NUL, COM0-9, LPT0-9 (and the superscript ¹²³ forms), CONIN$, CONOUT$: with any extension and
// trailing dots or spaces, in any case.
bool IsReservedDeviceName(std::string_view component);
// ASCII upper case.
std::string FoldCase(std::string_view s);
// Plan-form key for any POSIX-shaped plan path (a Linux-only path such as "/usr" folds too).
std::string KeyOf(std::string_view plan_path);
// True when a plan path names a Windows drive ("/C:" or "/C:/...").
bool IsDrivePlanPath(std::string_view plan_path);

}  // namespace cordon::winplan
