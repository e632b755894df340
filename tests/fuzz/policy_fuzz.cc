// libFuzzer target: the policy loader must turn any input into a Policy or an Error, never crash, hang or
// throw. Built only with clang and -DCORDON_FUZZ=ON (tests/fuzz/CMakeLists.txt).
#include <cstddef>
#include <cstdint>
#include <string>

#include "policy/toml_loader.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  cordon::Result<cordon::policy::Policy> r = cordon::policy::LoadPolicyText(text, "fuzz.toml");
  if (r.ok()) {
    // A policy that loads is whole: its paths are non-empty and its limits positive.
    const cordon::policy::Policy& p = *r;
    for (const auto* list : {&p.fs.read, &p.fs.write, &p.fs.deny_read, &p.fs.deny_write, &p.fs.unix_sockets}) {
      for (const cordon::policy::PathEntry& e : *list) {
        if (e.path.empty()) __builtin_trap();
      }
    }
    if (p.limits.processes == 0 || p.limits.open_files == 0 || p.limits.memory_bytes == 0) __builtin_trap();
    if (!(p.limits.timeout_seconds >= 0)) __builtin_trap();
  } else if (r.error().message.empty()) {
    __builtin_trap();  // every error says something
  }
  // ParseSize on the same bytes: must not throw either.
  (void)cordon::policy::ParseSize(text);
  return 0;
}
