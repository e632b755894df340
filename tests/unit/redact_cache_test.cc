// The cache of compiled exact values (and user rules) between runs: hit, miss, corrupt entries, directories that
// are not private, eviction; and how long Create takes with 20 values, cold and warm.
#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <functional>
#include <random>
#include <set>

#include "redact/exact_values.h"
#include "redact/redactor.h"
#include "redact/rules.h"

namespace cordon::redact {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

class TempDir {
 public:
  TempDir() {
    char tmpl[] = "/tmp/cordon-redact-cache-XXXXXX";
    path_ = mkdtemp(tmpl);
  }
  ~TempDir() {
    chmod(path_.c_str(), 0700);
    for (const std::string& f : Files("")) unlink((path_ + "/" + f).c_str());
    rmdir(path_.c_str());
  }
  const std::string& path() const { return path_; }
  // The names in the directory that start with `prefix`.
  std::set<std::string> Files(const std::string& prefix) const {
    std::set<std::string> out;
    DIR* d = opendir(path_.c_str());
    if (d == nullptr) return out;
    while (dirent* e = readdir(d)) {
      std::string name = e->d_name;
      if (name != "." && name != ".." && name.starts_with(prefix)) out.insert(name);
    }
    closedir(d);
    return out;
  }
  // The cache entries: "redact-" and 64 hex digits (not temporary files).
  std::set<std::string> Entries() const {
    std::set<std::string> out;
    for (const std::string& f : Files("redact-")) {
      if (f.size() == 7 + 64 && f.find('.') == std::string::npos) out.insert(f);
    }
    return out;
  }

