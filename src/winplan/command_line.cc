#include "winplan/command_line.h"

#include "winplan/win_path.h"

namespace cordon::winplan {
namespace {

std::string Quote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_of(" \t\n\v\"") == std::string::npos) return arg;
  std::string out = "\"";
  size_t backslashes = 0;
  for (char c : arg) {
    if (c == '\\') {
      ++backslashes;
      continue;
    }
    out.append(c == '"' ? backslashes * 2 + 1 : backslashes, '\\');
    backslashes = 0;
    out += c;
  }
  out.append(backslashes * 2, '\\');
  return out + "\"";
}

}  // namespace

bool IsBatchFile(const std::string& program) {
  const std::string p = FoldCase(program);
  return p.ends_with(".BAT") || p.ends_with(".CMD");
}

Result<std::string> CommandLine(const std::vector<std::string>& argv, bool batch_file) {
  std::string out;
  for (size_t i = 0; i < argv.size(); ++i) {
    if (batch_file && i > 0 && argv[i].find_first_of("\"%!^&|<>()\r\n") != std::string::npos) {
      return MakeError("argument " + std::to_string(i) + " of a batch file holds a character cmd.exe interprets (" +
                       "\" % ! ^ & | < > ( ) or a line break): it cannot be passed safely; run the program the batch "
                       "file runs instead");
    }
    if (i > 0) out += ' ';
    out += Quote(argv[i]);
  }
  return out;
}

}  // namespace cordon::winplan
