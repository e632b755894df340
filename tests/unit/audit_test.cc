// The audit trail's pure parts: the envelope, sink specs, time filters, the Recorder's numbering and its
// failure policies, and the readable rendering.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "audit/describe.h"
#include "audit/event.h"
#include "audit/filter.h"
#include "audit/recorder.h"
#include "audit/sink_spec.h"

namespace cordon::audit {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

TEST(Event, EnvelopeAndFieldsRoundTrip) {
  Event e = MakeEvent("0123456789abcdef", 7, "2024-05-01T10:30:00.123Z", "net.connection",
                      {{"decision", "deny"}, {"host", "example.com"}, {"run", "forged"}, {"seq", 99}});
  EXPECT_EQ(e.decision, "deny");
  EXPECT_EQ(e.json.find('\n'), std::string::npos);
  Result<Event> back = ParseEvent(e.json);
  ASSERT_TRUE(back.ok()) << back.error().ToString();
  EXPECT_EQ(back->run, "0123456789abcdef");  // a field never overrides the envelope
  EXPECT_EQ(back->seq, 7u);
  EXPECT_EQ(back->time, "2024-05-01T10:30:00.123Z");
  EXPECT_EQ(back->type, "net.connection");
  EXPECT_EQ(back->decision, "deny");
  nlohmann::json j = nlohmann::json::parse(e.json);
  EXPECT_EQ(j["v"], 1);
  EXPECT_EQ(j["host"], "example.com");
}

TEST(Event, ParseRejectsWhatIsNotAnEvent) {
  EXPECT_FALSE(ParseEvent("").ok());
  EXPECT_FALSE(ParseEvent("{\"run\":\"x\"").ok());
  EXPECT_FALSE(ParseEvent("[1,2]").ok());
  EXPECT_FALSE(ParseEvent("{\"run\":\"x\",\"time\":\"t\"}").ok());
}

TEST(Filter, ParseTimeForms) {
  const std::string now = "2024-05-01T10:30:00.000Z";
  EXPECT_EQ(*ParseTime("2024-05-01", now), "2024-05-01T00:00:00.000Z");
  EXPECT_EQ(*ParseTime("2024-05-01T10", now), "2024-05-01T10:00:00.000Z");
  EXPECT_EQ(*ParseTime("2024-05-01T10:30", now), "2024-05-01T10:30:00.000Z");
  EXPECT_EQ(*ParseTime("2024-05-01 10:30:15Z", now), "2024-05-01T10:30:15.000Z");
  EXPECT_EQ(*ParseTime("2024-05-01T10:30:15.250Z", now), "2024-05-01T10:30:15.250Z");
  EXPECT_EQ(*ParseTime("90s", now), "2024-05-01T10:28:30.000Z");
  EXPECT_EQ(*ParseTime("2h", now), "2024-05-01T08:30:00.000Z");
  EXPECT_EQ(*ParseTime("1d", now), "2024-04-30T10:30:00.000Z");
  for (const char* bad : {"", "yesterday", "2024-13-01", "2024-05", "10m ago", "5x", "2024-05-01T10:30:15.25Z"}) {
    Result<std::string> r = ParseTime(bad, now);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_THAT(r.error().ToString(), HasSubstr("expected a UTC time"));
    }
  }
}

TEST(Filter, Matches) {
  Event e = MakeEvent("aaaaaaaaaaaaaaaa", 1, "2024-05-01T10:30:00.000Z", "net.connection", {{"decision", "allow"}});
  EXPECT_TRUE(Matches({}, e));
  EXPECT_TRUE(Matches({.run = "aaaaaaaaaaaaaaaa"}, e));
  EXPECT_FALSE(Matches({.run = "bbbbbbbbbbbbbbbb"}, e));
  EXPECT_TRUE(Matches({.type = "net.connection"}, e));
  EXPECT_TRUE(Matches({.type = "net."}, e));
  EXPECT_FALSE(Matches({.type = "net"}, e));
  EXPECT_FALSE(Matches({.type = "run."}, e));
  EXPECT_TRUE(Matches({.since = "2024-05-01T10:30:00.000Z"}, e));  // inclusive
  EXPECT_FALSE(Matches({.until = "2024-05-01T10:30:00.000Z"}, e));  // exclusive
  EXPECT_TRUE(Matches({.decision = "allow"}, e));
  EXPECT_FALSE(Matches({.decision = "deny"}, e));
}

