#include "winplan/defaults.h"

namespace cordon::winplan {

const std::vector<std::string>& WindowsDefaultDenyRead() {
  static const std::vector<std::string> kList = {
      // DPAPI keys, Credential Manager, certificates
      "~/AppData/Roaming/Microsoft/Protect", "~/AppData/Roaming/Microsoft/Credentials",
      "~/AppData/Local/Microsoft/Credentials", "~/AppData/Roaming/Microsoft/Crypto",
      "~/AppData/Roaming/Microsoft/SystemCertificates", "~/AppData/Roaming/Microsoft/Vault",
      "~/AppData/Local/Microsoft/Vault",
      // the registry hive of the profile, PowerShell history
      "~/NTUSER.DAT", "~/AppData/Roaming/Microsoft/Windows/PowerShell/PSReadLine",
      // browsers
      "~/AppData/Local/Google/Chrome/User Data", "~/AppData/Local/Microsoft/Edge/User Data",
      "~/AppData/Local/BraveSoftware", "~/AppData/Roaming/Mozilla", "~/AppData/Roaming/Opera Software",
      // tools' tokens
      "~/AppData/Roaming/GitHub CLI", "~/AppData/Roaming/gcloud", "~/AppData/Roaming/npm/etc/npmrc",
      "~/AppData/Roaming/Code/User/globalStorage", "~/AppData/Roaming/1Password", "~/AppData/Local/1Password",
      "~/AppData/Roaming/Bitwarden", "~/AppData/Roaming/Slack", "~/AppData/Roaming/discord",
      "~/AppData/Roaming/Signal", "~/AppData/Roaming/Telegram Desktop", "~/AppData/Roaming/KeePass",
      "~/AppData/Roaming/rclone", "~/AppData/Roaming/pip", "~/AppData/Roaming/pypoetry", "~/AppData/Roaming/NuGet",
      "~/AppData/Roaming/Docker", "~/AppData/Local/Docker"};
  return kList;
}

}  // namespace cordon::winplan
