// SHA-256 (FIPS 180-4), for deriving SIDs from names. Small and dependency-free so the Windows build, which has no
// libsodium, computes the same SID as the Linux unit tests check.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace cordon::winplan {

std::array<uint8_t, 32> Sha256(std::string_view data);

}  // namespace cordon::winplan
