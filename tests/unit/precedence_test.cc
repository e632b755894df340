// EffectiveAccess: the most specific rule wins; on a tie deny > write > read; nothing covers -> nullopt.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "policy/policy.h"

namespace cordon::policy {
namespace {

PathRule R(const std::string& path, Access a) { return {path, a, {"test", 0}}; }

TEST(Precedence, NoRulesMeansNotVisible) {
  EXPECT_EQ(EffectiveAccess({}, "/a"), std::nullopt);
  EXPECT_EQ(EffectiveAccess({}, "/"), std::nullopt);
}

TEST(Precedence, NoCoveringRuleMeansNotVisible) {
  std::vector<PathRule> rules = {R("/usr", Access::kRead), R("/home/u/proj", Access::kWrite)};
  EXPECT_EQ(EffectiveAccess(rules, "/"), std::nullopt);
  EXPECT_EQ(EffectiveAccess(rules, "/home"), std::nullopt);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u"), std::nullopt);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/project"), std::nullopt);  // not under /home/u/proj
  EXPECT_EQ(EffectiveAccess(rules, "/usrx"), std::nullopt);
  EXPECT_EQ(EffectiveAccess(rules, "/usr"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/usr/bin/ls"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/proj/src/a.c"), Access::kWrite);
}

TEST(Precedence, MostSpecificWins) {
  std::vector<PathRule> rules = {R("/home/u", Access::kRead), R("/home/u/.ssh", Access::kDeny),
                                 R("/home/u/.ssh/known_hosts", Access::kRead), R("/home/u/proj", Access::kWrite),
                                 R("/home/u/proj/.git/hooks", Access::kRead)};
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/file"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/.ssh"), Access::kDeny);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/.ssh/id_ed25519"), Access::kDeny);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/.ssh/known_hosts"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/proj/x"), Access::kWrite);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/proj/.git"), Access::kWrite);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/proj/.git/hooks"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/home/u/proj/.git/hooks/pre-commit"), Access::kRead);
}

TEST(Precedence, MoreSpecificReadBeatsLessSpecificDeny) {
  // Specificity comes before strength: a read under a deny re-grants.
  std::vector<PathRule> rules = {R("/a", Access::kDeny), R("/a/b", Access::kRead)};
  EXPECT_EQ(EffectiveAccess(rules, "/a/b/c"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/a/c"), Access::kDeny);
}

TEST(Precedence, SiblingPrefixIsNotAnAncestor) {
  std::vector<PathRule> rules = {R("/a", Access::kRead), R("/a/b", Access::kDeny)};
  EXPECT_EQ(EffectiveAccess(rules, "/a/bc"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/a/b"), Access::kDeny);
  EXPECT_EQ(EffectiveAccess(rules, "/a/b/c"), Access::kDeny);
}

TEST(Precedence, TieBreakDenyWriteRead) {
  // Every order of the same three rules on one path must give the same answer.
  std::vector<PathRule> rules = {R("/p", Access::kRead), R("/p", Access::kWrite), R("/p", Access::kDeny)};
  std::sort(rules.begin(), rules.end(), [](const PathRule& a, const PathRule& b) { return a.access < b.access; });
  do {
    EXPECT_EQ(EffectiveAccess(rules, "/p"), Access::kDeny);
    EXPECT_EQ(EffectiveAccess(rules, "/p/child"), Access::kDeny);
  } while (std::next_permutation(rules.begin(), rules.end(),
                                 [](const PathRule& a, const PathRule& b) { return a.access < b.access; }));
}

TEST(Precedence, TieBreakWriteOverRead) {
  std::vector<PathRule> a = {R("/p", Access::kRead), R("/p", Access::kWrite)};
  std::vector<PathRule> b = {R("/p", Access::kWrite), R("/p", Access::kRead)};
  EXPECT_EQ(EffectiveAccess(a, "/p/x"), Access::kWrite);
  EXPECT_EQ(EffectiveAccess(b, "/p/x"), Access::kWrite);
}

TEST(Precedence, TieOnlyAmongEqualLength) {
  // A deny on the parent does not beat a read on the child, whatever the order.
  std::vector<PathRule> a = {R("/p/c", Access::kRead), R("/p", Access::kDeny)};
  std::vector<PathRule> b = {R("/p", Access::kDeny), R("/p/c", Access::kRead)};
  EXPECT_EQ(EffectiveAccess(a, "/p/c"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(b, "/p/c"), Access::kRead);
}

TEST(Precedence, RootRule) {
  std::vector<PathRule> rules = {R("/", Access::kRead), R("/etc/shadow", Access::kDeny)};
  EXPECT_EQ(EffectiveAccess(rules, "/"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/etc"), Access::kRead);
  EXPECT_EQ(EffectiveAccess(rules, "/etc/shadow"), Access::kDeny);
  EXPECT_EQ(EffectiveAccess(rules, "/etc/shadow-"), Access::kRead);
}

TEST(Precedence, DeepNestingAlternating) {
  // /d0 read, /d0/d1 deny, /d0/d1/d2 write, /d0/d1/d2/d3 read, ... each level overrides the one above.
  const Access cycle[] = {Access::kRead, Access::kDeny, Access::kWrite};
  std::vector<PathRule> rules;
  std::string path;
  std::vector<std::string> paths;
  for (int i = 0; i < 30; ++i) {
    path += "/d" + std::to_string(i);
    paths.push_back(path);
    rules.push_back(R(path, cycle[i % 3]));
  }
  // The order the rules come in must not matter.
  std::mt19937 rng(42);
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 30; ++i) {
      EXPECT_EQ(EffectiveAccess(rules, paths[i]), cycle[i % 3]) << paths[i];
      EXPECT_EQ(EffectiveAccess(rules, paths[i] + "/file"), cycle[i % 3]) << paths[i];
      // A sibling name sharing the prefix falls to the level above.
      if (i > 0) {
        EXPECT_EQ(EffectiveAccess(rules, paths[i] + "x"), cycle[(i - 1) % 3]) << paths[i];
      }
    }
    EXPECT_EQ(EffectiveAccess(rules, "/d0x"), std::nullopt);
    std::shuffle(rules.begin(), rules.end(), rng);
  }
}

TEST(Precedence, AccessAndNetworkNames) {
  EXPECT_STREQ(AccessName(Access::kRead), "read");
  EXPECT_STREQ(AccessName(Access::kWrite), "write");
  EXPECT_STREQ(AccessName(Access::kDeny), "deny");
  EXPECT_STREQ(NetworkModeName(NetworkMode::kNone), "none");
  EXPECT_STREQ(NetworkModeName(NetworkMode::kAllowlist), "allowlist");
  EXPECT_STREQ(NetworkModeName(NetworkMode::kFull), "full");
  EXPECT_EQ((Origin{"p.toml", 7}.ToString()), "p.toml:7");
  EXPECT_EQ((Origin{"profile workspace-write", 0}.ToString()), "profile workspace-write");
}

}  // namespace
}  // namespace cordon::policy
