// The loopback half of the sandbox account's network policy as persistent WFP filters (Windows Firewall does not
// filter loopback): a sublayer of cordon's own, block filters at the ALE connect layers matched to the account
// (FWPM_CONDITION_ALE_USER_ID). Added in one transaction: all or nothing.
#pragma once

#include <string>
#include <vector>

#include "windows/win32.h"
#include "winplan/setup_record.h"

namespace cordon::windows {

struct WfpAdded {
  std::string sublayer;              // "{GUID}"
  std::vector<std::string> filters;  // "{GUID}"s
};

Result<WfpAdded> AddWfpFilters(const std::string& account_sid, const std::vector<winplan::WfpFilterSpec>& specs);
// Removes the filters, then the sublayer; ones already gone are not an error.
Status RemoveWfp(const std::vector<std::string>& filters, const std::string& sublayer);

}  // namespace cordon::windows
