#!/usr/bin/env bash
# Redaction benchmark (issue 4): throughput of the built-in rules against a naive std::regex loop, pinned to one
# core, then the false-positive count on /usr/include and /usr/share/doc.
#
#   bench/redact/run.sh [BUILD_DIR] [redact_bench flags]
#
# BUILD_DIR defaults to build (the binaries are BUILD_DIR/bench/redact_bench and redact_fp_scan).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
build=$repo/build
if [[ $# -gt 0 && $1 != --* ]]; then
  build=$1
  shift
fi
for b in redact_bench redact_fp_scan; do
  if [[ ! -x $build/bench/$b ]]; then
    echo "run.sh: $build/bench/$b not found (cmake --build $build --target $b)" >&2
    exit 2
  fi
done
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r)"
taskset -c 0 "$build/bench/redact_bench" "$@"
echo
echo "false positives (markers on text without secrets):"
"$build/bench/redact_fp_scan"