TEST(SinkSpec, Kinds) {
  EXPECT_EQ(ParseSinkSpec("/var/log/e.jsonl")->kind, SinkSpec::Kind::kJsonl);
  EXPECT_EQ(ParseSinkSpec("rel/e.jsonl")->target, "rel/e.jsonl");
  EXPECT_EQ(ParseSinkSpec("jsonl:/x/e.jsonl")->target, "/x/e.jsonl");
  EXPECT_EQ(ParseSinkSpec("jsonl:/x/e.jsonl")->name, "jsonl:/x/e.jsonl");
  EXPECT_EQ(ParseSinkSpec("./mysql:x")->kind, SinkSpec::Kind::kJsonl);
  EXPECT_EQ(ParseSinkSpec("-")->kind, SinkSpec::Kind::kStream);
  EXPECT_EQ(ParseSinkSpec("sqlite:/x/y.db")->kind, SinkSpec::Kind::kSqlite);
  EXPECT_EQ(ParseSinkSpec("sqlite:/x/y.db")->target, "/x/y.db");
  EXPECT_EQ(ParseSinkSpec("postgres://h/db")->kind, SinkSpec::Kind::kPostgres);
  EXPECT_EQ(ParseSinkSpec("postgresql://h/db")->target, "postgresql://h/db");
}

TEST(SinkSpec, ErrorsSayWhatIsWrong) {
  EXPECT_THAT(ParseSinkSpec("").error().ToString(), HasSubstr("empty audit sink"));
  EXPECT_THAT(ParseSinkSpec("mysql:x").error().ToString(), HasSubstr("unknown scheme 'mysql'"));
  EXPECT_THAT(ParseSinkSpec("sqlite:").error().ToString(), HasSubstr("no path after 'sqlite:'"));
  EXPECT_THAT(ParseSinkSpec("jsonl:").error().ToString(), HasSubstr("no path"));
  EXPECT_THAT(ParseSinkSpec("postgres:db").error().ToString(), HasSubstr("expected postgres://"));
}

TEST(SinkSpec, PasswordsAreNotShown) {
  SinkSpec s = *ParseSinkSpec("postgres://alice:s3cret@db.example:5432/audit?password=s3cret&sslmode=require");
  EXPECT_THAT(s.name, Not(HasSubstr("s3cret")));
  EXPECT_EQ(s.name, "postgres://alice:***@db.example:5432/audit?password=***&sslmode=require");
  EXPECT_EQ(s.target, "postgres://alice:s3cret@db.example:5432/audit?password=s3cret&sslmode=require");
  EXPECT_EQ(ParseSinkSpec("postgres://db.example/x?user=a")->name, "postgres://db.example/x?user=a");
}

TEST(SinkSpec, DefaultFollowsXdg) {
  setenv("XDG_STATE_HOME", "/state", 1);
  EXPECT_EQ(DefaultSpec()->target, "/state/cordon/events.jsonl");
  EXPECT_TRUE(DefaultSpec()->make_dirs);
  setenv("XDG_STATE_HOME", "relative", 1);  // the XDG spec: ignored
  setenv("HOME", "/home/u", 1);
  EXPECT_EQ(DefaultSpec()->target, "/home/u/.local/state/cordon/events.jsonl");
  unsetenv("XDG_STATE_HOME");
}

// Keeps what it is given; fails from the `fail_at`-th Store on.
class FakeSink : public Sink {
 public:
  FakeSink(std::vector<Event>* kept, int fail_at) : kept_(kept), fail_at_(fail_at) {}
  Status Store(const Event& e) override {
    if (fail_at_ >= 0 && stored_++ >= fail_at_) return MakeError("database or disk is full");
    kept_->push_back(e);
    return {};
  }
  Status Finish() override { return {}; }

 private:
  std::vector<Event>* kept_;
  int fail_at_;
  int stored_ = 0;
};

TEST(Recorder, NumbersEveryEventWithoutGaps) {
  std::vector<Event> a, b;
  Recorder r("0123456789abcdef", FailurePolicy::kClosed);
  r.Add("a", std::make_unique<FakeSink>(&a, -1));
  r.Add("b", std::make_unique<FakeSink>(&b, -1));
  for (int i = 0; i < 5; ++i) r.Emit("exec.decision", {{"decision", "allow"}});
  ASSERT_EQ(a.size(), 5u);
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].seq, i);
    EXPECT_EQ(a[i].run, "0123456789abcdef");
    EXPECT_EQ(a[i].json, b[i].json);  // one event, the same bytes everywhere
  }
  EXPECT_FALSE(r.failure().has_value());
}

TEST(Recorder, ClosedStopsTheRunOnceAndTellsTheOthers) {
  std::vector<Event> good, bad;
  Recorder r("0123456789abcdef", FailurePolicy::kClosed);
  r.Add("jsonl:/good", std::make_unique<FakeSink>(&good, -1));
  r.Add("sqlite:/x/y.db", std::make_unique<FakeSink>(&bad, 2));
  int stops = 0;
  r.OnFailure([&stops] { ++stops; });
  for (int i = 0; i < 5; ++i) r.Emit("net.connection", {{"decision", "deny"}});
  EXPECT_EQ(stops, 1);
  EXPECT_EQ(bad.size(), 2u);
  ASSERT_TRUE(r.failure().has_value());
  EXPECT_EQ(r.failure()->ToString(), "audit: cannot write to sqlite:/x/y.db: database or disk is full");
  // Every event reached the good sink, and so did the news of the failure, numbered in line.
  ASSERT_EQ(good.size(), 6u);
  EXPECT_EQ(good[3].type, "audit.error");
  EXPECT_THAT(good[3].json, HasSubstr("sqlite:/x/y.db"));
  for (size_t i = 0; i < good.size(); ++i) EXPECT_EQ(good[i].seq, i);
  EXPECT_EQ(r.sink_count(), 1u);
}

