#include "linux/network.h"

#include <arpa/inet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "linux/fd_passing.h"

namespace cordon::linux_backend::network {

int BringUpLoopback() {
  int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  if (s < 0) return errno;
  ifreq req{};
  std::strncpy(req.ifr_name, "lo", IFNAMSIZ - 1);
  int err = 0;
  if (ioctl(s, SIOCGIFFLAGS, &req) != 0) {
    err = errno;
  } else {
    req.ifr_flags = static_cast<short>(req.ifr_flags | IFF_UP | IFF_RUNNING);
    if (ioctl(s, SIOCSIFFLAGS, &req) != 0) err = errno;
  }
  close(s);
  return err;
}

int HandOverListener(uint16_t port, int channel) {
  int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (s < 0) return errno;
  int one = 1;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(port);
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  int err = 0;
  if (setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
      bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) != 0 || listen(s, SOMAXCONN) != 0) {
    err = errno;
  } else {
    err = fd_passing::Send(channel, s, 0);
  }
  close(s);
  return err;
}

Result<UniqueFd> ReceiveListener(int channel) {
  auto r = fd_passing::Receive(channel, 0);
  if (!r.ok()) return std::move(r).error().With("receiving the proxy's listening socket from the sandbox");
  if (!r->fd.valid()) return MakeError("the sandbox did not hand over the proxy's listening socket");
  return std::move(r->fd);
}

}  // namespace cordon::linux_backend::network
