// The TOML policy loader: schema, validation, merging onto a profile, error messages with FILE:LINE.
#include "policy/toml_loader.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <unistd.h>

#include "policy/profiles.h"

namespace cordon::policy {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

Result<Policy> Load(const std::string& text) { return LoadPolicyText(text, "p.toml"); }

std::string ErrorOf(const std::string& text) {
  Result<Policy> r = Load(text);
  EXPECT_FALSE(r.ok()) << "policy unexpectedly accepted:\n" << text;
  return r.ok() ? "" : r.error().message;
}

int CountLines(const std::string& s) {
  if (s.empty()) return 0;
  return static_cast<int>(std::count(s.begin(), s.end(), '\n')) + 1;
}

bool HasPath(const std::vector<PathEntry>& v, const std::string& p) {
  return std::any_of(v.begin(), v.end(), [&](const PathEntry& e) { return e.path == p; });
}

const PathEntry* Find(const std::vector<PathEntry>& v, const std::string& p) {
  for (const PathEntry& e : v) {
    if (e.path == p) return &e;
  }
  return nullptr;
}

// ---------------------------------------------------------------------------------------------------------------
// A complete valid policy

constexpr const char* kFull = R"(version = 1
extends = "workspace-write"
best_effort = true

[filesystem]
read = ["/srv/data", "~/.m2/repository"]
write = ["/var/cache/ccache"]
deny_read = ["~/work/other-client"]
deny_write = ["{workspace}/vendor"]
remove_deny_read = ["~/.npmrc"]
unix_sockets = ["/run/user/1000/bus"]
hide_env_files = false

[environment]
keep = ["CARGO_HOME", "RUST_*"]
set = { RUST_BACKTRACE = "1", FOO = "bar" }

[limits]
processes = 256
memory = "2GiB"
file_size = "512MiB"
open_files = 1024
tmp_size = 1048576
timeout = 90.5

[network]
mode = "full"
)";

TEST(TomlLoader, ValidPolicyWithEverySection) {
  Result<Policy> r = Load(kFull);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Policy& p = *r;
  EXPECT_EQ(p.name, "p.toml");
  EXPECT_FALSE(p.unrestricted);
  EXPECT_TRUE(p.best_effort);
  EXPECT_FALSE(p.fs.hide_env_files);
  EXPECT_EQ(p.network.mode, NetworkMode::kFull);

  // Merged onto workspace-write: the profile's rules are still there.
  EXPECT_TRUE(HasPath(p.fs.read, "/usr"));
  EXPECT_TRUE(HasPath(p.fs.write, "{workspace}"));
  EXPECT_TRUE(HasPath(p.fs.deny_write, "{workspace}/.git/hooks"));
  EXPECT_TRUE(HasPath(p.fs.deny_read, "~/.ssh"));

  // The file's own rules, with their lines.
  const PathEntry* srv = Find(p.fs.read, "/srv/data");
  ASSERT_NE(srv, nullptr);
  EXPECT_EQ(srv->origin.file, "p.toml");
  EXPECT_EQ(srv->origin.line, 6);
  EXPECT_TRUE(HasPath(p.fs.read, "~/.m2/repository"));
  const PathEntry* cc = Find(p.fs.write, "/var/cache/ccache");
  ASSERT_NE(cc, nullptr);
  EXPECT_EQ(cc->origin.line, 7);
  const PathEntry* other = Find(p.fs.deny_read, "~/work/other-client");
  ASSERT_NE(other, nullptr);
  EXPECT_EQ(other->origin.line, 8);
  const PathEntry* vendor = Find(p.fs.deny_write, "{workspace}/vendor");
  ASSERT_NE(vendor, nullptr);
  EXPECT_EQ(vendor->origin.line, 9);
  EXPECT_FALSE(HasPath(p.fs.deny_read, "~/.npmrc"));
  ASSERT_EQ(p.fs.unix_sockets.size(), 1u);
  EXPECT_EQ(p.fs.unix_sockets[0].path, "/run/user/1000/bus");

  EXPECT_EQ(p.env.keep, (std::vector<std::string>{"CARGO_HOME", "RUST_*"}));
  EXPECT_EQ(p.env.set.size(), 2u);
  EXPECT_EQ(p.env.set.at("RUST_BACKTRACE"), "1");
  EXPECT_EQ(p.env.set.at("FOO"), "bar");

  EXPECT_EQ(p.limits.processes, 256u);
  EXPECT_EQ(p.limits.memory_bytes, 2ull << 30);
  EXPECT_EQ(p.limits.file_size_bytes, 512ull << 20);
  EXPECT_EQ(p.limits.open_files, 1024u);
  EXPECT_EQ(p.limits.tmp_size_bytes, 1048576u);
  EXPECT_DOUBLE_EQ(p.limits.timeout_seconds, 90.5);
}

