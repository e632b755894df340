// Alert hooks as processes (audit/hook_runner.h) and the stop request (backend/run_control.h). Real processes,
// no root.
#include "audit/hook_runner.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include "backend/run_control.h"

namespace cordon {
namespace {

using ::testing::HasSubstr;

std::string TempPath(const std::string& name) {
  const char* dir = std::getenv("TMPDIR");
  return std::string(dir != nullptr ? dir : "/tmp") + "/cordon-hook-test-" + std::to_string(getpid()) + "-" + name;
}

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

double Seconds(std::chrono::steady_clock::time_point since) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - since).count();
}

TEST(HookProcesses, TheHookGetsItsInputOnStdinAndIsWaitedFor) {
  const std::string out = TempPath("input");
  {
    audit::HookProcesses hooks;
    hooks.Start({"/bin/sh", "-c", "sleep 0.2; cat > \"$0\"", out}, "{\"type\":\"alert\"}\n");
  }  // waits
  EXPECT_EQ(ReadAll(out), "{\"type\":\"alert\"}\n");
  unlink(out.c_str());
}

TEST(HookProcesses, StartDoesNotWait) {
  audit::HookProcesses hooks;
  auto t0 = std::chrono::steady_clock::now();
  hooks.Start({"sleep", "1"}, "");  // a name, looked up in PATH
  EXPECT_LT(Seconds(t0), 0.5);
  hooks.Wait();
  EXPECT_GE(Seconds(t0), 0.9);
}

TEST(HookProcesses, AHookThatRunsTooLongIsKilledWithWhatItStarted) {
  const std::string pidfile = TempPath("grandchild");
  testing::internal::CaptureStderr();
  auto t0 = std::chrono::steady_clock::now();
  {
    audit::HookProcesses hooks(0.3);
    hooks.Start({"/bin/sh", "-c", "sleep 30 & echo $! > \"$0\"; wait", pidfile}, "");
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_LT(Seconds(t0), 5);
  EXPECT_THAT(err, HasSubstr("cordon: warning: alert hook /bin/sh timed out and was killed"));
  int grandchild = std::atoi(ReadAll(pidfile).c_str());
  ASSERT_GT(grandchild, 0);
  usleep(100 * 1000);
  // Gone, or a zombie waiting for whoever reaps orphans here.
  std::string stat = ReadAll("/proc/" + std::to_string(grandchild) + "/stat");
  EXPECT_TRUE(stat.empty() || stat.find(") Z ") != std::string::npos) << "the hook's background job survived: " << stat;
  unlink(pidfile.c_str());
}

TEST(HookProcesses, FailuresAreOneWarningLineEach) {
  testing::internal::CaptureStderr();
  {
    audit::HookProcesses hooks;
    hooks.Start({"/nonexistent/hook"}, "{}\n");
    hooks.Start({"no-such-hook-program-cordon"}, "{}\n");
    hooks.Start({"/bin/sh", "-c", "exit 3"}, "{}\n");
    hooks.Start({"/bin/sh", "-c", "exec 0<&-; sleep 0.1"}, std::string(1 << 20, 'x'));  // does not read
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_THAT(err, HasSubstr("cordon: warning: alert hook /nonexistent/hook could not start: No such file or "
                             "directory\n"));
  EXPECT_THAT(err, HasSubstr("cordon: warning: alert hook no-such-hook-program-cordon could not start"));
  EXPECT_THAT(err, HasSubstr("cordon: warning: alert hook /bin/sh exited with status 3\n"));
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 3) << err;
}

TEST(HookProcesses, AtMostSoManyHooksPerRun) {
  testing::internal::CaptureStderr();
  {
    audit::HookProcesses hooks;
    for (size_t i = 0; i < audit::HookProcesses::kMaxHooks + 2; ++i) hooks.Start({"true"}, "");
  }
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 2) << err;
  EXPECT_THAT(err, HasSubstr("not started: 32 hooks already ran in this run"));
}

TEST(RunControl, TheFirstReasonWinsAndTheFdBecomesReadable) {
  Result<std::unique_ptr<RunControl>> made = RunControl::Create();
  ASSERT_TRUE(made.ok());
  RunControl& c = **made;
  pollfd p = {c.fd(), POLLIN, 0};
  EXPECT_EQ(poll(&p, 1, 0), 0);
  EXPECT_FALSE(c.stop_requested());
  c.RequestStop("alert a: first");
  c.RequestStop("alert b: second");
  EXPECT_TRUE(c.stop_requested());
  EXPECT_EQ(c.reason(), "alert a: first");
  EXPECT_EQ(poll(&p, 1, 0), 1);
}

}  // namespace
}  // namespace cordon
