// The secret search's cache: a result comes back while its directories are unchanged, and at most 32 results
// are kept, the least recently used going first.
#include "linux/scan_cache.h"

#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

namespace cordon::linux_backend::fs {
namespace {

class ScanCacheTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/cordon-scan-cache-test.XXXXXX";
    root_ = mkdtemp(tmpl);
    const char* old = getenv("XDG_RUNTIME_DIR");
    old_runtime_ = old != nullptr ? old : "";
    setenv("XDG_RUNTIME_DIR", root_.c_str(), 1);
    watched_ = root_ + "/watched";
    mkdir(watched_.c_str(), 0755);
    struct stat st {};
    stat(watched_.c_str(), &st);
    stamp_ = {watched_, st.st_mtim.tv_sec - 10, st.st_mtim.tv_nsec};  // "older than 2 s": cacheable
    timespec times[2] = {{stamp_.sec, stamp_.nsec}, {stamp_.sec, stamp_.nsec}};
    utimensat(AT_FDCWD, watched_.c_str(), times, 0);
  }
  void TearDown() override {
    if (old_runtime_.empty()) unsetenv("XDG_RUNTIME_DIR");
    else setenv("XDG_RUNTIME_DIR", old_runtime_.c_str(), 1);
    std::filesystem::remove_all(root_);
  }
  size_t Files() const {
    size_t n = 0;
    for (const auto& e : std::filesystem::directory_iterator(root_ + "/cordon")) n += e.path().filename().string().starts_with("scan-");
    return n;
  }
  std::string root_, old_runtime_, watched_;
  DirStamp stamp_;
};

TEST_F(ScanCacheTest, AResultComesBackUntilItsDirectoryChanges) {
  ScanCache cache("key-a");
  EXPECT_FALSE(cache.Load().has_value());
  cache.Store({stamp_}, {{"/home/x/.env", policy::Access::kDeny, {"dotenv", 0}}});
  auto hit = cache.Load();
  ASSERT_TRUE(hit.has_value());
  ASSERT_EQ(hit->size(), 1u);
  EXPECT_EQ(hit->front().path, "/home/x/.env");
  std::ofstream(watched_ + "/new.env") << "x";  // the directory's time moves
  EXPECT_FALSE(cache.Load().has_value());
}

TEST_F(ScanCacheTest, AtMost32AreKeptAndTheLeastRecentlyUsedGoFirst) {
  ScanCache first("key-0");
  first.Store({stamp_}, {});
  for (int i = 1; i < 40; ++i) {
    ScanCache c("key-" + std::to_string(i));
    c.Store({stamp_}, {});
    if (i % 8 == 0) {
      usleep(5000);
      EXPECT_TRUE(first.Load().has_value()) << i;  // used again and again: never the oldest
    }
  }
  EXPECT_EQ(Files(), 32u);
  EXPECT_TRUE(first.Load().has_value());
  EXPECT_FALSE(ScanCache("key-1").Load().has_value());  // among the least recently used
}

}  // namespace
}  // namespace cordon::linux_backend::fs
