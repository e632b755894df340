#!/usr/bin/env bash
# Builds the libFuzzer targets with clang into build-fuzz/ (or $BUILD_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
build=${BUILD_DIR:-build-fuzz}
cmake -S . -B "$build" -G Ninja -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCORDON_FUZZ=ON >/dev/null
# Every target in tests/fuzz (one per parser), so a new fuzz target needs no change here.
cmake --build "$build" --target tests/fuzz/all
