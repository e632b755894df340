// Round trips through every store: write events, read them back by each filter, follow what arrives later.
// PostgreSQL needs a server: CORDON_TEST_POSTGRES holds its conninfo (scripts/postgres.sh starts one for
// scripts/test.sh). Without it the test is skipped on a developer's machine and fails in CI (CI set).
#include <fcntl.h>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "audit/event_log.h"
#include "audit/jsonl_sink.h"
#include "audit/postgres_sink.h"
#include "audit/sqlite_sink.h"

namespace cordon::audit {
namespace {

using ::testing::HasSubstr;

struct Store {
  std::function<Result<std::unique_ptr<Sink>>()> sink;
  std::function<Result<std::unique_ptr<Source>>()> source;
};

class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("cordon-audit-test-" + std::to_string(getpid()));
    std::filesystem::create_directories(dir_);
    const std::string kind = GetParam();
    if (kind == "jsonl") {
      std::string path = dir_ / "sub" / "events.jsonl";
      store_ = {[path] { return OpenJsonlFile(path, true); }, [path] { return OpenJsonlSource(path); }};
    } else if (kind == "sqlite") {
      std::string path = dir_ / "events.db";
      store_ = {[path] { return OpenSqliteSink(path); }, [path] { return OpenSqliteSource(path); }};
    } else {
      const char* conninfo = std::getenv("CORDON_TEST_POSTGRES");
      if (conninfo == nullptr || *conninfo == '\0') {
        if (std::getenv("CI") != nullptr) FAIL() << "CI runs the PostgreSQL test: set CORDON_TEST_POSTGRES (scripts/postgres.sh)";
        GTEST_SKIP() << "CORDON_TEST_POSTGRES is not set (scripts/postgres.sh starts a server)";
      }
      std::string c = conninfo, helper = CORDON_POSTGRES_HELPER_PATH;
      store_ = {[c, helper] { return OpenPostgresSink(c, helper); }, [c, helper] { return OpenPostgresSource(c, helper); }};
    }
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // Reads with `f`, keeping only this test's runs (a shared database may hold others).
  std::vector<std::string> Read(Source& source, Filter f, uint64_t* cursor = nullptr) {
    uint64_t from_start = 0;
    size_t skipped = 0;
    Result<std::vector<Event>> r = source.Read(f, cursor != nullptr ? cursor : &from_start, &skipped);
    EXPECT_TRUE(r.ok()) << r.error().ToString();
    EXPECT_EQ(skipped, 0u);
    std::vector<std::string> out;
    if (!r.ok()) return out;
    for (const Event& e : *r) {
      if (e.run == run_a_ || e.run == run_b_) out.push_back(e.run.substr(0, 1) + std::to_string(e.seq) + ":" + e.type);
    }
    return out;
  }

