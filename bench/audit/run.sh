#!/usr/bin/env bash
# Audit cost of denied syscalls (docs/PERFORMANCE.md, "Audit: denied syscalls"): hyperfine compares cordon's
# notifying seccomp filter (each refused call goes to the supervisor, which answers EPERM and counts it) with
# the plain filter that answers EPERM itself (CORDON_SECCOMP_NOTIFY=0):
#   1. a command making COUNT refused calls (ptrace, through deny_probe),
#   2. the start-up cost: `cordon run -- true`,
# as root, and as the unprivileged user cordon-test when it exists.
#
#   bench/audit/run.sh [CORDON [DENY_PROBE]]
#
# Defaults: build/src/cli/cordon and build/tests/integration/cordon_deny_probe. Knobs (environment):
#   BENCH_COUNT=10000                refused calls per run
#   BENCH_RUNS=30 BENCH_WARMUP=3     hyperfine for the loop; the start-up comparison uses -w 20 -r 200
#   BENCH_USER=cordon-test           empty: root only
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
CORDON=$(readlink -f "${1:-$repo/build/src/cli/cordon}")
PROBE=$(readlink -f "${2:-$repo/build/tests/integration/cordon_deny_probe}")
COUNT=${BENCH_COUNT:-10000}
RUNS=${BENCH_RUNS:-30}
WARMUP=${BENCH_WARMUP:-3}
USER_NAME=${BENCH_USER-cordon-test}

command -v hyperfine >/dev/null || { echo "run.sh: hyperfine not found" >&2; exit 2; }
for f in "$CORDON" "$PROBE"; do
  [ -x "$f" ] || { echo "run.sh: not executable: $f (build cordon and cordon_deny_probe)" >&2; exit 2; }
done

work=$(mktemp -d /tmp/cordon-bench-audit.XXXXXX)
trap 'rm -rf "$work"' EXIT
chmod 755 "$work"
cp "$CORDON" "$work/cordon"
cp "$PROBE" "$work/deny_probe"
chmod 755 "$work/cordon" "$work/deny_probe"

bench() {  # runner... (empty for root)
  cd "$work"
  "$@" hyperfine -N -w "$WARMUP" -r "$RUNS" \
    -n "notify: $COUNT refused calls" "env CORDON_SECCOMP_NOTIFY=1 ./cordon run -- ./deny_probe ptrace $COUNT" \
    -n "plain: $COUNT refused calls" "env CORDON_SECCOMP_NOTIFY=0 ./cordon run -- ./deny_probe ptrace $COUNT"
  "$@" hyperfine -N -w 20 -r 200 \
    -n "notify: run -- true" "env CORDON_SECCOMP_NOTIFY=1 ./cordon run -- true" \
    -n "plain: run -- true" "env CORDON_SECCOMP_NOTIFY=0 ./cordon run -- true"
}

echo "== root"
bench
if [ -n "$USER_NAME" ] && id "$USER_NAME" >/dev/null 2>&1; then
  chown -R "$USER_NAME" "$work"
  echo "== $USER_NAME"
  bench runuser -u "$USER_NAME" --
fi
