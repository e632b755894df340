// Capabilities: the sandboxed command holds none and cannot regain them (empty bounding and ambient sets,
// SECBIT_NOROOT locked so even uid 0 gains nothing at execve, no_new_privs). Child side only.
#pragma once

namespace cordon::linux_backend::capabilities {

// Drops every capability of the calling thread for good and sets no_new_privs. Returns 0 or an errno;
// `*step` names the operation that failed.
int DropAll(const char** step);

}  // namespace cordon::linux_backend::capabilities