  std::filesystem::path dir_;
  Store store_;
  const std::string run_a_ = "a" + NewRunId().substr(1), run_b_ = "b" + NewRunId().substr(1);
};

TEST_P(StoreTest, RoundTripByEveryFilter) {
  Result<std::unique_ptr<Sink>> sink = store_.sink();
  ASSERT_TRUE(sink.ok()) << sink.error().ToString();
  // Two runs, interleaved, at known times in the year 2001 (before anything else a shared store holds).
  const char* types[] = {"run.start", "exec.decision", "net.connection", "net.connection", "run.end"};
  const char* decisions[] = {"", "allow", "allow", "deny", ""};
  for (int i = 0; i < 5; ++i) {
    for (const std::string& run : {run_a_, run_b_}) {
      char time[32];
      std::snprintf(time, sizeof(time), "2001-01-0%dT00:00:00.000Z", i + 1);
      nlohmann::json fields = nlohmann::json::object();
      if (decisions[i][0] != '\0') fields["decision"] = decisions[i];
      ASSERT_TRUE((*sink)->Store(MakeEvent(run, static_cast<uint64_t>(i), time, types[i], fields)).ok());
    }
  }
  ASSERT_TRUE((*sink)->Finish().ok());

  Result<std::unique_ptr<Source>> source = store_.source();
  ASSERT_TRUE(source.ok()) << source.error().ToString();
  Source& s = **source;
  using V = std::vector<std::string>;
  EXPECT_EQ(Read(s, {.run = run_a_}), (V{"a0:run.start", "a1:exec.decision", "a2:net.connection", "a3:net.connection", "a4:run.end"}));
  EXPECT_EQ(Read(s, {.type = "run.end"}), (V{"a4:run.end", "b4:run.end"}));
  EXPECT_EQ(Read(s, {.run = run_b_, .type = "net."}), (V{"b2:net.connection", "b3:net.connection"}));
  EXPECT_EQ(Read(s, {.decision = "deny"}), (V{"a3:net.connection", "b3:net.connection"}));
  EXPECT_EQ(Read(s, {.run = run_a_, .decision = "allow"}), (V{"a1:exec.decision", "a2:net.connection"}));
  EXPECT_EQ(Read(s, {.since = "2001-01-04T00:00:00.000Z", .until = "2001-01-05T00:00:00.000Z"}),
            (V{"a3:net.connection", "b3:net.connection"}));
  EXPECT_EQ(Read(s, {.run = run_b_, .limit = 2}), (V{"b3:net.connection", "b4:run.end"}));

  // Following: a second read from the cursor returns only what was stored since.
  uint64_t cursor = 0;
  EXPECT_EQ(Read(s, {.run = run_a_}, &cursor).size(), 5u);
  EXPECT_EQ(Read(s, {.run = run_a_}, &cursor).size(), 0u);
  ASSERT_TRUE((*sink)->Store(MakeEvent(run_a_, 5, "2001-01-06T00:00:00.000Z", "audit.error", {})).ok());
  EXPECT_EQ(Read(s, {.run = run_a_}, &cursor), (V{"a5:audit.error"}));
}

TEST_P(StoreTest, EventBodiesComeBackWhole) {
  Result<std::unique_ptr<Sink>> sink = store_.sink();
  ASSERT_TRUE(sink.ok()) << sink.error().ToString();
  Event e = MakeEvent(run_a_, 0, "2001-02-03T04:05:06.789Z", "run.start",
                      {{"argv", {"sh", "-c", "echo 'é' \"q\""}}, {"caller", {{"uid", 0}}}});
  ASSERT_TRUE((*sink)->Store(e).ok());
  Result<std::unique_ptr<Source>> source = store_.source();
  ASSERT_TRUE(source.ok());
  uint64_t cursor = 0;
  size_t skipped = 0;
  Result<std::vector<Event>> back = (*source)->Read({.run = run_a_}, &cursor, &skipped);
  ASSERT_TRUE(back.ok());
  ASSERT_EQ(back->size(), 1u);
  EXPECT_EQ(nlohmann::json::parse(back->front().json), nlohmann::json::parse(e.json));
  EXPECT_EQ(back->front().time, "2001-02-03T04:05:06.789Z");
}

INSTANTIATE_TEST_SUITE_P(Stores, StoreTest, ::testing::Values("jsonl", "sqlite", "postgres"),
                         [](const auto& param_info) { return param_info.param; });

TEST(JsonlStore, FilesAreTheCallersAlone) {
  std::string dir = std::filesystem::temp_directory_path() / ("cordon-audit-mode-" + std::to_string(getpid()));
  mode_t old = umask(0);
  Result<std::unique_ptr<Sink>> sink = OpenJsonlFile(dir + "/state/cordon/events.jsonl", true);
  umask(old);
  ASSERT_TRUE(sink.ok());
  EXPECT_EQ(std::filesystem::status(dir + "/state/cordon").permissions(), std::filesystem::perms::owner_all);
  EXPECT_EQ(std::filesystem::status(dir + "/state/cordon/events.jsonl").permissions(),
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  std::filesystem::remove_all(dir);
}

TEST(JsonlStore, TheDefaultFileIsRotatedWhenFullAndNothingIsLost) {
  std::string dir = std::filesystem::temp_directory_path() / ("cordon-audit-rotate-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const std::string path = dir + "/events.jsonl";
  {  // a full file (sparse: only its size matters)
    int fd = open(path.c_str(), O_WRONLY | O_CREAT, 0600);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(ftruncate(fd, kRotateBytes), 0);
    close(fd);
  }
  {
    auto sink = OpenJsonlFile(path, true);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->Store(MakeEvent("0123456789abcdef", 0, "2001-01-01T00:00:00.000Z", "run.start", {})).ok());
  }
  std::vector<std::string> rotated;
  for (const auto& e : std::filesystem::directory_iterator(dir)) {
    if (e.path().filename().string().starts_with("events-")) rotated.push_back(e.path());
  }
  ASSERT_EQ(rotated.size(), 1u);
  EXPECT_EQ(std::filesystem::file_size(rotated[0]), static_cast<uintmax_t>(kRotateBytes));
  EXPECT_LT(std::filesystem::file_size(path), 4096u);  // the new file has the one event
  {  // a file given by name (not the default) is never rotated
    int fd = open(path.c_str(), O_WRONLY);
    ASSERT_EQ(ftruncate(fd, kRotateBytes), 0);
    close(fd);
    auto sink = OpenJsonlFile(path, false);
    ASSERT_TRUE(sink.ok());
  }
  EXPECT_EQ(std::filesystem::file_size(path), static_cast<uintmax_t>(kRotateBytes));
  std::filesystem::remove_all(dir);
}

TEST(JsonlStore, TornAndForeignLinesAreSkippedAndCounted) {
  std::string path = std::filesystem::temp_directory_path() / ("cordon-audit-torn-" + std::to_string(getpid()));
  {
    auto sink = OpenJsonlFile(path, false);
    ASSERT_TRUE(sink.ok());
    ASSERT_TRUE((*sink)->Store(MakeEvent("0123456789abcdef", 0, "2001-01-01T00:00:00.000Z", "run.start", {})).ok());
  }
  int fd = open(path.c_str(), O_WRONLY | O_APPEND);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(write(fd, "not json\n{\"run\":\"01", 19), 19);  // a foreign line, then a line still being written
  close(fd);
  auto source = OpenJsonlSource(path);
  ASSERT_TRUE(source.ok());
  uint64_t cursor = 0;
  size_t skipped = 0;
  auto events = (*source)->Read({}, &cursor, &skipped);
  ASSERT_TRUE(events.ok());
  EXPECT_EQ(events->size(), 1u);
  EXPECT_EQ(skipped, 1u);
  std::filesystem::remove(path);
}

TEST(JsonlStore, DevFullIsAClearError) {
  auto sink = OpenJsonlFile("/dev/full", false);
  ASSERT_TRUE(sink.ok());
  Status st = (*sink)->Store(MakeEvent("0123456789abcdef", 0, "2001-01-01T00:00:00.000Z", "run.start", {}));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().ToString(), "No space left on device (ENOSPC)");
}

TEST(PostgresStore, ADatabaseThatIsDownIsAClearError) {
  auto sink = OpenPostgresSink("postgresql://127.0.0.1:1/nothing", CORDON_POSTGRES_HELPER_PATH);
  ASSERT_FALSE(sink.ok());
  EXPECT_THAT(sink.error().ToString(), HasSubstr("Connection refused"));
  EXPECT_EQ(sink.error().ToString().find('\n'), std::string::npos);
  auto missing = OpenPostgresSink("postgresql://127.0.0.1:1/nothing", "/nonexistent/cordon-postgres");
  ASSERT_FALSE(missing.ok());
  EXPECT_THAT(missing.error().ToString(), HasSubstr("cannot start the PostgreSQL helper"));
}

}  // namespace
}  // namespace cordon::audit
