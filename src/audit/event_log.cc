#include "audit/event_log.h"

#include <sys/random.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>

namespace cordon::audit {

std::string NewRunId() {
  unsigned char bytes[8] = {};
  if (getrandom(bytes, sizeof(bytes), 0) != static_cast<ssize_t>(sizeof(bytes))) {
    uint64_t t = static_cast<uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()) ^ getpid();
    for (unsigned char& b : bytes) {
      b = static_cast<unsigned char>(t);
      t >>= 8;
    }
  }
  static const char kHex[] = "0123456789abcdef";
  std::string id;
  for (unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 15];
  }
  return id;
}

}  // namespace cordon::audit
