// Which denied syscalls get an event of their own (seccomp_notify.h): the first few per syscall, a cap in all,
// and every denial counted.
#include "linux/seccomp_notify.h"

#include <gtest/gtest.h>

namespace cordon::linux_backend {
namespace {

using Key = DenialCounter::Key;

TEST(DenialCounter, FirstFewPerSyscallThenCounts) {
  DenialCounter c;
  const Key ptrace{"x86_64", "ptrace"};
  int reported = 0;
  for (int i = 0; i < 10000; ++i) reported += c.Count(ptrace) ? 1 : 0;
  EXPECT_EQ(reported, static_cast<int>(DenialCounter::kPerSyscall));
  ASSERT_EQ(c.counts().size(), 1u);
  EXPECT_EQ(c.counts().at(ptrace).count, 10000u);
  EXPECT_EQ(c.counts().at(ptrace).suppressed, 10000u - DenialCounter::kPerSyscall);
}

TEST(DenialCounter, SyscallsAreCountedApartAndByArch) {
  DenialCounter c;
  EXPECT_TRUE(c.Count({"x86_64", "ptrace"}));
  EXPECT_TRUE(c.Count({"x86_64", "mount"}));
  EXPECT_TRUE(c.Count({"x86", "ptrace"}));
  EXPECT_EQ(c.counts().size(), 3u);
  for (const auto& [key, counts] : c.counts()) {
    EXPECT_EQ(counts.count, 1u) << key.syscall;
    EXPECT_EQ(counts.suppressed, 0u) << key.syscall;
  }
}

TEST(DenialCounter, TotalIsCapped) {
  DenialCounter c;
  // Many distinct syscalls, a few calls each: no more than kTotal events in all.
  static const char* kNames[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o"};
  uint64_t reported = 0, total = 0;
  for (int round = 0; round < 20; ++round) {
    for (const char* n : kNames) {
      reported += c.Count({"x86_64", n}) ? 1 : 0;
      ++total;
    }
  }
  EXPECT_EQ(reported, DenialCounter::kTotal);
  uint64_t suppressed = 0;
  for (const auto& [key, counts] : c.counts()) suppressed += counts.suppressed;
  EXPECT_EQ(reported + suppressed, total);  // every denial is an event or counted in a summary
}

}  // namespace
}  // namespace cordon::linux_backend
