#include "linux/supervise.h"

#include <poll.h>
#include <sys/signalfd.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>

#include "base/syscalls.h"

namespace cordon::linux_backend {
namespace {

using Clock = std::chrono::steady_clock;

// Output held back by the redactor (a possible secret's beginning) leaves after this much quiet.
constexpr int kFlushAfterMs = 50;

}  // namespace

Result<void> Reap(int pidfd, WaitResult& r) {
  if (sys::RetryEintr([&] { return waitid(P_PIDFD, static_cast<id_t>(pidfd), &r.info, WEXITED); }) != 0) {
    return ErrnoError("waitid");
  }
  r.reaped = true;
  return {};
}

Result<WaitResult> Supervise(Watch watch, double timeout_seconds, Clock::time_point start) {
  const int pidfd = watch.pidfd, sigfd = watch.sigfd;
  int statusfd = watch.statusfd;
  const int proxyfd = watch.egress != nullptr ? watch.egress->fd() : -1;
  OutputPump* pumps[2] = {watch.out, watch.err};
  auto finish_output = [&] {
    for (OutputPump* p : pumps) {
      if (p != nullptr) p->Drain();
    }
    for (OutputPump* p : pumps) {
      if (p != nullptr) p->Finish(sigfd);
    }
  };
  WaitResult r;
  bool killed = false;
  Clock::time_point next_tick = Clock::now() + std::chrono::milliseconds(watch.tick_ms);
  for (;;) {
    // Events are emitted inside this loop (the proxy, the output filter): a stop they asked for is seen here
    // before the next wait; one from elsewhere wakes the poll through the control's fd.
    if (!killed && watch.control != nullptr && watch.control->stop_requested()) {
      r.stopped = true;
      sys::PidfdSendSignal(pidfd, SIGKILL);
      killed = true;
    }
    int wait_ms = -1;
    if (timeout_seconds > 0 && !killed) {
      double left = timeout_seconds - std::chrono::duration<double>(Clock::now() - start).count();
      // poll() takes an int: wait in slices of at most an hour (timeouts may be up to a year).
      wait_ms = left <= 0 ? 0 : static_cast<int>(std::min(std::ceil(left * 1000), 3600.0 * 1000));
    }
    bool holding = std::any_of(std::begin(pumps), std::end(pumps), [](OutputPump* p) { return p && p->holding(); });
    if (holding && (wait_ms < 0 || wait_ms > kFlushAfterMs)) wait_ms = kFlushAfterMs;
    if (watch.tick && !killed) {
      auto until = std::chrono::duration_cast<std::chrono::milliseconds>(next_tick - Clock::now()).count();
      int tick_wait = static_cast<int>(std::max<long long>(0, until));
      if (wait_ms < 0 || wait_ms > tick_wait) wait_ms = tick_wait;
    }
    // A negative fd is skipped by poll().
    const int stopfd = watch.control != nullptr && !killed ? watch.control->fd() : -1;
    pollfd fds[9] = {{pidfd, POLLIN, 0},
                     {sigfd, POLLIN, 0},
                     {statusfd, POLLIN, 0},
                     {proxyfd, POLLIN, 0},
                     {pumps[0] ? pumps[0]->read_fd() : -1, POLLIN, 0},
                     {pumps[1] ? pumps[1]->read_fd() : -1, POLLIN, 0},
                     {pumps[0] ? pumps[0]->write_fd() : -1, POLLOUT, 0},
                     {pumps[1] ? pumps[1]->write_fd() : -1, POLLOUT, 0},
                     {stopfd, POLLIN, 0}};
    int n = poll(fds, 9, wait_ms);
    if (n < 0 && errno != EINTR) return ErrnoError("poll");
    if (n == 0 && holding) {
      for (OutputPump* p : pumps) {
        if (p != nullptr) p->FlushHeld();
      }
    }
    if (watch.tick && !killed && Clock::now() >= next_tick) {
      watch.tick();
      next_tick = Clock::now() + std::chrono::milliseconds(watch.tick_ms);
    }
    bool expired = timeout_seconds > 0 &&
                   std::chrono::duration<double>(Clock::now() - start).count() >= timeout_seconds;
    if (n == 0 && !killed && expired) {
      r.timed_out = true;
      sys::PidfdSendSignal(pidfd, SIGKILL);
      killed = true;
      continue;
    }
    if (n <= 0) continue;
    for (int i = 0; i < 2; ++i) {
      if (fds[6 + i].revents) pumps[i]->OnWritable();
      if (fds[4 + i].revents & (POLLIN | POLLHUP | POLLERR)) pumps[i]->OnReadable();
    }
    if (fds[1].revents & POLLIN) {
      signalfd_siginfo si{};
      if (read(sigfd, &si, sizeof(si)) == sizeof(si) && !killed) {
        r.interrupted_by = static_cast<int>(si.ssi_signo);
        sys::PidfdSendSignal(pidfd, SIGKILL);
        killed = true;
      }
    }
    if (fds[3].revents & POLLIN) watch.egress->Dispatch();
    if (statusfd >= 0 && (fds[2].revents & (POLLIN | POLLHUP))) {
      // The status, or EOF: init died without reporting (killed); its exit tells the rest.
      r.have_status = read(statusfd, &r.report, sizeof(r.report)) == sizeof(r.report);
      if (r.have_status && !killed) {
        finish_output();  // every writer is dead: the pipes end
        return r;
      }
      statusfd = -1;
      continue;
    }
    if (fds[0].revents & POLLIN) {
      CORDON_TRY(Reap(pidfd, r));
      finish_output();
      return r;
    }
  }
}

}  // namespace cordon::linux_backend
