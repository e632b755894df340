#include "winplan/identity.h"

#include "winplan/sha256.h"

namespace cordon::winplan {

std::string WorkspaceSid(std::string_view workspace_key) {
  const std::array<uint8_t, 32> digest = Sha256("cordon.workspace:" + std::string(workspace_key));
  std::string sid = "S-1-15-3-1024";
  for (size_t i = 0; i < digest.size(); i += 4) {
    const uint32_t d = uint32_t{digest[i]} | (uint32_t{digest[i + 1]} << 8) | (uint32_t{digest[i + 2]} << 16) |
                       (uint32_t{digest[i + 3]} << 24);
    sid += "-" + std::to_string(d);
  }
  return sid;
}

}  // namespace cordon::winplan
