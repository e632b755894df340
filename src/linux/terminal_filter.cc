#include "linux/terminal_filter.h"

namespace cordon::linux_backend {
namespace {

constexpr char kEsc = 0x1b;
constexpr char kBel = 0x07;
constexpr size_t kMaxCsi = 64;

// A CSI sequence the terminal answers (into its input), by its final byte and intermediates.
bool Requests(const std::string& csi) {
  const char final = csi.back();
  if (final == 't' || final == 'n' || final == 'c' || final == 'x') return true;  // window ops, DSR, DA, DECREQTPARM
  return final == 'p' && csi.find('$') != std::string::npos;                        // DECRQM
}

}  // namespace

void TerminalFilter::Write(std::string_view in, std::string& out) {
  for (char c : in) {
    switch (state_) {
      case State::kText:
        if (c == kEsc) state_ = State::kEscape;
        else out += c;
        break;
      case State::kEscape:
        if (c == '[') {
          csi_ = "\x1b[";
          state_ = State::kCsi;
        } else if (c == ']' || c == 'P' || c == '_' || c == '^' || c == 'X') {  // OSC DCS APC PM SOS
          ++removed_;
          state_ = State::kString;
        } else {
          out += kEsc;
          out += c;
          state_ = c == kEsc ? State::kEscape : State::kText;
          if (c == kEsc) out.pop_back();  // ESC ESC: the second one starts again
        }
        break;
      case State::kCsi:
        csi_ += c;
        if (c >= 0x40 && c <= 0x7e) {
          if (Requests(csi_)) ++removed_;
          else out += csi_;
          state_ = State::kText;
        } else if (csi_.size() > kMaxCsi) {
          ++removed_;
          state_ = State::kText;
        }
        break;
      case State::kString:
        if (c == kBel) state_ = State::kText;
        else if (c == kEsc) state_ = State::kStringEscape;
        break;
      case State::kStringEscape:
        state_ = c == '\\' ? State::kText : c == kEsc ? State::kStringEscape : State::kString;
        break;
    }
  }
}

}  // namespace cordon::linux_backend
