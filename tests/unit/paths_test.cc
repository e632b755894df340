#include <gtest/gtest.h>

#include "policy/paths.h"

namespace cordon::policy {
TEST(Paths, Normalize) {
  EXPECT_EQ(NormalizePath("/a/../b/"), "/b");
  EXPECT_EQ(NormalizePath("//a//./b"), "/a/b");
  EXPECT_EQ(NormalizePath("/.."), "/");
}
}  // namespace cordon::policy
