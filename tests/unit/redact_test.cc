// The output redactor: built-in rules against their samples, streaming at every split, Flush, exact values in
// their encodings, user rules from TOML, and the regex reversal that finds where a match starts.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <random>
#include <set>

#include "redact/exact_values.h"
#include "redact/redactor.h"
#include "redact/regex_reverse.h"
#include "redact/rules.h"

namespace cordon::redact {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

const Redactor& Builtin() {
  static std::unique_ptr<Redactor> r = [] {
    Result<std::unique_ptr<Redactor>> c = Redactor::Create(BuiltinRuleSet(), {});
    if (!c.ok()) ADD_FAILURE() << c.error().ToString();
    return std::move(c).value();
  }();
  return *r;
}

std::string Marker(const std::string& id) { return "[REDACTED:" + id + "]"; }

// Streams `data` in pieces cut at `cuts` (offsets), then finishes.
std::string Streamed(const Redactor& r, std::string_view data, const std::vector<size_t>& cuts) {
  std::unique_ptr<Stream> s = r.NewStream();
  std::string out;
  size_t at = 0;
  for (size_t cut : cuts) {
    s->Write(data.substr(at, cut - at), out);
    at = cut;
  }
  s->Write(data.substr(at), out);
  s->Finish(out);
  return out;
}

// ---- the rule set

TEST(RedactRules, AtLeastSixtyRulesWithSamplesAndUniqueIds) {
  const std::vector<Rule>& rules = BuiltinRules();
  EXPECT_GE(rules.size(), 60u);
  std::set<std::string> ids;
  for (const Rule& r : rules) {
    EXPECT_TRUE(ids.insert(r.id).second) << r.id;
    EXPECT_GE(r.positives.size(), 2u) << r.id;
    EXPECT_GE(r.negatives.size(), 2u) << r.id;
    EXPECT_FALSE(r.description.empty()) << r.id;
  }
}

TEST(RedactRules, EveryBuiltinRulePassesCheckRule) {
  for (const Rule& r : BuiltinRules()) {
    Status s = CheckRule(r);
    EXPECT_TRUE(s.ok()) << s.error().ToString();
  }
}

TEST(RedactRules, BuiltinsComeFromTheEmbeddedDatabase) {
  EXPECT_TRUE(Builtin().used_embedded_database());
  EXPECT_LE(Builtin().hold_limit(), kMaxRuleWidth);
}

// Each positive sample, alone, becomes exactly one marker of its rule (by the full set: no other rule may claim
// it first), and stays so with text around it.
TEST(RedactRules, PositivesAreRedactedWhole) {
  for (const Rule& r : BuiltinRules()) {
    for (const std::string& p : r.positives) {
      EXPECT_EQ(Builtin().RedactAll(p), Marker(r.id)) << "rule " << r.id << ", sample: " << p;
      // A private key cut short is redacted up to the next character that cannot be base64 (`#` here).
      std::string got = Builtin().RedactAll("log: " + p + "\n# next line.\n");
      if (r.begin.empty() || got != "log: " + Marker(r.id) + "# next line.\n") {
        EXPECT_EQ(got, "log: " + Marker(r.id) + "\n# next line.\n") << "rule " << r.id << ", sample: " << p;
      }
    }
  }
}

TEST(RedactRules, NegativesAreUntouchedByEveryRule) {
  for (const Rule& r : BuiltinRules()) {
    for (const std::string& n : r.negatives) {
      EXPECT_EQ(Builtin().RedactAll(n), n) << "rule " << r.id << ", negative sample: " << n;
      EXPECT_EQ(Builtin().RedactAll("x " + n + "\n"), "x " + n + "\n") << "rule " << r.id;
    }
  }
}

TEST(RedactRules, EachRuleAloneRedactsItsPositives) {
  // One database for each rule would take minutes to compile; a few representative ones, each alone.
  for (const char* id : {"github-pat", "generic-password", "private-key", "jwt", "url-credentials"}) {
    const Rule* rule = nullptr;
    for (const Rule& r : BuiltinRules()) {
      if (r.id == id) rule = &r;
    }
    ASSERT_NE(rule, nullptr) << id;
    Result<std::unique_ptr<Redactor>> r = Redactor::Create(RuleSet{{*rule}}, {});
    ASSERT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_FALSE((*r)->used_embedded_database());
    for (const std::string& p : rule->positives) EXPECT_EQ((*r)->RedactAll(p), Marker(id)) << p;
    for (const std::string& n : rule->negatives) EXPECT_EQ((*r)->RedactAll(n), n) << n;
  }
}

TEST(RedactRules, CountsPerRule) {
  std::map<std::string, uint64_t> counts;
  const Rule& gh = BuiltinRules()[0];
  std::string text = "a " + gh.positives[0] + " b " + gh.positives[1] + "\n";
  Builtin().RedactAll(text, &counts);
  EXPECT_EQ(counts[gh.id], 2u);
  EXPECT_EQ(counts.size(), 1u);
}

// ---- matching details

std::string Sample(const std::string& id, size_t i = 0) {
  for (const Rule& r : BuiltinRules()) {
    if (r.id == id) return r.positives.at(i);
  }
  ADD_FAILURE() << "no rule " << id;
  return "";
}

TEST(RedactMatch, OverlappingAndAdjacentMatchesMergeIntoOneMarker) {
  std::string a = Sample("github-pat", 0), b = Sample("github-pat", 1);
  // Overlapping: the generic rule starts first, so the marker is its.
  std::map<std::string, uint64_t> counts;
  EXPECT_EQ(Builtin().RedactAll("token=" + a + "\n", &counts), Marker("generic-token") + "\n");
  EXPECT_EQ(counts.size(), 1u);
  counts.clear();
  EXPECT_EQ(Builtin().RedactAll(a + " " + b, &counts), Marker("github-pat") + " " + Marker("github-pat"));
  EXPECT_EQ(counts["github-pat"], 2u);
  // Adjacent: one marker.
  Result<std::unique_ptr<Redactor>> r = Redactor::Create(RuleSet{}, {"first-value-1", "second-value-2"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)->RedactAll("<first-value-1second-value-2>"), "<" + Marker("secret-value") + ">");
  EXPECT_EQ(Streamed(**r, "<first-value-1second-value-2>", {14}), "<" + Marker("secret-value") + ">");
}

TEST(RedactMatch, GenericRulesNeedEntropy) {
  EXPECT_EQ(Builtin().RedactAll("password=aaaaaaaaaaaa\n"), "password=aaaaaaaaaaaa\n");
  EXPECT_EQ(Builtin().RedactAll("password=Xk9#mP2$vLq7\n"), Marker("generic-password") + "\n");
  EXPECT_EQ(Builtin().RedactAll("export API_KEY='Xk9mP2vLq7Zt4Wn8'\n"), "export " + Marker("generic-api-key") + "\n");
}

TEST(RedactMatch, LineRulesDoNotSpanLines) {
  // "password:" at the end of one line and a value on the next is not an assignment.
  EXPECT_EQ(Builtin().RedactAll("password:\nXk9#mP2$vLq7\n"), "password:\nXk9#mP2$vLq7\n");
}

TEST(RedactMatch, BinaryOutputPassesUnchanged) {
  std::mt19937 rng(7);
  std::string data(1 << 20, '\0');
  for (char& c : data) c = static_cast<char>(rng() & 0xff);
  for (size_t i = 0; i < data.size(); i += 97) data[i] = '\0';
  EXPECT_EQ(Builtin().RedactAll(data), data);
  EXPECT_EQ(Streamed(Builtin(), data, {1, 4095, 70000, 500000}), data);
}

TEST(RedactMatch, Utf8AroundSecrets) {
  std::string key = Sample("anthropic-api-key");
  std::string text = "clé : " + key + " — ✓ 密钥🔑\n";
  EXPECT_EQ(Builtin().RedactAll(text), "clé : " + Marker("anthropic-api-key") + " — ✓ 密钥🔑\n");
  std::string invalid = "\xff\xfe" + key + "\xc3\n";
  EXPECT_EQ(Builtin().RedactAll(invalid), "\xff\xfe" + Marker("anthropic-api-key") + "\xc3\n");
}

TEST(RedactMatch, PemKeyPrintedLineByLineIsRedactedWhole) {
  std::string pem = Sample("private-key");
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  size_t at = 0;
  while (at < pem.size()) {
    size_t nl = pem.find('\n', at);
    size_t end = nl == std::string::npos ? pem.size() : nl + 1;
    s->Write(std::string_view(pem).substr(at, end - at), out);
    s->Flush(out);
    s->Flush(out);
    EXPECT_THAT(out, Not(HasSubstr("BEGIN"))) << "released while the block is open";
    at = end;
  }
  s->Write("\ndone\n", out);
  s->Finish(out);
  EXPECT_EQ(out, Marker("private-key") + "\ndone\n");
}

TEST(RedactMatch, TruncatedPemKeyIsRedacted) {
  std::string pem = Sample("private-key");
  std::string head = pem.substr(0, pem.find('\n', pem.find('\n') + 1) + 1);  // BEGIN line and one body line
  EXPECT_THAT(Builtin().RedactAll(head), HasSubstr(Marker("private-key")));
  EXPECT_THAT(Builtin().RedactAll(head), Not(HasSubstr("BEGIN")));
}

// ---- streaming

TEST(RedactStream, EverySplitOfEveryPositiveGivesTheOneShotOutput) {
  for (const Rule& r : BuiltinRules()) {
    for (const std::string& p : r.positives) {
      std::string text = "before " + p + " after\n";
      std::string want = Builtin().RedactAll(text);
      ASSERT_THAT(want, HasSubstr(Marker(r.id)));
      for (size_t k = 0; k <= text.size(); ++k) {
        ASSERT_EQ(Streamed(Builtin(), text, {k}), want) << r.id << " split at " << k;
      }
    }
  }
}

std::string MixedText() {
  std::string text;
  size_t i = 0;
  for (const Rule& r : BuiltinRules()) {
    text += "line " + std::to_string(i++) + ": ";
    text += r.positives[0];
    text += (i % 3 == 0) ? "\r\n" : " and some words after it\n";
    text += r.negatives[0] + "\n";
  }
  return text;
}

TEST(RedactStream, ByteByByteGivesTheOneShotOutput) {
  std::string text = MixedText();
  std::string want = Builtin().RedactAll(text);
  std::vector<size_t> cuts;
  for (size_t k = 1; k < text.size(); ++k) cuts.push_back(k);
  EXPECT_EQ(Streamed(Builtin(), text, cuts), want);
}

TEST(RedactStream, RandomSplitsGiveTheOneShotOutput) {
  std::string text = MixedText();
  std::string want = Builtin().RedactAll(text);
  std::mt19937 rng(11);
  for (int round = 0; round < 50; ++round) {
    std::set<size_t> cuts;
    for (int c = 0; c < 30; ++c) cuts.insert(rng() % text.size());
    ASSERT_EQ(Streamed(Builtin(), text, std::vector<size_t>(cuts.begin(), cuts.end())), want) << "round " << round;
  }
}

TEST(RedactStream, LinesAreReleasedAtTheirBreak) {
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  s->Write("hello world\npartial", out);
  EXPECT_EQ(out, "hello world\n");
  EXPECT_EQ(s->held(), 7u);
  s->Write(" line\r", out);
  EXPECT_EQ(out, "hello world\npartial line\r");
  EXPECT_EQ(s->held(), 0u);
}

TEST(RedactStream, FlushKeepsTheLastWordOnceThenReleasesIt) {
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  s->Write("Enter token: ghp_abc", out);
  EXPECT_EQ(out, "");
  s->Flush(out);
  EXPECT_EQ(out, "Enter token: ");
  s->Flush(out);
  EXPECT_EQ(out, "Enter token: ghp_abc");
  EXPECT_EQ(s->held(), 0u);
  s->Write("\n", out);
  s->Finish(out);
  EXPECT_EQ(out, "Enter token: ghp_abc\n");
}

TEST(RedactStream, AFlushedSecretWhoseRestFollowsIsStillRedacted) {
  std::string key = Sample("github-pat");
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  s->Write("key " + key.substr(0, 10), out);
  s->Flush(out);  // keeps the word
  s->Write(key.substr(10) + "\n", out);
  s->Finish(out);
  EXPECT_EQ(out, "key " + Marker("github-pat") + "\n");
}

TEST(RedactStream, ACompleteMatchReleasedByFlushSwallowsItsContinuation) {
  // A complete match that could still grow is redacted by Flush; when it grows, no second marker and no leak.
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  std::string token = Sample("vault-service-token", 1);  // hvs. + 24, may grow to 256
  s->Write("t=" + token, out);
  s->Flush(out);
  s->Flush(out);
  EXPECT_EQ(out, "t=" + Marker("vault-service-token"));
  s->Write("MoreTokenCharacters\n", out);
  s->Finish(out);
  EXPECT_EQ(out, "t=" + Marker("vault-service-token") + "\n");
}

TEST(RedactStream, VeryLongLinesStayBounded) {
  const size_t kSize = 10 << 20;
  std::string line;
  line.reserve(kSize);
  std::mt19937 rng(3);
  while (line.size() < kSize) line += "abcdefghij klmnopqrstu vwxyz0123 456789 "[rng() % 40];
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  for (size_t at = 0; at < line.size(); at += 1 << 16) {
    s->Write(std::string_view(line).substr(at, 1 << 16), out);
    ASSERT_LE(s->held(), Builtin().hold_limit());
  }
  s->Finish(out);
  EXPECT_EQ(out, line);

  // The same with secrets spread over it, in one write and streamed.
  std::string key = Sample("openai-project-key");
  std::string want;
  std::string with;
  for (size_t at = 0; at < line.size(); at += 1 << 20) {
    std::string part = line.substr(at, 1 << 20);
    with += part + " " + key + " ";
    want += part + " " + Marker("openai-project-key") + " ";
  }
  EXPECT_EQ(Builtin().RedactAll(with), want);
  EXPECT_EQ(Streamed(Builtin(), with, {12345, 3 << 20, (3 << 20) + 17}), want);
}

TEST(RedactStream, WriteAfterFinishDies) {
  std::unique_ptr<Stream> s = Builtin().NewStream();
  std::string out;
  s->Finish(out);
  EXPECT_DEATH(s->Write("x", out), "Write after Finish");
}

// ---- exact values

TEST(RedactExact, Base64CoresAreFoundInEveryAlignment) {
  std::mt19937 rng(5);
  for (int round = 0; round < 200; ++round) {
    std::string v(8 + rng() % 40, '\0'), p(rng() % 5, '\0'), q(rng() % 5, '\0');
    for (std::string* s : {&v, &p, &q}) {
      for (char& c : *s) c = static_cast<char>(rng() & 0xff);
    }
    for (bool url : {false, true}) {
      std::string enc = Base64(p + v + q, url, true);
      std::string core = Base64Core(v, static_cast<int>(p.size() % 3), url);
      ASSERT_FALSE(core.empty());
      ASSERT_NE(enc.find(core), std::string::npos) << "alignment " << p.size() % 3;
    }
  }
}

const Redactor& WithValues() {
  static std::unique_ptr<Redactor> r = [] {
    Result<std::unique_ptr<Redactor>> c =
        Redactor::Create(BuiltinRuleSet(), {"hunter2-correct-horse", "short", "line one of a file\nline two of it\n"});
    if (!c.ok()) ADD_FAILURE() << c.error().ToString();
    return std::move(c).value();
  }();
  return *r;
}

TEST(RedactExact, RawBase64AndHex) {
  const std::string v = "hunter2-correct-horse";
  EXPECT_EQ(WithValues().RedactAll("pw is " + v + "!\n"), "pw is " + Marker("secret-value") + "!\n");
  EXPECT_EQ(WithValues().RedactAll(Hex(v, false) + "\n"), Marker("secret-value-hex") + "\n");
  EXPECT_EQ(WithValues().RedactAll(Hex(v, true) + "\n"), Marker("secret-value-hex") + "\n");
  for (std::string prefix : {"", "a", "ab", "abc"}) {
    for (bool url : {false, true}) {
      std::string enc = Base64(prefix + v + "\n", url, true);
      std::string out = WithValues().RedactAll(enc);
      EXPECT_THAT(out, HasSubstr(Marker("secret-value-base64"))) << enc;
      // What is left visible is at most 3 characters on each side.
      EXPECT_LE(out.size() - Marker("secret-value-base64").size(), 3u + 3u + 4u) << out;
    }
  }
  EXPECT_EQ(WithValues().RedactAll("\"pw\": \"" + v + "\""), "\"pw\": \"" + Marker("secret-value") + "\"");
}

TEST(RedactExact, ShortValuesAreIgnoredAndFilesGoLineByLine) {
  EXPECT_EQ(WithValues().RedactAll("short\n"), "short\n");
  EXPECT_EQ(WithValues().RedactAll("> line two of it\n"), "> " + Marker("secret-value") + "\n");
  std::string wrapped = Base64("line one of a file\nline two of it\n", false, true);
  EXPECT_THAT(WithValues().RedactAll(wrapped), HasSubstr(Marker("secret-value-base64")));
}

TEST(RedactExact, AFileOfVeryLongLinesStillBuildsAndIsRedacted) {
  // A secret file of long lines (JSON, a key bundle): every form of it must compile, and a piece of it found.
  std::string line;
  for (int i = 0; line.size() < 20000; ++i) line += "k" + std::to_string(i * 7919) + "=v" + std::to_string(i * 104729) + ";";
  Result<std::unique_ptr<Redactor>> r = Redactor::Create(BuiltinRuleSet(), {line + "\n" + line.substr(5000) + "\n"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  std::string out = (*r)->RedactAll("dump: " + line.substr(3000, 3000) + "\n");
  EXPECT_THAT(out, HasSubstr(Marker("secret-value")));
  EXPECT_EQ(out.find(line.substr(4000, 200)), std::string::npos);
}

TEST(RedactExact, ValuesAloneWithoutRules) {
  Result<std::unique_ptr<Redactor>> r = Redactor::Create(RuleSet{}, {"s3cr3t-value-here"});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ((*r)->RedactAll("x s3cr3t-value-here y"), "x " + Marker("secret-value") + " y");
  EXPECT_FALSE(Redactor::Create(RuleSet{}, {"tiny"}).ok());  // nothing to redact at all
}

// ---- user rules (TOML)

TEST(RedactToml, LoadsRulesAndUsesThem) {
  Result<RuleSet> rs = LoadRulesText(R"(
version = 1
[[rule]]
id = "acme-token"
description = "ACME internal API token"
regex = 'acme_[A-Za-z0-9]{32}'
positives = ["acme_0123456789abcdefABCDEF0123456789"]
negatives = ["acme_short"]

[[rule]]
id = "acme-password"
regex = '(?i)acme_pass[ \t]{0,2}=[ \t]{0,2}[^\s]{8,64}'
min_entropy = 3.0
value_after = ["="]
)",
                                     "rules.toml");
  ASSERT_TRUE(rs.ok()) << rs.error().ToString();
  ASSERT_EQ(rs->rules.size(), 2u);
  EXPECT_EQ(rs->rules[0].origin, "rules.toml:3");
  RuleSet all = BuiltinRuleSet();
  for (Rule& r : rs->rules) all.rules.push_back(r);
  Result<std::unique_ptr<Redactor>> r = Redactor::Create(all, {});
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_TRUE((*r)->used_embedded_database());
  EXPECT_EQ((*r)->RedactAll("t=acme_0123456789abcdefABCDEF0123456789\n"), "t=" + Marker("acme-token") + "\n");
  EXPECT_EQ((*r)->RedactAll("ACME_PASS = Zq8#rT5!wK\n"), Marker("acme-password") + "\n");
  EXPECT_EQ((*r)->RedactAll("ACME_PASS = aaaaaaaaaa\n"), "ACME_PASS = aaaaaaaaaa\n");
}

std::string TomlError(const std::string& text) {
  Result<RuleSet> r = LoadRulesText(text, "r.toml");
  EXPECT_FALSE(r.ok()) << text;
  return r.ok() ? "" : r.error().message;
}

TEST(RedactToml, ErrorsCarryFileAndLine) {
  EXPECT_THAT(TomlError("[[rule]]\nid = \"x\"\nregex = 'a(b'\n"), HasSubstr("r.toml:3: rule `x`: regex: Missing close paren"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"x\"\nregex = 'tok_[a-z]+'\n"), HasSubstr("r.toml:3: rule `x`: regex has no upper bound"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"x\"\nregex = 'a{0,3}'\n"), HasSubstr("Pattern matches empty buffer"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"x\"\nregex = '(?=a)b'\n"), HasSubstr("r.toml:3: rule `x`: regex"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"x\"\nregex = 'abc'\ncolour = 1\n"), HasSubstr("r.toml:4: unknown key `rule.colour`"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"Bad Id\"\nregex = 'abc'\n"), HasSubstr("rule id `Bad Id` is not valid"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"github-pat\"\nregex = 'abc'\n"), HasSubstr("r.toml:1: rule id `github-pat` is a built-in"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"a\"\nregex = 'abc'\n[[rule]]\nid = \"a\"\nregex = 'abd'\n"), HasSubstr("r.toml:4: rule id `a` is used twice"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"a\"\nregex = 'abcd'\npositives = [\"xbcd\"]\nnegatives = [\"abcd\"]\n"),
              testing::AllOf(HasSubstr("r.toml:1: rule `a`: positive sample 1 is not redacted whole"),
                             HasSubstr("r.toml:1: rule `a`: negative sample 1 is redacted")));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"a\"\n"), HasSubstr("r.toml:1: rule: missing `regex`"));
  EXPECT_THAT(TomlError("[[rule]]\nid = \"a\"\nregex = 3\n"), HasSubstr("r.toml:3: `regex` must be a string"));
  EXPECT_THAT(TomlError("version = 2\n[[rule]]\nid = \"a\"\nregex = 'abc'\n"), HasSubstr("r.toml:1: unsupported `version`"));
  EXPECT_THAT(TomlError("[[rule]\n"), HasSubstr("r.toml:1:"));
  EXPECT_THAT(TomlError("rule = 1\n"), HasSubstr("r.toml:1: `rule` must be an array of tables"));
  EXPECT_THAT(TomlError("\xff = 1\n"), HasSubstr("not valid UTF-8"));
  EXPECT_THAT(TomlError(""), HasSubstr("no rules"));
}

