#!/usr/bin/env bash
# Installs, builds and runs every test: unit, integration, the escape suite and the benign suite (ctest),
# as root and as an unprivileged user the tests create.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cd build
ctest --output-on-failure --timeout 900 "$@"