 private:
  std::string path_;
};

std::vector<std::string> Values(int n, unsigned seed) {
  std::mt19937 rng(seed);
  const std::string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::vector<std::string> out;
  for (int i = 0; i < n; ++i) {
    std::string v = "value-" + std::to_string(i) + "-";
    for (int k = 0; k < 32; ++k) v += alphabet[rng() % alphabet.size()];
    out.push_back(v);
  }
  return out;
}

std::unique_ptr<Redactor> Make(const RuleSet& rules, const std::vector<std::string>& values,
                               const CacheOptions& cache) {
  Result<std::unique_ptr<Redactor>> r = Redactor::Create(rules, values, cache);
  EXPECT_TRUE(r.ok()) << r.error().ToString();
  return r.ok() ? std::move(r).value() : nullptr;
}

// Output that names every value raw, in base64 and in hex.
std::string Sample(const std::vector<std::string>& values) {
  std::string out = "some output\n";
  for (const std::string& v : values) {
    out += "raw " + v + "\n";
    out += "b64 " + Base64(v, false, true) + "\n";
    out += "hex " + Hex(v, false) + "\n";
  }
  return out;
}

void ExpectRedacted(const Redactor& r, const std::vector<std::string>& values) {
  std::string out = r.RedactAll(Sample(values));
  for (const std::string& v : values) {
    EXPECT_THAT(out, Not(HasSubstr(v)));
    EXPECT_THAT(out, Not(HasSubstr(Hex(v, false))));
  }
  EXPECT_THAT(out, HasSubstr("[REDACTED:secret-value]"));
  EXPECT_THAT(out, HasSubstr("[REDACTED:secret-value-base64]"));
  EXPECT_THAT(out, HasSubstr("[REDACTED:secret-value-hex]"));
}

TEST(RedactCache, SecondCreateLoadsWhatTheFirstCompiled) {
  TempDir dir;
  std::vector<std::string> values = Values(5, 1);
  std::unique_ptr<Redactor> cold = Make(BuiltinRuleSet(), values, {dir.path()});
  ASSERT_NE(cold, nullptr);
  EXPECT_FALSE(cold->loaded_from_cache());
  ASSERT_EQ(dir.Files("").size(), 1u);  // one entry, no temporary file left
  ASSERT_EQ(dir.Entries().size(), 1u);
  struct stat st {};
  ASSERT_EQ(stat((dir.path() + "/" + *dir.Entries().begin()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  std::unique_ptr<Redactor> warm = Make(BuiltinRuleSet(), values, {dir.path()});
  ASSERT_NE(warm, nullptr);
  EXPECT_TRUE(warm->loaded_from_cache());
  EXPECT_TRUE(warm->used_embedded_database());
  EXPECT_EQ(warm->pattern_count(), cold->pattern_count());
  EXPECT_EQ(warm->hold_limit(), cold->hold_limit());
  ExpectRedacted(*warm, values);
  EXPECT_EQ(warm->RedactAll(Sample(values)), cold->RedactAll(Sample(values)));
  EXPECT_EQ(dir.Entries().size(), 1u);  // nothing new written
  // The old overload never touches a cache.
  Result<std::unique_ptr<Redactor>> plain = Redactor::Create(BuiltinRuleSet(), values);
  ASSERT_TRUE(plain.ok());
  EXPECT_FALSE((*plain)->loaded_from_cache());
}

TEST(RedactCache, OtherValuesOrRulesMiss) {
  TempDir dir;
  std::vector<std::string> a = Values(4, 1), b = Values(4, 2);
  ASSERT_NE(Make(BuiltinRuleSet(), a, {dir.path()}), nullptr);
  std::unique_ptr<Redactor> rb = Make(BuiltinRuleSet(), b, {dir.path()});
  ASSERT_NE(rb, nullptr);
  EXPECT_FALSE(rb->loaded_from_cache());
  ExpectRedacted(*rb, b);
  EXPECT_EQ(dir.Entries().size(), 2u);
  // One value more, one value changed by a byte: other entries.
  std::vector<std::string> c = a;
  c.push_back("one-more-secret-value");
  std::unique_ptr<Redactor> rc = Make(BuiltinRuleSet(), c, {dir.path()});
  ASSERT_NE(rc, nullptr);
  EXPECT_FALSE(rc->loaded_from_cache());
  std::vector<std::string> d = a;
  d[0].back() ^= 1;
  std::unique_ptr<Redactor> rd = Make(BuiltinRuleSet(), d, {dir.path()});
  ASSERT_NE(rd, nullptr);
  EXPECT_FALSE(rd->loaded_from_cache());
  EXPECT_EQ(dir.Entries().size(), 4u);
  // The same values with a user rule: the rule is compiled with them, and cached with them.
  RuleSet with_rule = BuiltinRuleSet();
  Rule rule;
  rule.id = "acme-token";
  rule.regex = "acme_[a-z0-9]{8,40}";
  with_rule.rules.push_back(rule);
  std::unique_ptr<Redactor> re = Make(with_rule, a, {dir.path()});
  ASSERT_NE(re, nullptr);
  EXPECT_FALSE(re->loaded_from_cache());
  std::unique_ptr<Redactor> rf = Make(with_rule, a, {dir.path()});
  ASSERT_NE(rf, nullptr);
  EXPECT_TRUE(rf->loaded_from_cache());
  EXPECT_EQ(rf->RedactAll("x acme_0123abcdef99 y"), "x [REDACTED:acme-token] y");
  ExpectRedacted(*rf, a);
  // ...and the values alone still hit their own entry.
  std::unique_ptr<Redactor> ra = Make(BuiltinRuleSet(), a, {dir.path()});
  ASSERT_NE(ra, nullptr);
  EXPECT_TRUE(ra->loaded_from_cache());
}

// Damages the one entry in `dir` with `damage` (given the file's bytes), then expects a recompile that works and
// rewrites the entry, so that the next Create hits again.
void ExpectRecompiledAfter(const std::function<void(std::string&)>& damage) {
  TempDir dir;
  std::vector<std::string> values = Values(3, 7);
  ASSERT_NE(Make(BuiltinRuleSet(), values, {dir.path()}), nullptr);
  ASSERT_EQ(dir.Entries().size(), 1u);
  std::string file = dir.path() + "/" + *dir.Entries().begin();
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  damage(bytes);
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  }
  std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, {dir.path()});
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->loaded_from_cache());
  ExpectRedacted(*r, values);
  std::unique_ptr<Redactor> again = Make(BuiltinRuleSet(), values, {dir.path()});
  ASSERT_NE(again, nullptr);
  EXPECT_TRUE(again->loaded_from_cache());
  ExpectRedacted(*again, values);
}

TEST(RedactCache, CorruptEntriesAreRecompiledAndRewritten) {
  // The header is 88 bytes (magic, format, key, digest, length), then the pattern table (28 bytes and 14 per
  // pattern), then Hyperscan's databases (checked by Hyperscan's CRC).
  ExpectRecompiledAfter([](std::string& b) { b[0] = 'X'; });                // the magic
  ExpectRecompiledAfter([](std::string& b) { b[8] ^= 1; });                 // the format
  ExpectRecompiledAfter([](std::string& b) { b[20] ^= 1; });                // the key
  ExpectRecompiledAfter([](std::string& b) { b[60] ^= 1; });                // the digest
  ExpectRecompiledAfter([](std::string& b) { b[88 + 20 + 5] ^= 1; });       // the first pattern's min width
  ExpectRecompiledAfter([](std::string& b) { b[b.size() / 2] ^= 0x40; });   // the Hyperscan bytecode
  ExpectRecompiledAfter([](std::string& b) { b[b.size() * 3 / 4] ^= 0x01; });
  ExpectRecompiledAfter([](std::string& b) { b.resize(b.size() - 10); });
  ExpectRecompiledAfter([](std::string& b) { b.resize(40); });
  ExpectRecompiledAfter([](std::string& b) { b.clear(); });
  ExpectRecompiledAfter([](std::string& b) { b += "trailing"; });
}

TEST(RedactCache, AnEntryOpenToOthersIsNotRead) {
  TempDir dir;
  std::vector<std::string> values = Values(3, 8);
  ASSERT_NE(Make(BuiltinRuleSet(), values, {dir.path()}), nullptr);
  std::string file = dir.path() + "/" + *dir.Entries().begin();
  ASSERT_EQ(chmod(file.c_str(), 0644), 0);
  std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, {dir.path()});
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->loaded_from_cache());
  struct stat st {};
  ASSERT_EQ(stat(file.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);  // replaced by a private one
  // A symlink in the entry's place is not followed.
  std::string target = dir.path() + "/elsewhere";
  ASSERT_EQ(rename(file.c_str(), target.c_str()), 0);
  ASSERT_EQ(symlink(target.c_str(), file.c_str()), 0);
  r = Make(BuiltinRuleSet(), values, {dir.path()});
  ASSERT_NE(r, nullptr);
  EXPECT_FALSE(r->loaded_from_cache());
  ASSERT_EQ(lstat(file.c_str(), &st), 0);
  EXPECT_TRUE(S_ISREG(st.st_mode));  // the symlink was replaced (rename), its target left alone
  unlink(target.c_str());
}