TEST(RedactToml, AllProblemsAtOnce) {
  std::string e = TomlError("[[rule]]\nid = \"a\"\nregex = 'a(b'\n[[rule]]\nid = \"b\"\nregex = 'x+'\n");
  EXPECT_THAT(e, HasSubstr("r.toml:3:"));
  EXPECT_THAT(e, HasSubstr("r.toml:6:"));
}

TEST(RedactToml, MissingFile) {
  Result<RuleSet> r = LoadRulesFile("/nonexistent/rules.toml");
  ASSERT_FALSE(r.ok());
  EXPECT_THAT(r.error().ToString(), HasSubstr("cannot read rules file /nonexistent/rules.toml"));
}

// ---- regex reversal

TEST(RedactReverse, Reverses) {
  auto rev = [](const char* p) {
    Result<std::string> r = ReverseRegex(p);
    return r.ok() ? r.value() : "ERROR: " + r.error().message;
  };
  EXPECT_EQ(rev("abc"), "cba");
  EXPECT_EQ(rev("a[b-d]{2,3}e?"), "e?[b-d]{2,3}a");
  EXPECT_EQ(rev("(?:ab|cd)x"), "x(?:ba|dc)");
  EXPECT_EQ(rev("(?i)ab"), "(?i)ba");
  EXPECT_EQ(rev("a(?i:bc)"), "(?:(?i:c)(?i:b))a");
  EXPECT_EQ(rev("\\bghp_\\x41"), "\\x41_phg\\b");
  EXPECT_EQ(rev("a{,3}"), "\\}3,\\{a");
  EXPECT_EQ(rev("\\Qa.b\\E"), "b\\.a");
  EXPECT_THAT(rev("^a"), HasSubstr("ERROR: at offset 0: anchors"));
  EXPECT_THAT(rev("(?=a)"), HasSubstr("ERROR"));
  EXPECT_THAT(rev("(a)\\1"), HasSubstr("ERROR"));
  EXPECT_THAT(rev("a++"), HasSubstr("ERROR"));
}

}  // namespace
}  // namespace cordon::redact
