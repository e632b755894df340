#!/usr/bin/env bash
# What auditing costs a run's start-up: `cordon run -- true` with auditing off (--audit none), to the default
# JSON-lines file, and to SQLite, in one hyperfine run, so the ratios compare like with like.
#
#   bench/audit/startup.sh [CORDON]      (BENCH_RUNS=200 BENCH_WARMUP=20; run as root and as a plain user)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
CORDON=${1:-$here/../../build/src/cli/cordon}
CORDON=$(readlink -f "$CORDON")
RUNS=${BENCH_RUNS:-200}
WARMUP=${BENCH_WARMUP:-20}
command -v hyperfine >/dev/null || { echo "startup.sh: hyperfine not found" >&2; exit 2; }
work=$(mktemp -d "${TMPDIR:-/tmp}/cordon-audit-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/ws" "$work/state"
cd "$work/ws"
export XDG_STATE_HOME=$work/state
hyperfine -N -w "$WARMUP" -r "$RUNS" --export-json "$work/h.json" \
  -n off "$CORDON run --audit none -- /usr/bin/true" \
  -n jsonl "$CORDON run -- /usr/bin/true" \
  -n sqlite "$CORDON run --audit sqlite:$work/audit.db -- /usr/bin/true" >/dev/null
python3 - "$work/h.json" <<'PY'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
off = r["off"]["median"]
for name in ("off", "jsonl", "sqlite"):
    m = r[name]["median"]
    print("%-7s median %6.2f ms  (%.2fx auditing off)" % (name, m * 1e3, m / off))
PY