TEST(RedactCache, ADirectoryThatIsNotPrivateIsNotUsed) {
  std::vector<std::string> values = Values(3, 9);
  for (mode_t mode : {0750, 0705, 0755, 0777, 0710}) {
    TempDir dir;
    ASSERT_EQ(chmod(dir.path().c_str(), mode), 0);
    std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, {dir.path()});
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(r->loaded_from_cache());
    ExpectRedacted(*r, values);
    EXPECT_TRUE(dir.Entries().empty()) << std::oct << mode;  // nothing written there
  }
  {
    // A cache written while private, then opened up, is not read.
    TempDir dir;
    ASSERT_NE(Make(BuiltinRuleSet(), values, {dir.path()}), nullptr);
    ASSERT_EQ(chmod(dir.path().c_str(), 0755), 0);
    std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, {dir.path()});
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(r->loaded_from_cache());
  }
  {
    // A symlink to a private directory, a relative path, a missing directory, a file.
    TempDir dir;
    std::string link = dir.path() + "-link";
    ASSERT_EQ(symlink(dir.path().c_str(), link.c_str()), 0);
    std::string file = dir.path() + "/file";
    std::ofstream(file) << "x";
    for (const std::string& where : {link, std::string("relative/dir"), dir.path() + "/missing", file}) {
      std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, {where});
      ASSERT_NE(r, nullptr);
      EXPECT_FALSE(r->loaded_from_cache()) << where;
    }
    EXPECT_TRUE(dir.Entries().empty());
    unlink(link.c_str());
  }
  if (geteuid() == 0) {
    // Owned by someone else (root can make it so).
    TempDir dir;
    ASSERT_EQ(chown(dir.path().c_str(), 65534, 65534), 0);
    std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, {dir.path()});
    ASSERT_NE(r, nullptr);
    EXPECT_FALSE(r->loaded_from_cache());
    EXPECT_TRUE(dir.Entries().empty());
    ASSERT_EQ(chown(dir.path().c_str(), 0, 0), 0);
  }
}

