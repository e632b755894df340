#include "windows/wfp.h"

// clang-format off
#include <winsock2.h>
#include <windows.h>
#include <fwpmu.h>
#include <sddl.h>
// clang-format on

#include <objbase.h>

#include "windows/wfp_guids.h"

namespace cordon::windows {
namespace {

// An FWP engine session, closed on destruction; a transaction not committed is aborted.
class Engine {
 public:
  ~Engine() {
    if (in_transaction_) FwpmTransactionAbort0(h_);
    if (h_ != nullptr) FwpmEngineClose0(h_);
  }
  Status Open() {
    FWPM_SESSION0 session{};
    const DWORD rc = FwpmEngineOpen0(nullptr, RPC_C_AUTHN_WINNT, nullptr, &session, &h_);
    if (rc != ERROR_SUCCESS) return Win32Error("FwpmEngineOpen0", rc);
    return {};
  }
  Status Begin() {
    const DWORD rc = FwpmTransactionBegin0(h_, 0);
    if (rc != ERROR_SUCCESS) return Win32Error("FwpmTransactionBegin0", rc);
    in_transaction_ = true;
    return {};
  }
  Status Commit() {
    const DWORD rc = FwpmTransactionCommit0(h_);
    if (rc != ERROR_SUCCESS) return Win32Error("FwpmTransactionCommit0", rc);
    in_transaction_ = false;
    return {};
  }
  HANDLE get() const { return h_; }

