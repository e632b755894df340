// Lexical path helpers: NormalizePath, IsSameOrUnder, ExpandPath, ParentPath.
#include "policy/paths.h"

#include <gtest/gtest.h>

namespace cordon::policy {
namespace {

TEST(Paths, Normalize) {
  EXPECT_EQ(NormalizePath("/a/../b/"), "/b");
  EXPECT_EQ(NormalizePath("//a//./b"), "/a/b");
  EXPECT_EQ(NormalizePath("/.."), "/");
}

TEST(Paths, NormalizeRootForms) {
  EXPECT_EQ(NormalizePath("/"), "/");
  EXPECT_EQ(NormalizePath("//"), "/");
  EXPECT_EQ(NormalizePath("///"), "/");
  EXPECT_EQ(NormalizePath("/."), "/");
  EXPECT_EQ(NormalizePath("/./"), "/");
  EXPECT_EQ(NormalizePath("/../.."), "/");
  EXPECT_EQ(NormalizePath("/../../a"), "/a");
  EXPECT_EQ(NormalizePath("/a/.."), "/");
  EXPECT_EQ(NormalizePath("/a/b/../.."), "/");
  EXPECT_EQ(NormalizePath("/a/b/../../.."), "/");
}

TEST(Paths, NormalizeTrailingAndRepeatedSlashes) {
  EXPECT_EQ(NormalizePath("/a/"), "/a");
  EXPECT_EQ(NormalizePath("/a//"), "/a");
  EXPECT_EQ(NormalizePath("/a/b/."), "/a/b");
  EXPECT_EQ(NormalizePath("/a/./b/./c/"), "/a/b/c");
  EXPECT_EQ(NormalizePath("/a/b/c/../../d"), "/a/d");
  EXPECT_EQ(NormalizePath("/a/b/../c/../d/"), "/a/d");
}

TEST(Paths, NormalizeDotNamesAreOrdinaryComponents) {
  // Only "." and ".." are special; "..." and ".hidden" are names.
  EXPECT_EQ(NormalizePath("/a/.../b"), "/a/.../b");
  EXPECT_EQ(NormalizePath("/a/.hidden/../b"), "/a/b");
  EXPECT_EQ(NormalizePath("/a/..b"), "/a/..b");
  EXPECT_EQ(NormalizePath("/a/b.."), "/a/b..");
}

TEST(Paths, NormalizeRelative) {
  EXPECT_EQ(NormalizePath(""), ".");
  EXPECT_EQ(NormalizePath("."), ".");
  EXPECT_EQ(NormalizePath("./"), ".");
  EXPECT_EQ(NormalizePath("a/b/.."), "a");
  EXPECT_EQ(NormalizePath("a/.."), ".");
  EXPECT_EQ(NormalizePath(".."), "..");
  EXPECT_EQ(NormalizePath("../a"), "../a");
  EXPECT_EQ(NormalizePath("a/../../b"), "../b");
  EXPECT_EQ(NormalizePath("../../a"), "../../a");
  EXPECT_EQ(NormalizePath("a//b/"), "a/b");
}

TEST(Paths, NormalizeIsIdempotent) {
  for (const char* p : {"/a/../b/", "//x/./y/..", "/", "a/../../b", "/.../../c", ""}) {
    std::string once = NormalizePath(p);
    EXPECT_EQ(NormalizePath(once), once) << p;
  }
}

TEST(Paths, IsSameOrUnderWholeComponents) {
  EXPECT_TRUE(IsSameOrUnder("/a", "/a"));
  EXPECT_TRUE(IsSameOrUnder("/a/b", "/a"));
  EXPECT_TRUE(IsSameOrUnder("/a/b/c", "/a"));
  EXPECT_TRUE(IsSameOrUnder("/a/b/c", "/a/b"));
  EXPECT_FALSE(IsSameOrUnder("/ab", "/a"));
  EXPECT_FALSE(IsSameOrUnder("/a-b/c", "/a"));
  EXPECT_FALSE(IsSameOrUnder("/a", "/a/b"));
  EXPECT_FALSE(IsSameOrUnder("/b", "/a"));
  EXPECT_FALSE(IsSameOrUnder("/home/user2", "/home/user"));
  EXPECT_TRUE(IsSameOrUnder("/home/user/.ssh", "/home/user"));
}

TEST(Paths, IsSameOrUnderRoot) {
  EXPECT_TRUE(IsSameOrUnder("/", "/"));
  EXPECT_TRUE(IsSameOrUnder("/a", "/"));
  EXPECT_TRUE(IsSameOrUnder("/a/b/c", "/"));
  EXPECT_FALSE(IsSameOrUnder("", "/"));
  EXPECT_FALSE(IsSameOrUnder("a", "/"));
  EXPECT_FALSE(IsSameOrUnder("/", "/a"));
}

TEST(Paths, ExpandHome) {
  EXPECT_EQ(ExpandPath("~", "/home/u", "/ws"), "/home/u");
  EXPECT_EQ(ExpandPath("~/", "/home/u", "/ws"), "/home/u");
  EXPECT_EQ(ExpandPath("~/x", "/home/u", "/ws"), "/home/u/x");
  EXPECT_EQ(ExpandPath("~/.config/gcloud", "/home/u", "/ws"), "/home/u/.config/gcloud");
  EXPECT_EQ(ExpandPath("~/a/../b", "/home/u", "/ws"), "/home/u/b");
  // A home of "/" (root without a home) must not give "//x".
  EXPECT_EQ(ExpandPath("~/x", "/", "/ws"), "/x");
}

TEST(Paths, ExpandTildeUserIsNotHome) {
  // "~user" is not supported: it stays relative, hence "".
  EXPECT_EQ(ExpandPath("~root", "/home/u", "/ws"), "");
  EXPECT_EQ(ExpandPath("~x/y", "/home/u", "/ws"), "");
}

TEST(Paths, ExpandWorkspace) {
  EXPECT_EQ(ExpandPath("{workspace}", "/home/u", "/home/u/proj"), "/home/u/proj");
  EXPECT_EQ(ExpandPath("{workspace}/", "/home/u", "/home/u/proj"), "/home/u/proj");
  EXPECT_EQ(ExpandPath("{workspace}/.git/hooks", "/home/u", "/home/u/proj"), "/home/u/proj/.git/hooks");
  EXPECT_EQ(ExpandPath("{workspace}//a/./b", "/home/u", "/home/u/proj"), "/home/u/proj/a/b");
}

TEST(Paths, ExpandWorkspaceNeedsWholeComponent) {
  // "{workspace}x" is not the workspace placeholder: it stays relative, hence "".
  EXPECT_EQ(ExpandPath("{workspace}x", "/home/u", "/home/u/proj"), "");
  EXPECT_EQ(ExpandPath("{workspace}.bak", "/home/u", "/home/u/proj"), "");
  EXPECT_EQ(ExpandPath("{workspace", "/home/u", "/home/u/proj"), "");
  EXPECT_EQ(ExpandPath("{Workspace}/a", "/home/u", "/home/u/proj"), "");
  // The placeholder is only recognised at the start.
  EXPECT_EQ(ExpandPath("/a/{workspace}", "/home/u", "/home/u/proj"), "/a/{workspace}");
}

TEST(Paths, ExpandAbsoluteAndRelative) {
  EXPECT_EQ(ExpandPath("/etc/shadow", "/home/u", "/ws"), "/etc/shadow");
  EXPECT_EQ(ExpandPath("/etc/../etc//passwd/", "/home/u", "/ws"), "/etc/passwd");
  EXPECT_EQ(ExpandPath("/", "/home/u", "/ws"), "/");
  EXPECT_EQ(ExpandPath("relative", "/home/u", "/ws"), "");
  EXPECT_EQ(ExpandPath("./x", "/home/u", "/ws"), "");
  EXPECT_EQ(ExpandPath("../x", "/home/u", "/ws"), "");
  EXPECT_EQ(ExpandPath("", "/home/u", "/ws"), "");
  // A relative expansion result is rejected too.
  EXPECT_EQ(ExpandPath("~/x", "relhome", "/ws"), "");
  EXPECT_EQ(ExpandPath("{workspace}/x", "/home/u", "relws"), "");
}

TEST(Paths, ParentPath) {
  EXPECT_EQ(ParentPath("/"), "/");
  EXPECT_EQ(ParentPath("/a"), "/");
  EXPECT_EQ(ParentPath("/a/b"), "/a");
  EXPECT_EQ(ParentPath("/a/b/c"), "/a/b");
  EXPECT_EQ(ParentPath("/home/u/.ssh"), "/home/u");
}

TEST(Paths, ParentPathChainReachesRoot) {
  std::string p = "/a/b/c/d";
  int steps = 0;
  while (p != "/" && steps < 10) {
    std::string parent = ParentPath(p);
    EXPECT_TRUE(IsSameOrUnder(p, parent)) << p << " not under " << parent;
    EXPECT_NE(parent, p);
    p = parent;
    ++steps;
  }
  EXPECT_EQ(p, "/");
  EXPECT_EQ(steps, 4);
}

}  // namespace
}  // namespace cordon::policy
