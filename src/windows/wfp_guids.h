// The WFP layer and condition keys and flags wfp.cc uses that mingw-w64's fwpmu.h does not define (values from the
// Windows SDK's fwpmu.h / fwpmtypes.h). Include after <fwpmu.h>, in one translation unit.
#pragma once

#include <guiddef.h>

namespace cordon::windows::wfp {

// c38d57d1-05a7-4c33-904f-7fbceee60e82
inline constexpr GUID kLayerAleAuthConnectV4 = {0xc38d57d1, 0x05a7, 0x4c33, {0x90, 0x4f, 0x7f, 0xbc, 0xee, 0xe6, 0x0e, 0x82}};
// 4a72393b-319f-44bc-84c3-ba54dcb3b6b4
inline constexpr GUID kLayerAleAuthConnectV6 = {0x4a72393b, 0x319f, 0x44bc, {0x84, 0xc3, 0xba, 0x54, 0xdc, 0xb3, 0xb6, 0xb4}};
// af043a0a-b34d-4f86-979c-c90371af6e66
inline constexpr GUID kConditionAleUserId = {0xaf043a0a, 0xb34d, 0x4f86, {0x97, 0x9c, 0xc9, 0x03, 0x71, 0xaf, 0x6e, 0x66}};
// b235ae9a-1d64-49b8-a44c-5ff3d9095045
inline constexpr GUID kConditionIpRemoteAddress = {0xb235ae9a, 0x1d64, 0x49b8, {0xa4, 0x4c, 0x5f, 0xf3, 0xd9, 0x09, 0x50, 0x45}};
// 3971ef2b-623e-4f9a-8cb1-6e79b806b9a7
inline constexpr GUID kConditionIpProtocol = {0x3971ef2b, 0x623e, 0x4f9a, {0x8c, 0xb1, 0x6e, 0x79, 0xb8, 0x06, 0xb9, 0xa7}};
// c35a604d-d22b-4e1a-91b4-68f674ee674b
inline constexpr GUID kConditionIpRemotePort = {0xc35a604d, 0xd22b, 0x4e1a, {0x91, 0xb4, 0x68, 0xf6, 0x74, 0xee, 0x67, 0x4b}};

inline constexpr UINT32 kFilterFlagPersistent = 0x00000001;    // FWPM_FILTER_FLAG_PERSISTENT
inline constexpr UINT32 kSublayerFlagPersistent = 0x00000001;  // FWPM_SUBLAYER_FLAG_PERSISTENT

}  // namespace cordon::windows::wfp
