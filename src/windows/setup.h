// `cordon.exe setup` and `setup --undo`: the sandbox account, its stored password, its Windows Firewall rules and
// WFP filters, recorded step by step in %LOCALAPPDATA%\cordon\setup-record.json so that --undo removes exactly what
// was added (also after a setup that failed half-way).
#pragma once

#include <optional>
#include <string>

#include "windows/win32.h"
#include "winplan/setup_record.h"

namespace cordon::windows {

Result<std::wstring> SetupRecordPath();
// The record, or nullopt when setup has not run (or was undone).
Result<std::optional<winplan::SetupRecord>> ReadSetupRecord();

// Requires elevation (an error saying so otherwise). Prints what it added.
Status RunSetup();
// Removes what the record lists (elevation required when there is a record), then the ACEs of acl-record.json.
Status UndoSetup();

}  // namespace cordon::windows
