#!/usr/bin/env bash
# Installs, builds and runs every test: unit, integration, the escape suite and the benign suite (ctest,
# as root and as an unprivileged user the tests create), the Windows cross build with its tests under Wine
# (CORDON_SKIP_WINDOWS=1 leaves it out), then the fuzz targets for a bounded time (clang).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
# A PostgreSQL server for the postgres:// audit sink's tests (skipped without one, except in CI).
if [[ -z ${CORDON_TEST_POSTGRES:-} ]]; then
  pg_dir=$(mktemp -d /tmp/cordon-pg.XXXXXX) test_root=$PWD
  trap '"$test_root/scripts/postgres.sh" stop "$pg_dir" || true; rm -rf "$pg_dir"' EXIT
  if CORDON_TEST_POSTGRES=$(./scripts/postgres.sh start "$pg_dir"); then
    export CORDON_TEST_POSTGRES
  else
    echo "test.sh: could not start PostgreSQL (log: $pg_dir/log); the PostgreSQL tests will say so" >&2
    cat "$pg_dir/log" >&2 2>/dev/null || true
  fi
fi
status=0
(cd build && ctest --output-on-failure --timeout 900 "$@") || status=$?
# The Windows cross build (mingw-w64) and its tests under Wine (docs/WINDOWS.md); a few minutes.
if [[ -z ${CORDON_SKIP_WINDOWS:-} ]]; then
  ./scripts/build-windows.sh || status=$?
fi
if [[ -z ${CORDON_SKIP_FUZZ:-} ]]; then
  BUILD_DIR=build-fuzz ./scripts/build-fuzz.sh
  (cd build-fuzz && ctest -L fuzz --output-on-failure) || status=$?
fi
exit $status
