// What this kernel and configuration give a sandbox; `cordon doctor` prints it. Parent side, read-only.
#pragma once

#include <string>
#include <vector>

namespace cordon::linux_backend {

struct KernelFacts {
  std::string kernel;
  bool user_namespaces = false;
  std::string user_namespaces_detail;  // why not, and how to fix it
  int landlock_abi = 0;
  bool seccomp_filter = false;
  std::string tiocsti;    // "disabled (dev.tty.legacy_tiocsti=0)", "enabled (…)", "not configurable"
  bool running_as_root = false;
};

KernelFacts ProbeKernel();

}  // namespace cordon::linux_backend
