#include "linux/rlimits.h"

#include <algorithm>
#include <cerrno>

namespace cordon::linux_backend::rlimits {
namespace {

Entry Capped(int resource, uint64_t want) {
  rlimit current{};
  getrlimit(resource, &current);
  rlim_t v = static_cast<rlim_t>(want);
  if (current.rlim_max != RLIM_INFINITY) v = std::min(v, current.rlim_max);
  return {resource, {v, v}};
}

}  // namespace

Prepared Prepare(const policy::Limits& l, uint64_t address_space) {
  Entry as{RLIMIT_AS, {}};
  getrlimit(RLIMIT_AS, &as.value);
  if (address_space > 0) as = Capped(RLIMIT_AS, address_space);
  return {Capped(RLIMIT_NPROC, l.processes), Capped(RLIMIT_DATA, l.memory_bytes),
          Capped(RLIMIT_FSIZE, l.file_size_bytes), Capped(RLIMIT_NOFILE, l.open_files), Entry{RLIMIT_CORE, {0, 0}}, as};
}

int Apply(const Prepared& p, int* failed) {
  for (const Entry& e : p) {
    if (setrlimit(e.resource, &e.value) != 0) {
      *failed = e.resource;
      return errno;
    }
  }
  return 0;
}

}  // namespace cordon::linux_backend::rlimits