TEST(Recorder, OpenGoesOn) {
  std::vector<Event> bad;
  Recorder r("0123456789abcdef", FailurePolicy::kOpen);
  r.Add("jsonl:/dev/full", std::make_unique<FakeSink>(&bad, 0));
  int stops = 0;
  r.OnFailure([&stops] { ++stops; });
  testing::internal::CaptureStderr();
  r.Emit("run.start", {});
  r.Emit("run.end", {});
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(stops, 0);
  EXPECT_FALSE(r.failure().has_value());
  EXPECT_EQ(err,
            "cordon: warning: audit: cannot write to jsonl:/dev/full: database or disk is full; the run goes on "
            "without it (--audit-failure=open)\n");
}

TEST(Recorder, OpenFailsClosedWithTheSinksName) {
  Recorder r("0123456789abcdef", FailurePolicy::kClosed);
  Status st = r.Open(*ParseSinkSpec("sqlite:/nonexistent-dir/x.db"));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().ToString(),
            "audit: cannot open sqlite:/nonexistent-dir/x.db: No such file or directory (ENOENT)");
  Recorder open("0123456789abcdef", FailurePolicy::kOpen);
  testing::internal::CaptureStderr();
  EXPECT_TRUE(open.Open(*ParseSinkSpec("sqlite:/nonexistent-dir/x.db")).ok());
  EXPECT_THAT(testing::internal::GetCapturedStderr(), HasSubstr("running without it"));
  EXPECT_EQ(open.sink_count(), 0u);
}

TEST(Describe, OneLineAndTheRunsStory) {
  const std::string run = "0123456789abcdef";
  std::vector<Event> events = {
      MakeEvent(run, 0, "2024-05-01T10:30:00.000Z", "run.start",
                {{"caller", {{"uid", 1000}, {"user", "dev"}, {"pid", 42}}},
                 {"argv", {"sh", "-c", "echo hi"}},
                 {"workspace", "/w"},
                 {"cwd", "/w"},
                 {"profile", "workspace-write"},
                 {"policy_digest", "abc"},
                 {"network", "none"},
                 {"layers", {"mounts"}},
                 {"version", "0.1.0"}}),
      MakeEvent(run, 1, "2024-05-01T10:30:00.100Z", "net.connection",
                {{"decision", "deny"}, {"host", "evil.example"}, {"port", 443}, {"reason", "not allowed"}}),
      MakeEvent(run, 2, "2024-05-01T10:30:01.000Z", "run.end",
                {{"outcome", "exited"}, {"exit_code", 7}, {"duration", 1.0}, {"cpu_user", 0.5}, {"cpu_system", 0.25},
                 {"peak_memory", 3 << 20}})};
  EXPECT_EQ(DescribeLine(events[1]),
            "2024-05-01T10:30:00.100Z 0123456789abcdef #1 net.connection deny evil.example:443 (not allowed) up 0 B, "
            "down 0 B");
  std::string story = DescribeRun(events);
  EXPECT_THAT(story, HasSubstr("by dev (uid 1000, pid 42)"));
  EXPECT_THAT(story, HasSubstr("sh -c 'echo hi'"));
  EXPECT_THAT(story, HasSubstr("digest abc"));
  EXPECT_THAT(story, HasSubstr("exited, exit 7 after 1.00 s"));
  EXPECT_THAT(story, HasSubstr("CPU 0.50 s user, 0.25 s system; peak memory 3.00 MiB"));
}

}  // namespace
}  // namespace cordon::audit

namespace cordon::audit {
namespace {

TEST(Describe, ControlCharactersCannotDriveTheReadersTerminal) {
  // An argument with an escape sequence (set the window title, write the clipboard) and a bell.
  Event e = MakeEvent("0123456789abcdef", 0, "2001-01-01T00:00:00.000Z", "run.start",
                      {{"argv", {"echo", "\x1b]52;c;ZXZpbA==\x07", "\x1b[2J"}}, {"workspace", "/w"}});
  std::string line = Printable(DescribeLine(e));
  EXPECT_EQ(line.find('\x1b'), std::string::npos) << line;
  EXPECT_EQ(line.find('\x07'), std::string::npos) << line;
  EXPECT_NE(line.find("\\x1b]52;c;"), std::string::npos) << line;
  EXPECT_EQ(Printable("a\nb\tc\x7f"), "a\nb\\x09c\\x7f");
}

}  // namespace
}  // namespace cordon::audit
