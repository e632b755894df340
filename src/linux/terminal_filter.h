// What a command may not send to the caller's terminal: when cordon's output is a terminal, the command's bytes
// pass through this filter (after the redactor). Terminals answer some requests by typing the answer into their
// input — a window title reported back (CSI 21 t), a status string (DCS), the cursor position — which after the
// run lands in the caller's shell as keystrokes, the TIOCSTI attack without TIOCSTI; others write the clipboard
// (OSC 52). So: OSC, DCS, APC, PM and SOS strings are removed whole, and the CSI requests that make the terminal
// reply (t, n, c, x, and $p) are dropped; colours, cursor movement and erasing pass. Sequences split across
// writes are followed; a CSI longer than 64 bytes is dropped.
// Not filtered: 8-bit C1 controls (UTF-8 terminals do not act on them), pipes and files (no terminal).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace cordon::linux_backend {

class TerminalFilter {
 public:
  // Appends to `out` what may reach the terminal.
  void Write(std::string_view in, std::string& out);
  uint64_t removed() const { return removed_; }  // sequences taken out

 private:
  enum class State { kText, kEscape, kCsi, kString, kStringEscape };
  State state_ = State::kText;
  std::string csi_;  // the CSI sequence being read, from its ESC
  uint64_t removed_ = 0;
};

}  // namespace cordon::linux_backend
