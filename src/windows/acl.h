// ACEs on files and directories (winplan::AceOp), and the record that lets `cordon.exe setup --undo` remove them.
// Not protected: an inheritable ACE reaches only the children Windows propagates it to; objects reached through a
// junction or symbolic link keep their own DACL (and so refuse the write-restricted token: that is the point).
#pragma once

#include <string>
#include <vector>

#include "windows/win32.h"
#include "winplan/windows_plan.h"

namespace cordon::windows {

struct AppliedAce {
  std::string path;  // native
  std::string sid;
  bool deny = false;
  uint32_t mask = 0;
};

// Adds the ACE unless an equal explicit one is there already; true when it added one. The path must not itself be
// a reparse point (it was resolved).
Result<bool> AddAce(const AppliedAce& ace, bool inherit);
// Removes the explicit ACEs for `ace.sid` of that type from the path's DACL (inherited ones go with them).
Status RemoveAce(const AppliedAce& ace);

// %LOCALAPPDATA%\cordon\acl-record.json: the persistent ACEs added so far.
Result<std::vector<AppliedAce>> ReadAceRecord();
Status AppendAceRecord(const AppliedAce& ace);
Status DeleteAceRecord();

// %LOCALAPPDATA%\cordon, created when missing.
Result<std::wstring> StateDirectory();

}  // namespace cordon::windows
