// Environment scrubbing: base allowlist, keep/set, secret-looking names and values.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>

#include "plan/launch_plan.h"

namespace cordon::plan {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Names(const std::vector<std::string>& env) {
  std::vector<std::string> out;
  for (const std::string& e : env) out.push_back(e.substr(0, e.find('=')));
  return out;
}

std::vector<std::string> Scrub(const std::vector<std::string>& env, const policy::Environment& rules = {},
                               std::vector<std::string>* dropped = nullptr) {
  return ScrubEnvironment(env, rules, dropped);
}

TEST(Environment, KeepsBaseAllowlistDropsOthers) {
  std::vector<std::string> dropped;
  std::vector<std::string> out = Scrub({"PATH=/usr/bin:/bin", "HOME=/home/u", "LANG=C.UTF-8", "LC_ALL=C",
                                        "LC_CTYPE=en_US.UTF-8", "TERM=xterm-256color", "TZ=UTC", "EDITOR=vi",
                                        "LD_PRELOAD=/tmp/evil.so", "SSH_AUTH_SOCK=/run/user/1000/agent",
                                        "DISPLAY=:0", "MYVAR=1", "PYTHONPATH=/x"},
                                       {}, &dropped);
  EXPECT_EQ(out, (std::vector<std::string>{"EDITOR=vi", "HOME=/home/u", "LANG=C.UTF-8", "LC_ALL=C",
                                           "LC_CTYPE=en_US.UTF-8", "PATH=/usr/bin:/bin", "TERM=xterm-256color",
                                           "TZ=UTC"}));
  EXPECT_THAT(dropped, UnorderedElementsAre("LD_PRELOAD", "SSH_AUTH_SOCK", "DISPLAY", "MYVAR", "PYTHONPATH"));
}

TEST(Environment, OutputIsSortedAndValuesIntact) {
  std::vector<std::string> out = Scrub({"TZ=Europe/Paris", "PATH=/a:/b=c", "HOME="});
  EXPECT_EQ(out, (std::vector<std::string>{"HOME=", "PATH=/a:/b=c", "TZ=Europe/Paris"}));
}

TEST(Environment, MalformedEntriesAreIgnored) {
  std::vector<std::string> dropped;
  std::vector<std::string> out = Scrub({"NOEQUALS", "=value", "", "PATH=/bin"}, {}, &dropped);
  EXPECT_EQ(out, (std::vector<std::string>{"PATH=/bin"}));
}

TEST(Environment, NamesAreCaseSensitive) {
  std::vector<std::string> out = Scrub({"path=/evil", "Home=/x", "PATH=/bin"});
  EXPECT_EQ(out, (std::vector<std::string>{"PATH=/bin"}));
}

TEST(Environment, KeepByNameAndGlob) {
  policy::Environment rules;
  rules.keep = {"CARGO_HOME", "RUST_*"};
  std::vector<std::string> out =
      Scrub({"CARGO_HOME=/c", "CARGO_TARGET_DIR=/t", "RUST_LOG=debug", "RUST_BACKTRACE=1", "RUSTFLAGS=-x"}, rules);
  EXPECT_THAT(Names(out), ElementsAre("CARGO_HOME", "RUST_BACKTRACE", "RUST_LOG"));
}

TEST(Environment, SecretNamesDroppedEvenWhenKeptByGlob) {
  policy::Environment rules;
  rules.keep = {"AWS_*", "GITHUB_*", "DB_*", "OPENAI_*", "MY_*", "npm_*", "APP_*"};
  std::vector<std::string> dropped;
  std::vector<std::string> out =
      Scrub({"AWS_REGION=eu-west-1", "AWS_SECRET_ACCESS_KEY=abc", "AWS_SESSION_TOKEN=t", "GITHUB_TOKEN=t",
             "GITHUB_REPOSITORY=o/r", "DB_PASSWORD=p", "DB_HOST=h", "OPENAI_API_KEY=k", "MY_APIKEY=k",
             "npm_config__authToken=t", "npm_config_registry=r", "APP_PRIVATE_KEY=k", "APP_CREDENTIALS=c"},
            rules, &dropped);
  EXPECT_THAT(Names(out), ElementsAre("AWS_REGION", "DB_HOST", "GITHUB_REPOSITORY", "npm_config_registry"));
  EXPECT_THAT(dropped, UnorderedElementsAre("AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "GITHUB_TOKEN",
                                            "DB_PASSWORD", "OPENAI_API_KEY", "MY_APIKEY", "npm_config__authToken",
                                            "APP_PRIVATE_KEY", "APP_CREDENTIALS"));
}

TEST(Environment, SecretNamesKeptWhenKeptByExactName) {
  policy::Environment rules;
  rules.keep = {"GITHUB_TOKEN", "OPENAI_API_KEY"};
  std::vector<std::string> dropped;
  std::vector<std::string> out =
      Scrub({"GITHUB_TOKEN=t", "OPENAI_API_KEY=k", "ANTHROPIC_API_KEY=k"}, rules, &dropped);
  EXPECT_THAT(Names(out), ElementsAre("GITHUB_TOKEN", "OPENAI_API_KEY"));
  EXPECT_THAT(dropped, ElementsAre("ANTHROPIC_API_KEY"));
}

TEST(Environment, ExactKeepWinsWhateverTheOrderOfKeepEntries) {
  // BUG: src/plan/environment.cc MatchesKeep returns at the first matching entry, so when a glob that matches
  // ("GITHUB_*") comes before the exact name ("GITHUB_TOKEN") in `keep`, `exact` stays false and the variable
  // is dropped as a secret, although it is kept by exact name. With the entries in the other order it is kept.
  policy::Environment glob_first;
  glob_first.keep = {"GITHUB_*", "GITHUB_TOKEN"};
  policy::Environment exact_first;
  exact_first.keep = {"GITHUB_TOKEN", "GITHUB_*"};
  EXPECT_THAT(Names(Scrub({"GITHUB_TOKEN=t"}, exact_first)), ElementsAre("GITHUB_TOKEN"));
  EXPECT_THAT(Names(Scrub({"GITHUB_TOKEN=t"}, glob_first)), ElementsAre("GITHUB_TOKEN"));
}

TEST(Environment, SecretValuesDroppedWhateverTheName) {
  const std::string ghp = "ghp_" + std::string(36, 'a');
  const std::string akia = "AKIA" + std::string(16, 'B');
  std::vector<std::string> dropped;
  std::vector<std::string> out = Scrub({"TERM=" + ghp, "EDITOR=" + akia, "PAGER=https://u:p@host/x",
                                        "LANG=C.UTF-8", "COLORTERM=-----BEGIN OPENSSH PRIVATE KEY-----"},
                                       {}, &dropped);
  EXPECT_EQ(out, (std::vector<std::string>{"LANG=C.UTF-8"}));
  EXPECT_THAT(dropped, UnorderedElementsAre("TERM", "EDITOR", "PAGER", "COLORTERM"));
}

TEST(Environment, SecretValueKeptWhenKeptByExactName) {
  policy::Environment rules;
  rules.keep = {"GH_HOST_URL"};
  const std::string url = "https://user:pw@github.example.com";
  EXPECT_THAT(Scrub({"GH_HOST_URL=" + url}, rules), ElementsAre("GH_HOST_URL=" + url));
  policy::Environment glob;
  glob.keep = {"GH_*"};
  EXPECT_THAT(Scrub({"GH_HOST_URL=" + url}, glob), IsEmpty());
}

TEST(Environment, SetOverridesAndAdds) {
  policy::Environment rules;
  rules.set = {{"PATH", "/opt/bin"}, {"NEW_VAR", "x"}, {"API_TOKEN", "explicit"}};
  std::vector<std::string> out = Scrub({"PATH=/usr/bin", "PATHEXT=.x", "HOME=/h"}, rules);
  EXPECT_EQ(out, (std::vector<std::string>{"API_TOKEN=explicit", "HOME=/h", "NEW_VAR=x", "PATH=/opt/bin"}));
}

TEST(Environment, SetDoesNotRemoveVariablesSharingAPrefix) {
  policy::Environment rules;
  rules.keep = {"FOO_BAR"};
  rules.set = {{"FOO", "1"}};
  std::vector<std::string> out = Scrub({"FOO_BAR=2", "FOO=0"}, rules);
  EXPECT_EQ(out, (std::vector<std::string>{"FOO=1", "FOO_BAR=2"}));
}

TEST(Environment, DroppedReportsNamesNeverValues) {
  std::vector<std::string> dropped;
  Scrub({"SECRET_THING=hunter2", "OTHER=value"}, {}, &dropped);
  EXPECT_THAT(dropped, UnorderedElementsAre("SECRET_THING", "OTHER"));
  for (const std::string& d : dropped) {
    EXPECT_EQ(d.find('='), std::string::npos);
    EXPECT_EQ(d.find("hunter2"), std::string::npos);
  }
  // A null `dropped` is allowed.
  EXPECT_THAT(Scrub({"OTHER=v"}, {}, nullptr), IsEmpty());
}

TEST(Environment, SecretNamePositives) {
  for (const char* n : {"AWS_SECRET_ACCESS_KEY", "GITHUB_TOKEN", "DB_PASSWORD", "OPENAI_API_KEY", "MY_APIKEY",
                        "npm_config__authToken", "API_KEY", "apikey", "ACCESSTOKEN", "SECRET", "my_secret",
                        "MYSQL_PWD", "PGPASSWORD", "SMTP_PASSWD", "GOOGLE_APPLICATION_CREDENTIALS", "DOCKER_AUTH",
                        "SESSION_COOKIE", "SSH_PRIVATE", "SENTRY_DSN", "GPG_PASSPHRASE", "HF_TOKEN",
                        "AWS_SESSION_TOKEN", "REGISTRY_CREDS", "VAULT_TOKENS", "SIGNING_KEYS", "X_PASS"}) {
    EXPECT_TRUE(LooksLikeSecretName(n)) << n;
  }
}

TEST(Environment, SecretNameNegatives) {
  for (const char* n : {"PATH", "HOME", "LANG", "TERM", "PWD", "OLDPWD", "KEYBOARD_LAYOUT", "TOKENIZERS_PARALLELISM",
                        "PASSAGE", "AUTHOR", "AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "EDITOR", "SHELL", "CARGO_HOME",
                        "RUST_LOG", "COMPASS", "KEYMAP", "LC_ALL", "DSNAME", ""}) {
    EXPECT_FALSE(LooksLikeSecretName(n)) << n;
  }
}

TEST(Environment, SecretValuePositives) {
  for (const std::string& v :
       {"ghp_" + std::string(36, 'x'), "gho_" + std::string(36, 'x'), "github_pat_" + std::string(60, 'x'),
        "glpat-" + std::string(20, 'x'), "sk-" + std::string(48, 'x'), "xoxb-" + std::string(40, '1'),
        "AKIA" + std::string(16, 'A'), "ASIA" + std::string(16, 'A'), "AIza" + std::string(35, 'z'),
        "npm_" + std::string(36, 'q'), std::string("-----BEGIN RSA PRIVATE KEY-----"),
        std::string("https://u:p@host"), std::string("postgres://app:s3cret@db:5432/app"),
        std::string("git+ssh://me:tok@example.com/repo.git")}) {
    EXPECT_TRUE(LooksLikeSecretValue(v)) << v;
  }
}

TEST(Environment, SecretValueNegatives) {
  for (const std::string& v :
       {std::string(""), std::string("/usr/bin:/bin"), std::string("ghp_short"), std::string("AKIA"),
        std::string("sk-"), std::string("https://example.com/path"), std::string("https://user@host"),
        std::string("https://host:8080/a@b"), std::string("xterm-256color"), std::string("en_US.UTF-8"),
        std::string("user:pass@host"), std::string("a://@")}) {
    EXPECT_FALSE(LooksLikeSecretValue(v)) << v;
  }
}

}  // namespace
}  // namespace cordon::plan
