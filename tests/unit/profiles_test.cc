// Built-in profiles and the default deny list.
#include "policy/profiles.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "policy/paths.h"

namespace cordon::policy {
namespace {

using ::testing::HasSubstr;

bool HasPath(const std::vector<PathEntry>& v, const std::string& p) {
  return std::any_of(v.begin(), v.end(), [&](const PathEntry& e) { return e.path == p; });
}

Policy MustLoad(std::string_view name) {
  Result<Policy> r = BuiltinProfile(name);
  EXPECT_TRUE(r.ok()) << name << ": " << (r.ok() ? "" : r.error().message);
  return r.ok() ? *r : Policy{};
}

TEST(Profiles, Names) {
  EXPECT_EQ(BuiltinProfileNames(), (std::vector<std::string>{"read-only", "workspace-write", "full"}));
  EXPECT_EQ(kDefaultProfile, "workspace-write");
  for (const std::string& n : BuiltinProfileNames()) {
    Result<Policy> r = BuiltinProfile(n);
    ASSERT_TRUE(r.ok()) << n;
    EXPECT_EQ(r->name, n);
  }
}

TEST(Profiles, UnknownNameListsKnownOnes) {
  Result<Policy> r = BuiltinProfile("workspace_write");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr("workspace_write"));
  for (const std::string& n : BuiltinProfileNames()) EXPECT_THAT(r.error().message, HasSubstr(n));
  EXPECT_FALSE(BuiltinProfile("").ok());
  EXPECT_FALSE(BuiltinProfile("Full").ok());
}

TEST(Profiles, DefaultDenyListCoversRequiredSecrets) {
  const std::vector<std::string>& deny = DefaultDenyRead();
  std::set<std::string> set(deny.begin(), deny.end());
  for (const char* required :
       {"~/.ssh", "~/.aws", "~/.gnupg", "~/.config/gcloud", "~/.azure", "~/.kube", "~/.docker", "~/.netrc",
        "~/.npmrc", "~/.pypirc", "~/.git-credentials", "~/.password-store", "~/.mozilla", "~/.config/google-chrome",
        "~/.config/chromium", "~/.local/share/keyrings", "/etc/shadow", "/etc/gshadow"}) {
    EXPECT_EQ(set.count(required), 1u) << required << " missing from the default deny list";
  }
}

TEST(Profiles, DefaultDenyListEntriesAreWellFormed) {
  const std::vector<std::string>& deny = DefaultDenyRead();
  std::set<std::string> seen;
  for (const std::string& d : deny) {
    EXPECT_TRUE(seen.insert(d).second) << "duplicate " << d;
    std::string expanded = ExpandPath(d, "/home/u", "/home/u/proj");
    EXPECT_FALSE(expanded.empty()) << d;
    // Lexically normal already: what is written is what is matched (remove_deny_read compares text).
    EXPECT_EQ(NormalizePath(d), d) << d;
    EXPECT_NE(d.back(), '/') << d;
    // Never the home directory or a system root as a whole.
    EXPECT_NE(expanded, "/home/u") << d;
    EXPECT_NE(expanded, "/") << d;
    EXPECT_NE(expanded, "/etc") << d;
    // Never anything in the workspace.
    EXPECT_EQ(d.find("{workspace}"), std::string::npos) << d;
  }
}

TEST(Profiles, WorkspaceWrite) {
  Policy p = MustLoad("workspace-write");
  EXPECT_FALSE(p.unrestricted);
  EXPECT_EQ(p.network.mode, NetworkMode::kNone);
  EXPECT_TRUE(p.fs.hide_env_files);
  EXPECT_TRUE(HasPath(p.fs.write, "{workspace}"));
  EXPECT_EQ(p.fs.write.size(), 1u);
  EXPECT_TRUE(HasPath(p.fs.deny_write, "{workspace}/.git/hooks"));
  EXPECT_TRUE(HasPath(p.fs.deny_write, "{workspace}/.git/config"));
  for (const char* sys : {"/usr", "/bin", "/lib", "/etc"}) EXPECT_TRUE(HasPath(p.fs.read, sys)) << sys;
  // Personal data is not readable by default.
  for (const char* personal : {"~", "/home", "/root", "/", "/var", "/run", "/srv", "/mnt", "/media"}) {
    EXPECT_FALSE(HasPath(p.fs.read, personal)) << personal;
    EXPECT_FALSE(HasPath(p.fs.write, personal)) << personal;
  }
  // The deny list is the default one in full.
  for (const std::string& d : DefaultDenyRead()) EXPECT_TRUE(HasPath(p.fs.deny_read, d)) << d;
  // Built-in rules carry the profile as origin, line 0.
  for (const auto* list : {&p.fs.read, &p.fs.write, &p.fs.deny_read, &p.fs.deny_write}) {
    for (const PathEntry& e : *list) {
      EXPECT_EQ(e.origin.line, 0) << e.path;
      EXPECT_THAT(e.origin.file, HasSubstr("workspace-write")) << e.path;
    }
  }
  // Every deny_write entry lies inside the writable workspace (else it would mean nothing).
  for (const PathEntry& e : p.fs.deny_write) {
    EXPECT_TRUE(IsSameOrUnder(ExpandPath(e.path, "/home/u", "/home/u/proj"), "/home/u/proj")) << e.path;
  }
}

TEST(Profiles, ReadOnly) {
  Policy p = MustLoad("read-only");
  EXPECT_FALSE(p.unrestricted);
  EXPECT_EQ(p.network.mode, NetworkMode::kNone);
  EXPECT_TRUE(p.fs.write.empty());
  EXPECT_TRUE(HasPath(p.fs.read, "{workspace}"));
  EXPECT_TRUE(HasPath(p.fs.read, "/usr"));
  for (const std::string& d : DefaultDenyRead()) EXPECT_TRUE(HasPath(p.fs.deny_read, d)) << d;
}

TEST(Profiles, FullIsUnrestricted) {
  Policy p = MustLoad("full");
  EXPECT_TRUE(p.unrestricted);
  EXPECT_EQ(p.network.mode, NetworkMode::kFull);
  EXPECT_FALSE(p.fs.hide_env_files);
  EXPECT_TRUE(p.fs.deny_read.empty());
}

TEST(Profiles, ProfilesAreIndependentCopies) {
  Policy a = MustLoad("workspace-write");
  a.fs.deny_read.clear();
  Policy b = MustLoad("workspace-write");
  EXPECT_FALSE(b.fs.deny_read.empty());
}

}  // namespace
}  // namespace cordon::policy
