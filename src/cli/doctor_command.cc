// cordon doctor: what this kernel gives, and so which layers each profile has.
#include <cstdio>

#include "cli/commands.h"
#include "linux/cgroups.h"
#include "linux/kernel_facts.h"

namespace cordon::cli {
namespace {

const char* YesNo(bool b) { return b ? "yes" : "NO"; }

Result<int> Doctor() {
  linux_backend::KernelFacts k = linux_backend::ProbeKernel();
  std::printf("kernel:              %s\n", k.kernel.c_str());
  std::printf("caller:              %s\n", k.running_as_root ? "root (the sandbox drops every capability)" : "unprivileged");
  std::printf("user namespaces:     %s%s%s\n", YesNo(k.user_namespaces), k.user_namespaces ? "" : " - ",
              k.user_namespaces_detail.c_str());
  if (k.landlock_abi > 0) {
    std::printf("landlock:            yes, ABI %d%s\n", k.landlock_abi,
                k.landlock_abi >= 6 ? " (filesystem + abstract-socket and signal scoping)" : " (filesystem only)");
  } else {
    std::printf("landlock:            NO - boot with lsm=...,landlock (policies then need best_effort = true)\n");
  }
  std::printf("seccomp filters:     %s\n", YesNo(k.seccomp_filter));
  std::string cg = linux_backend::cgroups::Availability();
  if (cg.empty()) {
    std::printf("limits enforced by:  rlimits only: no delegated cgroup v2 and no writable cgroup v1 (memory per "
                "process and by address space; processes per user namespace)\n");
  } else {
    std::printf("limits enforced by:  rlimits + %s (total processes and memory)\n", cg.c_str());
  }
  std::printf("accounting (run.end): CPU time of every process; peak memory of %s\n",
              cg.empty() ? "the largest process (no cgroup: the sandbox as a whole is not measured)"
                         : "the whole sandbox (cgroup); OOM kills and forks refused at the process limit");
  std::printf("TIOCSTI:             %s; cordon refuses it by seccomp and setsid anyway\n", k.tiocsti.c_str());
  bool ok = k.user_namespaces && k.landlock_abi > 0 && k.seccomp_filter;
  const char* layers = cg.empty() ? "namespaces + mounts + landlock + seccomp + rlimits"
                                  : "namespaces + mounts + landlock + seccomp + rlimits + cgroups";
  std::printf("\nprofile read-only:        %s\n", ok ? layers : "UNAVAILABLE");
  std::printf("profile workspace-write:  %s\n", ok ? layers : "UNAVAILABLE");
  std::printf("profile full:             no sandbox (explicit opt-in only)\n");
  return ok ? 0 : 1;
}

}  // namespace

void AddDoctorCommand(CLI::App& app, Action& action) {
  CLI::App* doctor = app.add_subcommand("doctor", "report what this kernel gives the sandbox");
  doctor->callback([&action] { action = [] { return Doctor(); }; });
}

}  // namespace cordon::cli
