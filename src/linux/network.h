// Network: the sandbox has its own network namespace with only a loopback, and no route out. In allowlist
// mode, init also listens on 127.0.0.1:PORT there and hands that socket to cordon, whose proxy accepts on it
// from outside: the only way out is a connection the proxy decides on.
// Does not protect against anything by itself: the empty namespace does, and the proxy's rules.
#pragma once

#include <cstdint>

#include "base/result.h"
#include "base/unique_fd.h"

namespace cordon::linux_backend::network {

// Child side. Returns 0 or an errno.
int BringUpLoopback();

// Child side: listens on 127.0.0.1:`port` and sends the socket over the unix socket `channel`, keeping no copy.
// Returns 0 or an errno.
int HandOverListener(uint16_t port, int channel);

// Parent side: the listening socket the child handed over.
Result<UniqueFd> ReceiveListener(int channel);

}  // namespace cordon::linux_backend::network
