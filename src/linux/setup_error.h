// What a child reports when a setup step fails: the step, the errno and the path involved. Written to the
// error pipe as one fixed-size record (no allocation after clone), read and turned into an Error by the parent.
#pragma once

#include <cstring>

namespace cordon::linux_backend {

struct SetupFailure {
  char step[64] = {};
  char detail[256] = {};
  int err = 0;
  int exec_failed = 0;  // 1 when execve itself failed (exit 126/127, not 125)

  void Set(const char* s, int e, const char* d = nullptr) {
    std::strncpy(step, s, sizeof(step) - 1);
    if (d != nullptr) std::strncpy(detail, d, sizeof(detail) - 1);
    err = e;
  }
};

}  // namespace cordon::linux_backend