 private:
  HANDLE h_ = nullptr;
  bool in_transaction_ = false;
};

std::string GuidText(const GUID& g) {
  wchar_t buf[64];
  StringFromGUID2(g, buf, 64);
  return Narrow(buf);
}

Result<GUID> ParseGuid(const std::string& text) {
  GUID g{};
  std::wstring w = Widen(text);
  if (FAILED(CLSIDFromString(w.c_str(), &g))) return MakeError("not a GUID: " + text);
  return g;
}

Result<GUID> NewGuid() {
  GUID g{};
  const HRESULT hr = CoCreateGuid(&g);
  if (FAILED(hr)) return Win32Error("CoCreateGuid", static_cast<DWORD>(hr));
  return g;
}

}  // namespace

Result<WfpAdded> AddWfpFilters(const std::string& account_sid, const std::vector<winplan::WfpFilterSpec>& specs) {
  // ALE_USER_ID matches when this descriptor grants FWP_ACTRL_MATCH_FILTER (CC) to the connecting token.
  PSECURITY_DESCRIPTOR sd = nullptr;
  ULONG sd_size = 0;
  const std::wstring sddl = Widen(winplan::UserScopeSddl(account_sid));
  if (!ConvertStringSecurityDescriptorToSecurityDescriptorW(sddl.c_str(), SDDL_REVISION_1, &sd, &sd_size)) {
    return LastError("ConvertStringSecurityDescriptorToSecurityDescriptor");
  }
  LocalPtr<void> owned_sd(sd);
  FWP_BYTE_BLOB sd_blob{sd_size, static_cast<UINT8*>(sd)};

  Engine engine;
  CORDON_TRY(engine.Open());
  CORDON_TRY(engine.Begin());
  WfpAdded added;
  CORDON_ASSIGN_OR_RETURN(GUID sublayer_key, NewGuid());
  std::wstring sublayer_name = L"cordon sandbox account";
  FWPM_SUBLAYER0 sublayer{};
  sublayer.subLayerKey = sublayer_key;
  sublayer.displayData.name = sublayer_name.data();
  sublayer.flags = wfp::kSublayerFlagPersistent;
  sublayer.weight = 0xFFFF;  // evaluated before the other sublayers; a block in any sublayer wins over soft permits
  DWORD rc = FwpmSubLayerAdd0(engine.get(), &sublayer, nullptr);
  if (rc != ERROR_SUCCESS) return Win32Error("FwpmSubLayerAdd0", rc);
  added.sublayer = GuidText(sublayer_key);

  FWP_V4_ADDR_AND_MASK loopback{0x7F000000, 0xFF000000};
  for (const winplan::WfpFilterSpec& spec : specs) {
    std::vector<FWPM_FILTER_CONDITION0> conds;
    FWPM_FILTER_CONDITION0 user{};
    user.fieldKey = wfp::kConditionAleUserId;
    user.matchType = FWP_MATCH_EQUAL;
    user.conditionValue.type = FWP_SECURITY_DESCRIPTOR_TYPE;
    user.conditionValue.sd = &sd_blob;
    conds.push_back(user);
    if (!spec.v6) {
      FWPM_FILTER_CONDITION0 addr{};
      addr.fieldKey = wfp::kConditionIpRemoteAddress;
      addr.matchType = FWP_MATCH_EQUAL;
      addr.conditionValue.type = FWP_V4_ADDR_MASK;
      addr.conditionValue.v4AddrMask = &loopback;
      conds.push_back(addr);
    }
    if (spec.protocol == winplan::FwProtocol::kTcp || spec.protocol == winplan::FwProtocol::kUdp) {
      FWPM_FILTER_CONDITION0 proto{};
      proto.fieldKey = wfp::kConditionIpProtocol;
      proto.matchType = FWP_MATCH_EQUAL;
      proto.conditionValue.type = FWP_UINT8;
      proto.conditionValue.uint8 = spec.protocol == winplan::FwProtocol::kTcp ? IPPROTO_TCP : IPPROTO_UDP;
      conds.push_back(proto);
    }
    FWP_RANGE0 ports{};
    if (spec.remote_ports.first != 0 || spec.remote_ports.last != 0) {
      ports.valueLow.type = FWP_UINT16;
      ports.valueLow.uint16 = spec.remote_ports.first;
      ports.valueHigh.type = FWP_UINT16;
      ports.valueHigh.uint16 = spec.remote_ports.last;
      FWPM_FILTER_CONDITION0 port{};
      port.fieldKey = wfp::kConditionIpRemotePort;
      port.matchType = FWP_MATCH_RANGE;
      port.conditionValue.type = FWP_RANGE_TYPE;
      port.conditionValue.rangeValue = &ports;
      conds.push_back(port);
    }
    std::wstring name = Widen(spec.name);
    FWPM_FILTER0 filter{};
    CORDON_ASSIGN_OR_RETURN(filter.filterKey, NewGuid());
    filter.displayData.name = name.data();
    filter.flags = wfp::kFilterFlagPersistent;
    filter.layerKey = spec.v6 ? wfp::kLayerAleAuthConnectV6 : wfp::kLayerAleAuthConnectV4;
    filter.subLayerKey = sublayer_key;
    filter.weight.type = FWP_UINT8;
    filter.weight.uint8 = 15;
    filter.action.type = FWP_ACTION_BLOCK;
    filter.numFilterConditions = static_cast<UINT32>(conds.size());
    filter.filterCondition = conds.data();
    UINT64 id = 0;
    rc = FwpmFilterAdd0(engine.get(), &filter, nullptr, &id);
    if (rc != ERROR_SUCCESS) return Win32Error("FwpmFilterAdd0 " + spec.name, rc);
    added.filters.push_back(GuidText(filter.filterKey));
  }
  CORDON_TRY(engine.Commit());
  return added;
}

Status RemoveWfp(const std::vector<std::string>& filters, const std::string& sublayer) {
  if (filters.empty() && sublayer.empty()) return {};  // nothing was added: no engine needed
  Engine engine;
  CORDON_TRY(engine.Open());
  for (const std::string& f : filters) {
    CORDON_ASSIGN_OR_RETURN(GUID key, ParseGuid(f));
    const DWORD rc = FwpmFilterDeleteByKey0(engine.get(), &key);
    if (rc != ERROR_SUCCESS && rc != static_cast<DWORD>(FWP_E_FILTER_NOT_FOUND)) return Win32Error("FwpmFilterDeleteByKey0 " + f, rc);
  }
  if (!sublayer.empty()) {
    CORDON_ASSIGN_OR_RETURN(GUID key, ParseGuid(sublayer));
    const DWORD rc = FwpmSubLayerDeleteByKey0(engine.get(), &key);
    if (rc != ERROR_SUCCESS && rc != static_cast<DWORD>(FWP_E_SUBLAYER_NOT_FOUND)) {
      return Win32Error("FwpmSubLayerDeleteByKey0 " + sublayer, rc);
    }
  }
  return {};
}

}  // namespace cordon::windows