TEST(RedactCache, TheLeastRecentlyUsedEntriesAreEvicted) {
  TempDir dir;
  std::ofstream(dir.path() + "/scan-0123456789abcdef") << "another cache's file";
  // Temporary files: one a writer left behind long ago, one being written now.
  std::string stale = "redact-" + std::string(64, 'a') + ".tmp-1-1-0";
  std::string fresh = "redact-" + std::string(64, 'b') + ".tmp-2-2-0";
  std::ofstream(dir.path() + "/" + stale) << "x";
  std::ofstream(dir.path() + "/" + fresh) << "x";
  timespec old[2] = {{1000, 0}, {1000, 0}};
  ASSERT_EQ(utimensat(AT_FDCWD, (dir.path() + "/" + stale).c_str(), old, 0), 0);

  CacheOptions cache{dir.path(), 3};
  std::vector<std::string> written;  // in order
  for (unsigned seed : {100, 101, 102}) {
    std::set<std::string> before = dir.Entries();
    ASSERT_NE(Make(RuleSet{}, Values(2, seed), cache), nullptr);
    std::set<std::string> now = dir.Entries();
    ASSERT_EQ(now.size(), before.size() + 1);
    for (const std::string& e : now) {
      if (!before.count(e)) written.push_back(e);
    }
  }
  EXPECT_EQ(dir.Files(stale).size(), 0u);
  EXPECT_EQ(dir.Files(fresh).size(), 1u);
  // A hit makes the first entry the most recently used: the second goes when a fourth is written.
  std::unique_ptr<Redactor> hit = Make(RuleSet{}, Values(2, 100), cache);
  ASSERT_NE(hit, nullptr);
  EXPECT_TRUE(hit->loaded_from_cache());
  ASSERT_NE(Make(RuleSet{}, Values(2, 103), cache), nullptr);
  std::set<std::string> now = dir.Entries();
  EXPECT_EQ(now.size(), 3u);
  EXPECT_EQ(now.count(written[0]), 1u);
  EXPECT_EQ(now.count(written[1]), 0u);
  EXPECT_EQ(now.count(written[2]), 1u);
  std::unique_ptr<Redactor> third = Make(RuleSet{}, Values(2, 102), {dir.path(), 8});
  ASSERT_NE(third, nullptr);
  EXPECT_TRUE(third->loaded_from_cache());
  std::unique_ptr<Redactor> second = Make(RuleSet{}, Values(2, 101), {dir.path(), 8});
  ASSERT_NE(second, nullptr);
  EXPECT_FALSE(second->loaded_from_cache());  // it was evicted; written again now (max 8)
  EXPECT_EQ(dir.Entries().size(), 4u);
  EXPECT_EQ(dir.Files("scan-").size(), 1u);  // other files are left alone
  EXPECT_EQ(dir.Files(fresh).size(), 1u);
  // max_files 0: nothing is written.
  TempDir none;
  ASSERT_NE(Make(RuleSet{}, Values(2, 1), {none.path(), 0}), nullptr);
  EXPECT_TRUE(none.Files("").empty());
}

// Not a check: how long Create takes with 20 values (and the built-in rules), without the cache, on a miss and on
// a hit. Printed for the record.
TEST(RedactCache, ColdAndWarmCreateTimes) {
  TempDir dir;
  std::vector<std::string> values = Values(20, 42);
  using Clock = std::chrono::steady_clock;
  auto time = [&](const CacheOptions& cache, bool expect_hit) {
    Clock::time_point t0 = Clock::now();
    std::unique_ptr<Redactor> r = Make(BuiltinRuleSet(), values, cache);
    double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
    EXPECT_NE(r, nullptr);
    if (r != nullptr) {
      EXPECT_EQ(r->loaded_from_cache(), expect_hit);
    }
    return ms;
  };
  double none = 1e9, cold = 0, warm = 1e9;
  for (int i = 0; i < 3; ++i) none = std::min(none, time({}, false));
  cold = time({dir.path()}, false);
  for (int i = 0; i < 10; ++i) warm = std::min(warm, time({dir.path()}, true));
  Clock::time_point t0 = Clock::now();
  Result<std::unique_ptr<Redactor>> builtin_only = Redactor::Create(BuiltinRuleSet(), {});
  double base = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
  ASSERT_TRUE(builtin_only.ok());
  std::printf("Create, built-in rules + 20 values: no cache %.2f ms, miss (compile + write) %.2f ms, hit %.2f ms; "
              "built-in rules alone %.2f ms\n",
              none, cold, warm, base);
  RecordProperty("no_cache_ms", std::to_string(none));
  RecordProperty("miss_ms", std::to_string(cold));
  RecordProperty("hit_ms", std::to_string(warm));
}

}  // namespace
}  // namespace cordon::redact
