#!/usr/bin/env bash
# Installs what cordon needs to build, test and benchmark, from Debian 12's packages. Idempotent.
# `install-deps.sh windows` also installs the Windows cross build (mingw-w64, posix threads) and Wine to run its
# tests (scripts/build-windows.sh).
set -euo pipefail
packages=(
  cmake ninja-build g++ pkg-config git
  libseccomp-dev libtoml11-dev nlohmann-json3-dev libcli11-dev libspdlog-dev libfmt-dev
  libidn2-dev libunistring-dev
  libsqlite3-dev libpq-dev postgresql
  libgtest-dev libgmock-dev libbenchmark-dev libhyperscan-dev libsodium-dev
  clang libclang-rt-14-dev
  hyperfine bubblewrap python3 make gcc passwd util-linux procps iproute2 strace curl
)
if [[ ${1:-} == windows ]]; then
  packages+=(g++-mingw-w64-x86-64-posix gcc-mingw-w64-x86-64-posix googletest wine wine64)
fi
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install-deps: need root to install: ${missing[*]}" >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
