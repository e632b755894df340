// Network: the sandbox has its own network namespace; this brings its loopback up, and that is all it has.
// Child side only. Does not protect against anything by itself: the empty namespace does.
#pragma once

namespace cordon::linux_backend::network {

// Returns 0 or an errno.
int BringUpLoopback();

}  // namespace cordon::linux_backend::network
