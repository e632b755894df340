// One direction of a tunnel: src socket → (pipe | buffer) → dst socket. splice() moves the bytes through a pipe
// without copying them into user space; where splice is refused (EINVAL: a socket type it does not take) or no
// pipe could be had, the same flow copies through a buffer with recv/send. Non-blocking: a pump moves what it can
// and says what it waits for.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "base/unique_fd.h"

namespace cordon::net {

struct Flow {
  int src = -1, dst = -1;            // borrowed from the connection
  const char* src_name = "";         // "client" / "upstream", for errors
  const char* dst_name = "";
  UniqueFd pipe_r, pipe_w;           // both invalid: copy mode
  size_t in_pipe = 0;
  size_t pipe_size = 0;              // its capacity: small at first, grown once for a bulk transfer
  bool grown = false;
  std::string buf;                   // bytes that go first (a rewritten request head, early data); copy buffer
  size_t buf_off = 0;
  bool src_eof = false;              // src said EOF; dst gets SHUT_WR once everything is written
  bool dst_shut = false;             // finished
  bool want_read = false;            // waiting for src to be readable
  bool want_write = false;           // waiting for dst to be writable
  uint64_t bytes = 0;                // written to dst

  // Gets a pipe for splice; false (and copy mode) when none can be had.
  bool OpenPipe();
  void GrowPipe();
};

// Moves bytes until src has nothing, dst takes nothing, or `rounds` buffers went through (so one busy tunnel
// cannot starve the others: the caller comes back on the next readiness report). Sets want_read/want_write.
// Returns an error ("upstream: splice: Connection reset by peer") when a socket broke, else empty.
std::string PumpFlow(Flow& f, int rounds);

}  // namespace cordon::net
