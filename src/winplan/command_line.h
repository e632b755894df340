// argv -> the one command-line string CreateProcess takes, quoted for the Microsoft C runtime's parser
// (CommandLineToArgvW rules), so the program sees exactly the plan's argv.
#pragma once

#include <string>
#include <vector>

#include "base/result.h"

namespace cordon::winplan {

// Every argument is quoted when it is empty or holds a space, tab or quote; backslashes before a quote (and before the
// closing quote) are doubled. Batch files (.bat, .cmd) are parsed by cmd.exe instead, whose rules no quoting makes
// safe for arbitrary text (%VAR% expansion, & | < > ^ outside quotes, "BatBadBut"): for them an argument holding
// any of " % ! ^ & | < > ( ) or a line break is refused.
Result<std::string> CommandLine(const std::vector<std::string>& argv, bool batch_file);

// True when the program is run by cmd.exe (.bat, .cmd in any case).
bool IsBatchFile(const std::string& program);

}  // namespace cordon::winplan
