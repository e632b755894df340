#include <cstring>

#include "base/result.h"

namespace cordon {

std::string Error::ToString() const {
  std::string out;
  for (auto it = context.rbegin(); it != context.rend(); ++it) {
    out += *it;
    out += ": ";
  }
  out += message;
  if (err != 0) {
    if (!message.empty()) out += ": ";
    out += std::strerror(err);
#ifdef __GLIBC__  // the Windows build's C library has no errno names
    if (const char* name = strerrorname_np(err)) {
      out += " (";
      out += name;
      out += ")";
    }
#endif
  }
  if (!hint.empty()) out += "; " + hint;
  return out;
}

}  // namespace cordon