TEST(TomlLoader, MinimalPolicyWithoutExtendsKeepsDefaultDenyList) {
  Result<Policy> r = Load("version = 1\n[filesystem]\nread = [\"/srv\"]\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(r->unrestricted);
  EXPECT_EQ(r->network.mode, NetworkMode::kNone);
  EXPECT_TRUE(r->fs.hide_env_files);
  ASSERT_EQ(r->fs.read.size(), 1u);  // nothing from a profile
  EXPECT_EQ(r->fs.read[0].path, "/srv");
  EXPECT_TRUE(r->fs.write.empty());
  // Every default deny entry is still denied.
  for (const std::string& d : DefaultDenyRead()) EXPECT_TRUE(HasPath(r->fs.deny_read, d)) << d;
  // Defaults for what the file leaves out.
  Limits defaults;
  EXPECT_EQ(r->limits.processes, defaults.processes);
  EXPECT_EQ(r->limits.memory_bytes, defaults.memory_bytes);
}

TEST(TomlLoader, ExtendsReadOnly) {
  Result<Policy> r = Load("version = 1\nextends = \"read-only\"\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(HasPath(r->fs.read, "{workspace}"));
  EXPECT_TRUE(r->fs.write.empty());
  EXPECT_EQ(r->name, "p.toml");
}

TEST(TomlLoader, TrailingSlashIsStripped) {
  Result<Policy> r = Load("version = 1\n[filesystem]\nread = [\"/srv/data/\", \"/\"]\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(HasPath(r->fs.read, "/srv/data"));
  EXPECT_TRUE(HasPath(r->fs.read, "/"));  // the root keeps its slash
}

TEST(TomlLoader, NetworkNone) {
  Result<Policy> r = Load("version = 1\n[network]\nmode = \"none\"\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->network.mode, NetworkMode::kNone);
}

// ---------------------------------------------------------------------------------------------------------------
// version

TEST(TomlLoader, VersionMissing) {
  std::string e = ErrorOf("extends = \"read-only\"\n");
  EXPECT_THAT(e, HasSubstr("p.toml"));
  EXPECT_THAT(e, HasSubstr("version"));
}

TEST(TomlLoader, VersionWrongValue) {
  std::string e = ErrorOf("# comment\nversion = 2\n");
  EXPECT_THAT(e, HasSubstr("p.toml:2:"));
  EXPECT_THAT(e, HasSubstr("version"));
  ErrorOf("version = 0\n");
  ErrorOf("version = -1\n");
}

TEST(TomlLoader, VersionWrongType) {
  EXPECT_THAT(ErrorOf("version = \"1\"\n"), HasSubstr("p.toml:1:"));
  EXPECT_THAT(ErrorOf("version = 1.0\n"), HasSubstr("version"));
  EXPECT_THAT(ErrorOf("version = true\n"), HasSubstr("version"));
  EXPECT_THAT(ErrorOf("version = [1]\n"), HasSubstr("version"));
}

// ---------------------------------------------------------------------------------------------------------------
// unknown keys

TEST(TomlLoader, UnknownTopLevelKey) {
  std::string e = ErrorOf("version = 1\n\nfoo = 3\n");
  EXPECT_THAT(e, HasSubstr("p.toml:3:"));
  EXPECT_THAT(e, HasSubstr("`foo`"));
  EXPECT_EQ(CountLines(e), 1) << e;
}

TEST(TomlLoader, UnknownTopLevelTable) {
  std::string e = ErrorOf("version = 1\n[filesystems]\nread = [\"/a\"]\n");
  EXPECT_THAT(e, HasSubstr("filesystems"));
  EXPECT_THAT(e, HasSubstr("p.toml:"));
}

TEST(TomlLoader, UnknownKeyInFilesystem) {
  std::string e = ErrorOf("version = 1\n[filesystem]\nread = [\"/a\"]\nreads = [\"/b\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
  EXPECT_THAT(e, HasSubstr("filesystem.reads"));
}

TEST(TomlLoader, UnknownKeyInEnvironment) {
  std::string e = ErrorOf("version = 1\n[environment]\nkeep = []\nunset = [\"X\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
  EXPECT_THAT(e, HasSubstr("environment.unset"));
}

TEST(TomlLoader, UnknownKeyInLimits) {
  std::string e = ErrorOf("version = 1\n[limits]\nmemory = \"1GiB\"\ncpu = 2\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
  EXPECT_THAT(e, HasSubstr("limits.cpu"));
}

TEST(TomlLoader, UnknownKeyInNetwork) {
  std::string e = ErrorOf("version = 1\n[network]\nmode = \"allowlist\"\nallowed = [\"example.com:443\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
  EXPECT_THAT(e, HasSubstr("network.allowed"));
  EXPECT_THAT(e, HasSubstr("known: mode, allow, deny, hosts"));
}

TEST(TomlLoader, UnknownKeyNamesKnownKeys) {
  std::string e = ErrorOf("version = 1\n[network]\nmodee = \"none\"\n");
  EXPECT_THAT(e, HasSubstr("known: mode"));
}

// ---------------------------------------------------------------------------------------------------------------
// wrong types

TEST(TomlLoader, WrongTypes) {
  EXPECT_THAT(ErrorOf("version = 1\nbest_effort = \"yes\"\n"), HasSubstr("p.toml:2:"));
  EXPECT_THAT(ErrorOf("version = 1\nfilesystem = 3\n"), HasSubstr("`filesystem` must be a table"));
  EXPECT_THAT(ErrorOf("version = 1\nenvironment = \"x\"\n"), HasSubstr("`environment` must be a table"));
  EXPECT_THAT(ErrorOf("version = 1\nlimits = []\n"), HasSubstr("`limits` must be a table"));
  EXPECT_THAT(ErrorOf("version = 1\nnetwork = \"full\"\n"), HasSubstr("`network` must be a table"));
  EXPECT_THAT(ErrorOf("version = 1\n[filesystem]\nread = \"/a\"\n"), HasSubstr("p.toml:3:"));
  EXPECT_THAT(ErrorOf("version = 1\n[filesystem]\nread = [\"/a\", 3]\n"), HasSubstr("entries must be strings"));
  EXPECT_THAT(ErrorOf("version = 1\n[filesystem]\nhide_env_files = 1\n"), HasSubstr("hide_env_files"));
  EXPECT_THAT(ErrorOf("version = 1\n[environment]\nkeep = \"PATH\"\n"), HasSubstr("environment.keep"));
  EXPECT_THAT(ErrorOf("version = 1\n[environment]\nkeep = [1]\n"), HasSubstr("environment.keep"));
  EXPECT_THAT(ErrorOf("version = 1\n[environment]\nset = [\"A=b\"]\n"), HasSubstr("environment.set"));
  EXPECT_THAT(ErrorOf("version = 1\n[environment]\nset = { A = 1 }\n"), HasSubstr("environment.set.A"));
  EXPECT_THAT(ErrorOf("version = 1\n[network]\nmode = true\n"), HasSubstr("network.mode"));
  EXPECT_THAT(ErrorOf("version = 1\n[network]\nmode = \"some\"\n"), HasSubstr("p.toml:3:"));
  EXPECT_THAT(ErrorOf("version = 1\nextends = 1\n"), HasSubstr("`extends` must be a string"));
}

TEST(TomlLoader, InvalidEnvironmentNames) {
  EXPECT_THAT(ErrorOf("version = 1\n[environment]\nkeep = [\"1ABC\"]\n"), HasSubstr("p.toml:3:"));
  ErrorOf("version = 1\n[environment]\nkeep = [\"A-B\"]\n");
  ErrorOf("version = 1\n[environment]\nkeep = [\"*\"]\n");
  ErrorOf("version = 1\n[environment]\nkeep = [\"A*B\"]\n");
  ErrorOf("version = 1\n[environment]\nkeep = [\"\"]\n");
  EXPECT_THAT(ErrorOf("version = 1\n[environment]\nset = { \"A B\" = \"x\" }\n"), HasSubstr("invalid variable name"));
  // A glob is fine in keep but not in set.
  ErrorOf("version = 1\n[environment]\nset = { \"A*\" = \"x\" }\n");
  Result<Policy> ok = Load("version = 1\n[environment]\nkeep = [\"A*\", \"_B\", \"c1\"]\n");
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->env.keep.size(), 3u);
}

// ---------------------------------------------------------------------------------------------------------------
// paths

TEST(TomlLoader, RelativePathRejectedWithLine) {
  std::string e = ErrorOf("version = 1\n[filesystem]\nread = [\n  \"/ok\",\n  \"data/x\",\n]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:5:"));
  EXPECT_THAT(e, HasSubstr("data/x"));
  EXPECT_THAT(e, HasSubstr("relative"));
  EXPECT_EQ(CountLines(e), 1) << e;
}

TEST(TomlLoader, RelativePathFormsRejectedInEveryList) {
  for (const char* key : {"read", "write", "deny_read", "deny_write", "unix_sockets"}) {
    for (const char* p : {"./x", "../x", "~user/x", "{workspace}x", "x"}) {
      std::string text = std::string("version = 1\n[filesystem]\n") + key + " = [\"" + p + "\"]\n";
      std::string e = ErrorOf(text);
      EXPECT_THAT(e, HasSubstr("p.toml:3:")) << key << " " << p;
      EXPECT_THAT(e, HasSubstr(std::string("filesystem.") + key)) << key << " " << p;
    }
  }
}

TEST(TomlLoader, EmptyPathRejected) {
  EXPECT_THAT(ErrorOf("version = 1\n[filesystem]\nread = [\"\"]\n"), HasSubstr("p.toml:3:"));
}

TEST(TomlLoader, AcceptedPathForms) {
  Result<Policy> r = Load("version = 1\n[filesystem]\nread = [\"/a\", \"~\", \"~/b\", \"{workspace}\", \"{workspace}/c\"]\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->fs.read.size(), 5u);
}

// ---------------------------------------------------------------------------------------------------------------
// extends

TEST(TomlLoader, ExtendsUnknownProfile) {
  std::string e = ErrorOf("version = 1\nextends = \"workspace-rw\"\n");
  EXPECT_THAT(e, HasSubstr("p.toml:2:"));
  EXPECT_THAT(e, HasSubstr("workspace-rw"));
  EXPECT_THAT(e, HasSubstr("workspace-write"));  // names the known ones
}

TEST(TomlLoader, ExtendsFullRejected) {
  std::string e = ErrorOf("version = 1\nextends = \"full\"\n");
  EXPECT_THAT(e, HasSubstr("p.toml:2:"));
  EXPECT_THAT(e, HasSubstr("full"));
}

// ---------------------------------------------------------------------------------------------------------------
// remove_deny_read

TEST(TomlLoader, RemoveDenyReadRemovesDefaultEntry) {
  Result<Policy> base = Load("version = 1\nextends = \"workspace-write\"\n");
  ASSERT_TRUE(base.ok()) << base.error().message;
  Result<Policy> r = Load("version = 1\nextends = \"workspace-write\"\n[filesystem]\nremove_deny_read = [\"~/.npmrc\", \"~/.docker/\"]\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_TRUE(HasPath(base->fs.deny_read, "~/.npmrc"));
  EXPECT_FALSE(HasPath(r->fs.deny_read, "~/.npmrc"));
  EXPECT_FALSE(HasPath(r->fs.deny_read, "~/.docker"));
  EXPECT_TRUE(HasPath(r->fs.deny_read, "~/.ssh"));
  EXPECT_EQ(r->fs.deny_read.size(), base->fs.deny_read.size() - 2);
}

TEST(TomlLoader, RemoveDenyReadWithoutExtends) {
  Result<Policy> r = Load("version = 1\n[filesystem]\nremove_deny_read = [\"~/.pypirc\"]\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_FALSE(HasPath(r->fs.deny_read, "~/.pypirc"));
  EXPECT_TRUE(HasPath(r->fs.deny_read, "~/.ssh"));
}

TEST(TomlLoader, RemoveDenyReadNotInList) {
  std::string e = ErrorOf("version = 1\nextends = \"workspace-write\"\n[filesystem]\nremove_deny_read = [\n  \"~/.ssh\",\n  \"~/.not-a-secret\",\n]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:6:"));
  EXPECT_THAT(e, HasSubstr("~/.not-a-secret"));
  EXPECT_THAT(e, Not(HasSubstr("\"~/.ssh\"")));
  EXPECT_EQ(CountLines(e), 1) << e;
}

TEST(TomlLoader, RemoveDenyReadMustMatchExactly) {
  // "~/.ssh/id_rsa" is under a denied entry but is not itself an entry.
  ErrorOf("version = 1\n[filesystem]\nremove_deny_read = [\"~/.ssh/id_rsa\"]\n");
  // Spelled differently from the list ("/home/u/.ssh") is not the entry either.
  ErrorOf("version = 1\n[filesystem]\nremove_deny_read = [\"/root/.ssh\"]\n");
}

// ---------------------------------------------------------------------------------------------------------------
// contradictions

TEST(TomlLoader, WriteAndDenyWriteContradiction) {
  std::string e = ErrorOf("version = 1\n[filesystem]\nwrite = [\"/srv/out\"]\ndeny_write = [\"/srv/out/\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
  EXPECT_THAT(e, HasSubstr("line 3"));
  EXPECT_THAT(e, HasSubstr("deny_write"));
}

TEST(TomlLoader, ReadAndDenyReadContradiction) {
  std::string e = ErrorOf("version = 1\n[filesystem]\nread = [\"~/work\"]\ndeny_read = [\"~/work/./\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
  EXPECT_THAT(e, HasSubstr("line 3"));
  EXPECT_THAT(e, HasSubstr("deny_read"));
}

TEST(TomlLoader, WriteAndDenyReadContradiction) {
  std::string e = ErrorOf("version = 1\n[filesystem]\nwrite = [\"{workspace}/out\"]\ndeny_read = [\"{workspace}/out\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4:"));
}

TEST(TomlLoader, NestedRulesAreNotContradictions) {
  Result<Policy> r = Load(
      "version = 1\n[filesystem]\nread = [\"~/work\"]\ndeny_read = [\"~/work/secret\"]\n"
      "write = [\"/srv/out\"]\ndeny_write = [\"/srv/out/keep\"]\n");
  EXPECT_TRUE(r.ok()) << r.error().message;
}

TEST(TomlLoader, ProfileEntriesAreNotContradictions) {
  // The file grants what the profile denies: a deliberate override, not a contradiction within the file.
  Result<Policy> r = Load("version = 1\nextends = \"workspace-write\"\n[filesystem]\nread = [\"~/.ssh\"]\n");
  EXPECT_TRUE(r.ok()) << r.error().message;
}

// ---------------------------------------------------------------------------------------------------------------
// [network]: allowlist mode

const EndpointPattern* FindPattern(const std::vector<EndpointPattern>& v, const std::string& text) {
  for (const EndpointPattern& e : v) {
    if (e.text == text) return &e;
  }
  return nullptr;
}

constexpr const char* kAllowlist = R"(version = 1
extends = "workspace-write"

[network]
mode = "allowlist"
allow = [
  "GitHub.com:443",
  "*.example.org:443",
  "10.1.2.3:8080",
  "[2001:db8::1]:8000-8100",
  "mirror.internal:*",
]
deny = ["secret.example.org:*"]
hosts = { "Mirror.Internal." = "127.0.0.1", "v6.internal" = "::1" }
)";

TEST(TomlLoaderNetwork, AllowlistPolicy) {
  Result<Policy> r = Load(kAllowlist);
  ASSERT_TRUE(r.ok()) << r.error().message;
  const Network& net = r->network;
  EXPECT_EQ(net.mode, NetworkMode::kAllowlist);
  ASSERT_EQ(net.allow.size(), 5u);
  ASSERT_EQ(net.deny.size(), 1u);
  const EndpointPattern* gh = FindPattern(net.allow, "GitHub.com:443");
  ASSERT_NE(gh, nullptr);
  EXPECT_EQ(gh->name, "github.com");
  EXPECT_EQ(gh->origin.file, "p.toml");
  EXPECT_EQ(gh->origin.line, 7);
  const EndpointPattern* range = FindPattern(net.allow, "[2001:db8::1]:8000-8100");
  ASSERT_NE(range, nullptr);
  EXPECT_EQ(range->kind, EndpointPattern::Kind::kAddress);
  EXPECT_EQ(range->port_lo, 8000);
  EXPECT_EQ(range->port_hi, 8100);
  EXPECT_EQ(range->origin.line, 10);
  EXPECT_EQ(net.deny[0].origin.line, 13);
  ASSERT_EQ(net.hosts.size(), 2u);
  EXPECT_EQ(net.hosts.at("mirror.internal"), ParseIpLiteral("127.0.0.1"));
  EXPECT_EQ(net.hosts.at("v6.internal"), ParseIpLiteral("::1"));

  // The section in decision-ready form.
  NetRules rules = net.Rules();
  EXPECT_TRUE(rules.DecideName("github.com", 443).allowed);
  EXPECT_TRUE(rules.DecideName("api.example.org", 443).allowed);
  EXPECT_FALSE(rules.DecideName("secret.example.org", 443).allowed);
  EXPECT_FALSE(rules.DecideName("github.com", 22).allowed);
  EXPECT_TRUE(rules.DecideAddress("mirror.internal", 8080, *ParseIpLiteral("127.0.0.1")).allowed);
  EXPECT_FALSE(rules.DecideAddress("github.com", 443, *ParseIpLiteral("127.0.0.1")).allowed);
  // The profile's filesystem rules are still there.
  EXPECT_TRUE(HasPath(r->fs.write, "{workspace}"));
}

TEST(TomlLoaderNetwork, HostsAsASection) {
  Result<Policy> r = Load(
      "version = 1\n[network]\nmode = \"allowlist\"\nallow = [\"mirror.test:80\"]\n"
      "[network.hosts]\n\"mirror.test\" = \"2130706433\"\n\"BÜCHER.test\" = \"::ffff:10.0.0.1\"\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->network.hosts.at("mirror.test"), ParseIpLiteral("127.0.0.1"));
  EXPECT_EQ(r->network.hosts.at("xn--bcher-kva.test"), ParseIpLiteral("10.0.0.1"));
}

TEST(TomlLoaderNetwork, AllowlistWithNothingAllowedIsValid) {
  // Everything refused (the CLI's --allow-host may add entries); the proxy still runs.
  Result<Policy> r = Load("version = 1\n[network]\nmode = \"allowlist\"\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->network.mode, NetworkMode::kAllowlist);
  EXPECT_TRUE(r->network.allow.empty());
}

TEST(TomlLoaderNetwork, ExtendsKeepsTheProfilesNetworkUnlessSet) {
  Result<Policy> kept = Load("version = 1\nextends = \"read-only\"\n[limits]\nprocesses = 5\n");
  ASSERT_TRUE(kept.ok()) << kept.error().message;
  EXPECT_EQ(kept->network.mode, NetworkMode::kNone);
  EXPECT_TRUE(kept->network.allow.empty());
  EXPECT_TRUE(kept->network.hosts.empty());
  Result<Policy> set = Load("version = 1\nextends = \"read-only\"\n[network]\nmode = \"allowlist\"\n"
                            "allow = [\"a.example:443\"]\n");
  ASSERT_TRUE(set.ok()) << set.error().message;
  EXPECT_EQ(set->network.mode, NetworkMode::kAllowlist);
  ASSERT_EQ(set->network.allow.size(), 1u);
}

TEST(TomlLoaderNetwork, BadPatternsWithTheirLines) {
  std::string e = ErrorOf(
      "version = 1\n"                        // 1
      "[network]\n"                          // 2
      "mode = \"allowlist\"\n"               // 3
      "allow = [\n"                          // 4
      "  \"github.com\",\n"                  // 5 missing port
      "  \"github.com:70000\",\n"            // 6 out of range
      "  \"host.example:8100-8000\",\n"      // 7 reversed range
      "  \"exa mple.com:443\",\n"            // 8 bad host
      "  \"*.com:443\",\n"                   // 9 too broad
      "  \"*:443\",\n"                       // 10 too broad
      "  \"a.*.example.org:443\",\n"         // 11 wildcard inside
      "  443,\n"                             // 12 not a string
      "  \"ok.example:443\",\n"              // 13 fine
      "]\n"                                  // 14
      "deny = [\"::1:80\"]\n");              // 15 IPv6 without brackets
  EXPECT_EQ(CountLines(e), 9) << e;
  EXPECT_THAT(e, HasSubstr("p.toml:5: `network.allow`: missing port in \"github.com\": write github.com:443"));
  EXPECT_THAT(e, HasSubstr("github.com:*"));
  EXPECT_THAT(e, HasSubstr("p.toml:6: `network.allow`: port 70000 out of range 1-65535"));
  EXPECT_THAT(e, HasSubstr("p.toml:7: `network.allow`: port range 8100-8000"));
  EXPECT_THAT(e, HasSubstr("p.toml:8: `network.allow`: bad host pattern \"exa mple.com:443\""));
  EXPECT_THAT(e, HasSubstr("p.toml:9: `network.allow`: \"*.com:443\" is too broad"));
  EXPECT_THAT(e, HasSubstr("p.toml:10: `network.allow`: \"*:443\" is too broad"));
  EXPECT_THAT(e, HasSubstr("p.toml:11: `network.allow`: bad host pattern"));
  EXPECT_THAT(e, HasSubstr("p.toml:12: `network.allow` entries must be \"host:port\" strings"));
  EXPECT_THAT(e, HasSubstr("p.toml:15: `network.deny`: bad host pattern \"::1:80\""));
  EXPECT_THAT(e, Not(HasSubstr("p.toml:13")));
}

TEST(TomlLoaderNetwork, ListsMustBeArrays) {
  EXPECT_THAT(ErrorOf("version = 1\n[network]\nmode = \"allowlist\"\nallow = \"github.com:443\"\n"),
              HasSubstr("p.toml:4: `network.allow` must be an array"));
  EXPECT_THAT(ErrorOf("version = 1\n[network]\nmode = \"allowlist\"\ndeny = { a = 1 }\n"),
              HasSubstr("p.toml:4: `network.deny` must be an array"));
  EXPECT_THAT(ErrorOf("version = 1\n[network]\nmode = \"allowlist\"\nhosts = [\"a=1.2.3.4\"]\n"),
              HasSubstr("p.toml:4: `network.hosts` must be a table"));
}

TEST(TomlLoaderNetwork, BadHostsEntries) {
  std::string e = ErrorOf(
      "version = 1\n"                        // 1
      "[network]\n"                          // 2
      "mode = \"allowlist\"\n"               // 3
      "[network.hosts]\n"                    // 4
      "\"a.test\" = \"not-an-ip\"\n"         // 5
      "\"b.test\" = 3\n"                     // 6
      "\"bad name\" = \"1.2.3.4\"\n"         // 7
      "\"*.test\" = \"1.2.3.4\"\n"           // 8
      "\"127.0.0.1\" = \"1.2.3.4\"\n"        // 9 an IP literal is not a name
      "\"c.test\" = \"10.0.0.0/8\"\n"        // 10
      "\"ok.test\" = \"10.0.0.1\"\n");       // 11
  EXPECT_EQ(CountLines(e), 6) << e;
  EXPECT_THAT(e, HasSubstr("p.toml:5: `network.hosts` value for \"a.test\" must be an IP address"));
  EXPECT_THAT(e, HasSubstr("p.toml:6: `network.hosts` value for \"b.test\" must be an IP address"));
  EXPECT_THAT(e, HasSubstr("p.toml:7: `network.hosts` key \"bad name\" is not a valid host name"));
  EXPECT_THAT(e, HasSubstr("p.toml:8: `network.hosts` key \"*.test\""));
  EXPECT_THAT(e, HasSubstr("p.toml:9: `network.hosts` key \"127.0.0.1\""));
  EXPECT_THAT(e, HasSubstr("p.toml:10: `network.hosts` value for \"c.test\""));
}

TEST(TomlLoaderNetwork, RulesNeedAllowlistMode) {
  std::string none = ErrorOf("version = 1\n[network]\nmode = \"none\"\nallow = [\"github.com:443\"]\n");
  EXPECT_THAT(none, HasSubstr("p.toml:4: `network.allow` needs mode = \"allowlist\" (mode is \"none\")"));
  EXPECT_EQ(CountLines(none), 1) << none;
  // No mode at all: the profile's (none).
  std::string inherited = ErrorOf("version = 1\nextends = \"workspace-write\"\n[network]\nallow = [\"a.b:1\"]\n");
  EXPECT_THAT(inherited, HasSubstr("p.toml:4: `network.allow` needs mode = \"allowlist\" (mode is \"none\")"));
  std::string full = ErrorOf("version = 1\n[network]\nmode = \"full\"\n[network.hosts]\n\"a.test\" = \"10.0.0.1\"\n");
  EXPECT_THAT(full, HasSubstr("p.toml:4: `network.hosts` needs mode = \"allowlist\" (mode is \"full\")"));
  std::string deny = ErrorOf("version = 1\n[network]\nmode = \"full\"\ndeny = [\"a.test:1\"]\n");
  EXPECT_THAT(deny, HasSubstr("p.toml:4: `network.deny` needs mode = \"allowlist\" (mode is \"full\")"));
  // A misspelt mode is one problem, not also a complaint about the lists.
  std::string typo = ErrorOf("version = 1\n[network]\nmode = \"allowlst\"\nallow = [\"a.test:1\"]\n");
  EXPECT_THAT(typo, HasSubstr("p.toml:3: `network.mode` must be \"none\", \"allowlist\" or \"full\""));
  EXPECT_EQ(CountLines(typo), 1) << typo;
}

TEST(TomlLoaderNetwork, SamePatternAllowedAndDenied) {
  std::string e = ErrorOf(
      "version = 1\n[network]\nmode = \"allowlist\"\nallow = [\"GitHub.com:443\"]\ndeny = [\"github.com.:443\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4: contradictory network rules: \"GitHub.com:443\" is both allowed and denied "
                           "(line 5)"));
  EXPECT_EQ(CountLines(e), 1) << e;
  EXPECT_THAT(ErrorOf("version = 1\n[network]\nmode = \"allowlist\"\nallow = [\"127.0.0.1:80\"]\n"
                      "deny = [\"2130706433:80\"]\n"),
              HasSubstr("contradictory"));
}

TEST(TomlLoaderNetwork, DenyThatCoversAnAllowEntry) {
  std::string e = ErrorOf(
      "version = 1\n[network]\nmode = \"allowlist\"\n"
      "allow = [\"api.example.org:443\", \"example.org:443\", \"*.a.example.org:80\", \"b.example.org:22\"]\n"
      "deny = [\"*.example.org:1-1000\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:4: contradictory network rules: allow \"api.example.org:443\" can never match, "
                           "deny \"*.example.org:1-1000\" (line 5) covers it"));
  EXPECT_THAT(e, HasSubstr("\"*.a.example.org:80\" can never match"));
  EXPECT_THAT(e, HasSubstr("\"b.example.org:22\" can never match"));
  EXPECT_THAT(e, Not(HasSubstr("\"example.org:443\" can never match")));  // the wildcard is strict
  EXPECT_EQ(CountLines(e), 3) << e;
  // A narrower deny is what deny is for.
  Result<Policy> ok = Load("version = 1\n[network]\nmode = \"allowlist\"\nallow = [\"*.example.org:*\"]\n"
                           "deny = [\"secret.example.org:*\", \"*.example.org:22\"]\n");
  EXPECT_TRUE(ok.ok()) << ok.error().message;
}

TEST(TomlLoaderNetwork, DuplicateEntries) {
  std::string e = ErrorOf(
      "version = 1\n[network]\nmode = \"allowlist\"\n"
      "allow = [\"github.com:443\",\n \"GITHUB.com.:443\",\n \"github.com:22\",\n \"127.1:80\",\n \"127.0.0.1:80\"]\n"
      "deny = [\"x.test:1-65535\", \"x.test:*\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:5: `network.allow` lists \"GITHUB.com.:443\" twice (first at line 4)"));
  EXPECT_THAT(e, HasSubstr("p.toml:8: `network.allow` lists \"127.0.0.1:80\" twice (first at line 7)"));
  EXPECT_THAT(e, HasSubstr("p.toml:9: `network.deny` lists \"x.test:*\" twice (first at line 9)"));
  EXPECT_THAT(e, Not(HasSubstr("github.com:22")));
  EXPECT_EQ(CountLines(e), 3) << e;
  std::string hosts = ErrorOf("version = 1\n[network]\nmode = \"allowlist\"\n[network.hosts]\n"
                              "\"a.test\" = \"10.0.0.1\"\n\"A.TEST.\" = \"10.0.0.2\"\n");
  EXPECT_THAT(hosts, HasSubstr("p.toml:6: `network.hosts` names a.test twice"));
}

TEST(TomlLoaderNetwork, EveryNetworkProblemAtOnce) {
  std::string e = ErrorOf(
      "version = 1\n"                                  // 1
      "[network]\n"                                    // 2
      "mode = \"allowlist\"\n"                         // 3
      "allow = [\"a.test\", \"b.test:0\"]\n"           // 4 two problems
      "deny = [\"c.test:1-2-3\"]\n"                    // 5
      "hosts = { \"d.test\" = \"x\" }\n"               // 6
      "extra = 1\n");                                  // 7
  EXPECT_EQ(CountLines(e), 5) << e;
  for (const char* where : {"p.toml:4: `network.allow`: missing port", "p.toml:4: `network.allow`: port 0",
                            "p.toml:5:", "p.toml:6:", "p.toml:7: unknown key `network.extra`"}) {
    EXPECT_THAT(e, HasSubstr(where));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// several problems at once

TEST(TomlLoader, ReportsEveryProblemAtOnce) {
  std::string e = ErrorOf(
      "version = 1\n"                          // 1
      "bogus = 1\n"                            // 2 unknown key
      "[filesystem]\n"                         // 3
      "read = [\"rel\"]\n"                     // 4 relative path
      "write = [\"/srv/w\"]\n"                 // 5
      "deny_write = [\"/srv/w\"]\n"            // 6 contradiction
      "[limits]\n"                             // 7
      "processes = 0\n"                        // 8 not positive
      "memory = \"lots\"\n"                    // 9 bad size
      "[network]\n"                            // 10
      "mode = \"some\"\n");                    // 11 bad mode
  EXPECT_EQ(CountLines(e), 6) << e;
  for (const char* where : {"p.toml:2:", "p.toml:4:", "p.toml:6:", "p.toml:8:", "p.toml:9:", "p.toml:11:"}) {
    EXPECT_THAT(e, HasSubstr(where));
  }
}

TEST(TomlLoader, EveryLineOfAnErrorNamesTheFile) {
  std::string e = ErrorOf("a = 1\nb = 2\n[limits]\nopen_files = -1\n");
  ASSERT_GE(CountLines(e), 4) << e;  // missing version, a, b, open_files
  size_t start = 0;
  while (start < e.size()) {
    size_t end = e.find('\n', start);
    if (end == std::string::npos) end = e.size();
    EXPECT_EQ(e.compare(start, 7, "p.toml:"), 0) << e.substr(start, end - start);
    start = end + 1;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// TOML syntax

TEST(TomlLoader, SyntaxErrorGivesFileLineColumn) {
  std::string e = ErrorOf("version = 1\n[filesystem]\nread = [\"/a\" \"/b\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:3:"));
  EXPECT_THAT(e, HasSubstr("syntax"));
  // "p.toml:LINE:COL:" with a numeric column.
  size_t pos = e.find("p.toml:3:");
  ASSERT_NE(pos, std::string::npos);
  size_t col = pos + 9;
  ASSERT_LT(col, e.size());
  EXPECT_TRUE(std::isdigit(static_cast<unsigned char>(e[col]))) << e;
}

TEST(TomlLoader, SyntaxErrors) {
  EXPECT_THAT(ErrorOf("version = \n"), HasSubstr("p.toml:1:"));
  EXPECT_THAT(ErrorOf("version = 1\nversion = 1\n"), HasSubstr("p.toml:"));  // duplicate key
  EXPECT_THAT(ErrorOf("version = 1\n[filesystem\n"), HasSubstr("p.toml:2:"));
  EXPECT_THAT(ErrorOf("version = 1\nx = \"unterminated\n"), HasSubstr("p.toml:2:"));
  EXPECT_THAT(ErrorOf("version = 1\n[limits]\n[limits]\n"), HasSubstr("p.toml:"));  // table defined twice
}

TEST(TomlLoader, EmptyTextNeedsVersion) { EXPECT_THAT(ErrorOf(""), HasSubstr("version")); }

TEST(TomlLoader, BinaryGarbageIsAnErrorNotACrash) {
  std::string text("version = 1\n\x00\xff\xfe[", 16);
  EXPECT_FALSE(Load(text).ok());
  EXPECT_FALSE(Load(std::string("\xef\xbb\xbf") + "[[[").ok());
}

TEST(TomlLoader, InvalidUtf8IsReportedAtItsPosition) {
  // BUG: src/policy/toml_loader.cc LoadPolicyText hands bytes that are not UTF-8 straight to toml11 3.7.1,
  // whose parse_literal_string -> location::reset then reads past the end of its buffer (ASan:
  // heap-buffer-overflow; found by tests/fuzz/policy_fuzz, minimal input the 3 bytes 27 ff 27). Without
  // ASan the error carries a column computed from memory beyond the input: `cordon policy check` on that
  // file printed "x.toml:1:8754: TOML syntax error". Validating UTF-8 before toml::parse would fix both.
  // Skipped: running it is undefined behaviour (and an ASan abort under CORDON_SANITIZE).
  std::string e = ErrorOf("version = 1\n'\xff' = 1\n");
  EXPECT_THAT(e, ::testing::ContainsRegex("^p\\.toml:2:[1-4]:"));
}

TEST(TomlLoader, DeepNestingIsAnErrorNotACrash) {
  // BUG: src/policy/toml_loader.cc LoadPolicyText lets toml11 3.7.1 recurse once per nesting level
  // (parse_value -> parse_array/parse_inline_table -> parse_value ...) with no bound, so a 20 KB file of
  // "x = [[[[..." (or "x = {a={a=...") overflows the stack: `cordon policy check` on "version = 1\nx = "
  // followed by 20000 '[' dies with SIGSEGV (exit 139). Found by tests/fuzz/policy_fuzz (ASan: stack-overflow
  // in toml::detail::parse_array). Bounding the depth (or the size) before parsing would fix it.
  // Skipped: it kills the test binary.
  std::string arrays = "version = 1\nx = ";
  std::string tables = "version = 1\nx = ";
  for (int i = 0; i < 100000; ++i) {
    arrays += "[";
    tables += "{a=";
  }
  EXPECT_FALSE(Load(arrays).ok());
  EXPECT_FALSE(Load(tables).ok());
}

TEST(TomlLoader, DottedKeyIntoAnArrayIsAnErrorNotACrash) {
  // BUG: src/policy/toml_loader.cc LoadPolicyText: toml11 3.7.1 toml::detail::insert_nested_key calls back()
  // on an empty array when a dotted key or table header goes through a key already holding an empty array,
  // and dereferences it: the 14-byte policy "a = []\na.b = 1\n" makes `cordon policy check` die with SIGSEGV
  // (exit 139), as does "[filesystem]\nread = []\n[filesystem.read.extra]". Found by tests/fuzz/policy_fuzz
  // (UBSan: "applying non-zero offset ... to null pointer" under insert_nested_key). Needs a toml11 that
  // does not crash here (or another parser). Skipped: it kills the test binary.
  EXPECT_FALSE(Load("version = 1\na = []\na.b = 1\n").ok());
  EXPECT_FALSE(Load("version = 1\n[filesystem]\nread = []\n[filesystem.read.extra]\n").ok());
  EXPECT_FALSE(Load("version = 1\na = []\n[[a.b]]\n").ok());
}

TEST(TomlLoader, OverlongBinaryIntegerIsAnError) {
  // BUG (minor): toml11 3.7.1 parses 0b... integers with a signed multiply that overflows (UBSan: "signed
  // integer overflow: 4611686018427387904 * 2" at toml/parser.hpp:63) instead of rejecting a literal that does
  // not fit in 64 bits; found by tests/fuzz/policy_fuzz with "v0=0b" followed by 66 ones. Without a sanitizer
  // the value silently wraps: `processes = 0b1` + 64 zeros + `1` (2^65 + 1) passes `cordon policy check` and
  // `policy show` prints processes=1. Skipped: undefined behaviour.
  GTEST_SKIP() << "BUG: toml11 overflows on 0b literals longer than 63 bits";
  EXPECT_FALSE(Load("version = 1\n[limits]\nprocesses = 0b1" + std::string(64, '0') + "1\n").ok());
}

TEST(TomlLoader, NulInPathRejected) {
  // TOML allows \u0000 in a string; a path with a NUL cannot be used.
  std::string e = ErrorOf("version = 1\n[filesystem]\nread = [\"/a\\u0000b\"]\n");
  EXPECT_THAT(e, HasSubstr("p.toml:3:"));
}

// ---------------------------------------------------------------------------------------------------------------
// ParseSize

TEST(ParseSize, Valid) {
  auto ok = [](const std::string& s) {
    Result<uint64_t> r = ParseSize(s);
    EXPECT_TRUE(r.ok()) << s << ": " << (r.ok() ? "" : r.error().message);
    return r.ok() ? *r : ~0ull;
  };
  EXPECT_EQ(ok("4GiB"), 4ull << 30);
  EXPECT_EQ(ok("512MiB"), 512ull << 20);
  EXPECT_EQ(ok("1k"), 1024u);
  EXPECT_EQ(ok("1K"), 1024u);
  EXPECT_EQ(ok("100k"), 102400u);
  EXPECT_EQ(ok("1KiB"), 1024u);
  EXPECT_EQ(ok("1KB"), 1024u);
  EXPECT_EQ(ok("2M"), 2ull << 20);
  EXPECT_EQ(ok("3G"), 3ull << 30);
  EXPECT_EQ(ok("1TiB"), 1ull << 40);
  EXPECT_EQ(ok("10"), 10u);
  EXPECT_EQ(ok("10B"), 10u);
  EXPECT_EQ(ok("0"), 0u);
  EXPECT_EQ(ok("1048576"), 1048576u);
  EXPECT_EQ(ok("007"), 7u);
}

TEST(ParseSize, Invalid) {
  for (const char* s : {"", "GiB", "B", "-1", "+1", " 1", "1 GiB", "1.5GiB", "4XiB", "4GiBs", "4Gi B", "4P", "4EiB",
                        "4iB", "4ii", "0x10", "1e3", "4GG", "4GiBB", "k"}) {
    EXPECT_FALSE(ParseSize(s).ok()) << "\"" << s << "\" accepted";
  }
}

TEST(ParseSize, Overflow) {
  // 2^34 GiB = 2^64 bytes: one too many.
  EXPECT_FALSE(ParseSize("17179869184GiB").ok());
  Result<uint64_t> max_gib = ParseSize("17179869183GiB");
  ASSERT_TRUE(max_gib.ok());
  EXPECT_EQ(*max_gib, 17179869183ull << 30);
  EXPECT_FALSE(ParseSize("16777216TiB").ok());  // 2^24 TiB = 2^64
  EXPECT_TRUE(ParseSize("16777215TiB").ok());
  EXPECT_FALSE(ParseSize("18014398509481984k").ok());  // 2^54 KiB
  // Too many digits for a 64-bit count, with or without a unit; never an exception.
  EXPECT_FALSE(ParseSize("99999999999999999999").ok());
  EXPECT_FALSE(ParseSize("99999999999999999999k").ok());
  EXPECT_FALSE(ParseSize(std::string(1000, '9')).ok());
  Result<uint64_t> big = ParseSize("9999999999999999999");  // 19 digits, fits in 64 bits
  ASSERT_TRUE(big.ok());
  EXPECT_EQ(*big, 9999999999999999999ull);
}

// ---------------------------------------------------------------------------------------------------------------
// limits

TEST(TomlLoader, LimitsZeroRejected) {
  for (const char* key : {"processes", "open_files", "memory", "file_size", "tmp_size"}) {
    std::string e = ErrorOf(std::string("version = 1\n[limits]\n") + key + " = 0\n");
    EXPECT_THAT(e, HasSubstr("p.toml:3:")) << key;
    EXPECT_THAT(e, HasSubstr(std::string("limits.") + key)) << key;
  }
  ErrorOf("version = 1\n[limits]\nmemory = \"0GiB\"\n");
  ErrorOf("version = 1\n[limits]\nmemory = \"0\"\n");
}

TEST(TomlLoader, LimitsNegativeRejected) {
  for (const char* key : {"processes", "open_files", "memory", "file_size", "tmp_size", "timeout", "cpus"}) {
    std::string e = ErrorOf(std::string("version = 1\n[limits]\n") + key + " = -5\n");
    EXPECT_THAT(e, HasSubstr("p.toml:3:")) << key;
  }
  ErrorOf("version = 1\n[limits]\ntimeout = -0.5\n");
  ErrorOf("version = 1\n[limits]\nmemory = \"-1GiB\"\n");
}

TEST(TomlLoader, LimitsWrongTypesRejected) {
  ErrorOf("version = 1\n[limits]\nprocesses = \"100\"\n");
  ErrorOf("version = 1\n[limits]\nprocesses = 1.5\n");
  ErrorOf("version = 1\n[limits]\nopen_files = true\n");
  ErrorOf("version = 1\n[limits]\nmemory = 1.5\n");
  ErrorOf("version = 1\n[limits]\nmemory = \"lots\"\n");
  ErrorOf("version = 1\n[limits]\nmemory = [1]\n");
  ErrorOf("version = 1\n[limits]\ntmp_size = \"99999999999999999999GiB\"\n");
  ErrorOf("version = 1\n[limits]\ntimeout = \"10\"\n");
  ErrorOf("version = 1\n[limits]\ntimeout = nan\n");
  ErrorOf("version = 1\n[limits]\ntimeout = inf\n");
  ErrorOf("version = 1\n[limits]\ntimeout = true\n");
  ErrorOf("version = 1\n[limits]\ncpus = \"2\"\n");
  ErrorOf("version = 1\n[limits]\ncpus = nan\n");
  ErrorOf("version = 1\n[limits]\ncpus = 0.001\n");
  ErrorOf("version = 1\n[limits]\ncpus = 5000\n");
}

TEST(TomlLoader, CpusAccepted) {
  Result<Policy> r = Load("version = 1\n[limits]\ncpus = 1.5\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->limits.cpus, 1.5);
  r = Load("version = 1\n[limits]\ncpus = 2\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_DOUBLE_EQ(r->limits.cpus, 2.0);
}

TEST(TomlLoader, LimitsAccepted) {
  Result<Policy> r = Load("version = 1\n[limits]\nmemory = 1073741824\nfile_size = \"1k\"\ntimeout = 0\n");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(r->limits.memory_bytes, 1ull << 30);
  EXPECT_EQ(r->limits.file_size_bytes, 1024u);
  EXPECT_EQ(r->limits.timeout_seconds, 0.0);
  Result<Policy> t = Load("version = 1\n[limits]\ntimeout = 30\n");
  ASSERT_TRUE(t.ok()) << t.error().message;
  EXPECT_EQ(t->limits.timeout_seconds, 30.0);
}

// ---------------------------------------------------------------------------------------------------------------
// LoadPolicyFile

TEST(TomlLoader, LoadPolicyFileUsesThePathInMessages) {
  char dir[] = "/tmp/cordon-toml-XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  std::string path = std::string(dir) + "/policy.toml";
  {
    std::ofstream out(path);
    out << "version = 1\n[filesystem]\nread = [\"rel\"]\n";
  }
  Result<Policy> r = LoadPolicyFile(path);
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().message, HasSubstr(path + ":3:"));
  {
    std::ofstream out(path);
    out << "version = 1\n";
  }
  Result<Policy> ok = LoadPolicyFile(path);
  ASSERT_TRUE(ok.ok()) << ok.error().message;
  EXPECT_EQ(ok->name, path);
  std::remove(path.c_str());
  Result<Policy> missing = LoadPolicyFile(path);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().err, 0);
  rmdir(dir);
}

}  // namespace
}  // namespace cordon::policy
