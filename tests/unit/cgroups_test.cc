// cgroups::ReadUsage on the files of fake cgroup directories, as v1 and v2 kernels write them.
#include "linux/cgroups.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace cordon::linux_backend::cgroups {
namespace {

class CgroupUsage : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cordon-cgroup-test.XXXXXX";
    dir_ = mkdtemp(tmpl);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  void Write(const std::string& name, const std::string& text) { std::ofstream(dir_ + "/" + name) << text; }
  std::string dir_;
};

TEST_F(CgroupUsage, V2PeakOomAndPids) {
  Write("memory.peak", "73400320\n");
  Write("memory.events", "low 0\nhigh 0\nmax 12\noom 1\noom_kill 1\noom_group_kill 0\n");
  Write("pids.events", "max 7\n");
  Usage u = ReadUsage(true, dir_, dir_);
  EXPECT_TRUE(u.known);
  EXPECT_EQ(u.peak_memory, 73400320u);
  EXPECT_TRUE(u.memory_limit_hit);
  EXPECT_EQ(u.pids_limit_hits, 7u);
}

TEST_F(CgroupUsage, V2QuietRun) {
  Write("memory.peak", "1048576\n");
  Write("memory.events", "low 0\nhigh 0\nmax 0\noom 0\noom_kill 0\n");
  Write("pids.events", "max 0\n");
  Usage u = ReadUsage(true, dir_, dir_);
  EXPECT_EQ(u.peak_memory, 1048576u);
  EXPECT_FALSE(u.memory_limit_hit);
  EXPECT_EQ(u.pids_limit_hits, 0u);
}

TEST_F(CgroupUsage, V2WithoutMemoryPeakSaysZero) {  // memory.peak is Linux >= 5.19
  Write("memory.events", "oom_kill 0\n");
  EXPECT_EQ(ReadUsage(true, dir_, dir_).peak_memory, 0u);
}

TEST_F(CgroupUsage, V1OomKillCountsNotFailcnt) {
  Write("memory.max_usage_in_bytes", "67108864\n");
  Write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 0\n");
  Write("memory.failcnt", "31\n");  // the limit was touched and reclaimed: not an OOM kill
  Write("pids.events", "max 2\n");
  Usage u = ReadUsage(false, dir_, dir_);
  EXPECT_EQ(u.peak_memory, 67108864u);
  EXPECT_FALSE(u.memory_limit_hit);
  EXPECT_EQ(u.pids_limit_hits, 2u);
  Write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
  EXPECT_TRUE(ReadUsage(false, dir_, dir_).memory_limit_hit);
}

TEST_F(CgroupUsage, V1OldKernelFallsBackToFailcnt) {
  Write("memory.oom_control", "oom_kill_disable 0\nunder_oom 0\n");
  Write("memory.failcnt", "3\n");
  EXPECT_TRUE(ReadUsage(false, dir_, dir_).memory_limit_hit);
}

}  // namespace
}  // namespace cordon::linux_backend::cgroups
