// A window station and desktop of the sandbox's own: its windows, hooks, clipboard and global atoms are apart from
// the user's, so it cannot send keystrokes to or read the screen of the user's programs. Held for the run.
#pragma once

#include <string>

#include "windows/win32.h"

namespace cordon::windows {

class PrivateDesktop {
 public:
  PrivateDesktop() = default;
  PrivateDesktop(PrivateDesktop&& o) noexcept;
  PrivateDesktop& operator=(PrivateDesktop&& o) noexcept;
  PrivateDesktop(const PrivateDesktop&) = delete;
  PrivateDesktop& operator=(const PrivateDesktop&) = delete;
  ~PrivateDesktop();
  // For STARTUPINFO.lpDesktop: "station\desktop".
  const std::wstring& name() const { return name_; }

  // Parent side. Both objects grant access to the caller and to `sandbox_sid` (the token's restricting SID) only.
  static Result<PrivateDesktop> Create(const std::string& run_id, const std::string& sandbox_sid);

 private:
  HWINSTA station_ = nullptr;
  HDESK desktop_ = nullptr;
  std::wstring name_;
};

}  // namespace cordon::windows
