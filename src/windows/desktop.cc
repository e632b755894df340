#include "windows/desktop.h"

#include <sddl.h>

#include <utility>

namespace cordon::windows {

PrivateDesktop::PrivateDesktop(PrivateDesktop&& o) noexcept
    : station_(o.station_), desktop_(o.desktop_), name_(std::move(o.name_)) {
  o.station_ = nullptr;
  o.desktop_ = nullptr;
}

PrivateDesktop& PrivateDesktop::operator=(PrivateDesktop&& o) noexcept {
  std::swap(station_, o.station_);
  std::swap(desktop_, o.desktop_);
  std::swap(name_, o.name_);
  return *this;
}

PrivateDesktop::~PrivateDesktop() {
  if (desktop_ != nullptr) CloseDesktop(desktop_);
  if (station_ != nullptr) CloseWindowStation(station_);
}

Result<PrivateDesktop> PrivateDesktop::Create(const std::string& run_id, const std::string& sandbox_sid) {
  CORDON_ASSIGN_OR_RETURN(std::string user, CurrentUserSid());
  const std::wstring sddl = Widen("D:(A;;GA;;;" + user + ")(A;;GA;;;" + sandbox_sid + ")(A;;GA;;;SY)");
  PSECURITY_DESCRIPTOR sd = nullptr;
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &sd, nullptr)) {
    return LastError("building the desktop's security descriptor");
  }
  LocalPtr<void> owned_sd(sd);
  SECURITY_ATTRIBUTES sa{sizeof sa, sd, FALSE};
  PrivateDesktop d;
  const std::wstring station_name = Widen("cordon-" + run_id);
  d.station_ = CreateWindowStationW(station_name.c_str(), 0, WINSTA_ALL_ACCESS, &sa);
  if (d.station_ == nullptr) return LastError("CreateWindowStation");
  // A desktop is created in the process's current window station: switch to the new one for the call.
  HWINSTA previous = GetProcessWindowStation();
  if (!SetProcessWindowStation(d.station_)) return LastError("SetProcessWindowStation");
  d.desktop_ = CreateDesktopW(L"sandbox", nullptr, nullptr, 0, GENERIC_ALL, &sa);
  const DWORD create_error = GetLastError();
  SetProcessWindowStation(previous);
  if (d.desktop_ == nullptr) return Win32Error("CreateDesktop", create_error);
  d.name_ = station_name + L"\\sandbox";
  return d;
}

}  // namespace cordon::windows
