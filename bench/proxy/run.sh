#!/usr/bin/env bash
# Proxy benchmark (issue 3): a 1 GiB download and 200 sequential new connections over loopback — direct,
# through a bare read/write relay (the ceiling here), and through cordon's proxy by CONNECT, plain HTTP and
# SOCKS5 — printed with ratios and the proxy's CPU time per GiB.
#
#   bench/proxy/run.sh [BINARY] [--bytes N] [--conns N] [--runs N] [--copy]
#
# BINARY defaults to build/bench/cordon_proxy_bench. --copy makes cordon copy with read/write instead of splice.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
bin=$repo/build/bench/cordon_proxy_bench
if [[ $# -gt 0 && $1 != --* ]]; then
  bin=$1
  shift
fi
if [[ ! -x $bin ]]; then
  echo "run.sh: $bin not found (cmake --build build --target cordon_proxy_bench)" >&2
  exit 2
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
exec "$bin" "$@"
