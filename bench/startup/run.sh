#!/usr/bin/env bash
# Startup-overhead benchmark: how long does it take to run `true`
#   1. natively,
#   2. under `cordon run -w WS -- true` (default workspace-write profile),
#   3. under bwrap configured like cordon's default profile?
#
#   bench/startup/run.sh [CORDON]
#
# CORDON defaults to build/src/cli/cordon in the repository. Requires
# hyperfine, bwrap and python3. Knobs (environment):
#   BENCH_RUNS=200  BENCH_WARMUP=10   hyperfine --runs / --warmup
#   BENCH_JSON=path                   keep hyperfine's JSON export here
#   BENCH_EXTRA=1                     also time cordon --profile read-only/full
# See docs/PERFORMANCE.md for the method and recorded figures.

set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
repo=$(cd "$here/../.." && pwd -P)
CORDON=${1:-$repo/build/src/cli/cordon}
RUNS=${BENCH_RUNS:-200}
WARMUP=${BENCH_WARMUP:-10}

for tool in hyperfine bwrap python3; do
  command -v "$tool" >/dev/null || { echo "run.sh: $tool not found" >&2; exit 2; }
done
if [ ! -x "$CORDON" ]; then
  echo "run.sh: cordon binary not executable: $CORDON (build it, or pass its path)" >&2
  exit 2
fi
CORDON=$(cd "$(dirname "$CORDON")" && pwd -P)/$(basename "$CORDON")
TRUE=$(command -v true)   # /usr/bin/true; -N runs it without a shell
case $TRUE in /*) ;; *) TRUE=/usr/bin/true ;; esac

work=$(mktemp -d "${TMPDIR:-/tmp}/cordon-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
ws=$work/ws
mkdir -p "$ws"
json=${BENCH_JSON:-$work/hyperfine.json}

# bwrap with the same shape as cordon's default profile: fresh user, pid,
# net, ipc, uts and cgroup namespaces; read-only system dirs; the merged-/usr
# symlinks recreated; private /tmp, /proc and /dev; workspace bound rw; the
# toolchain bits of HOME read-only; scrubbed environment. (bwrap applies no
# seccomp filter and no Landlock ruleset here; cordon does.)
bw=(bwrap --unshare-user --unshare-pid --unshare-net --unshare-ipc --unshare-uts --unshare-cgroup
    --die-with-parent --new-session)
for d in /usr /etc /opt; do
  [ -d "$d" ] && bw+=(--ro-bind "$d" "$d")
done
for d in /bin /sbin /lib /lib32 /lib64 /libx32; do
  if [ -L "$d" ]; then
    bw+=(--symlink "$(readlink "$d")" "$d")
  elif [ -d "$d" ]; then
    bw+=(--ro-bind "$d" "$d")
  fi
done
bw+=(--tmpfs /tmp --proc /proc --dev /dev)
home=${HOME:-/root}
for p in .gitconfig .pyenv .cargo/bin .rustup .local/bin; do
  bw+=(--ro-bind-try "$home/$p" "$home/$p")
done
bw+=(--bind "$ws" "$ws" --chdir "$ws"
     --clearenv --setenv PATH /usr/local/bin:/usr/bin:/bin --setenv HOME "$home")

# bwrap-eq: the same, plus what else cordon's default profile builds that bwrap can express: cordon's own
# seccomp program (from seccomp_gen, next to the cordon binary's build tree), /proc hardening (read-only
# /proc/sys & co, masked /proc/kcore & co) and a mask on every denied path that exists in a visible root
# (from `cordon run --dry-run --json`). Still no Landlock and no secret search: bwrap has neither.
GEN=${SECCOMP_GEN:-$(dirname "$CORDON")/../cordon_seccomp_gen}
bweq=()
if [ -x "$GEN" ] && "$GEN" --bpf "$work/seccomp.bpf"; then
  bweq=("${bw[@]}" --seccomp 3)
  for d in /proc/sys /proc/sysrq-trigger /proc/irq /proc/bus /proc/fs; do
    [ -e "$d" ] && bweq+=(--ro-bind "$d" "$d")
  done
  for f in /proc/kcore /proc/keys /proc/timer_list /proc/sched_debug /proc/latency_stats /proc/kmsg \
           /proc/kallsyms /proc/kpagecount /proc/kpageflags /proc/kpagecgroup; do
    [ -e "$f" ] && bweq+=(--ro-bind /dev/null "$f")
  done
  for d in /proc/acpi /proc/scsi /proc/asound /proc/driver; do
    [ -e "$d" ] && bweq+=(--tmpfs "$d" --remount-ro "$d")
  done
  while IFS= read -r denied; do
    if [ -d "$denied" ]; then bweq+=(--tmpfs "$denied" --remount-ro "$denied")
    elif [ -e "$denied" ]; then bweq+=(--ro-bind /dev/null "$denied"); fi
  done < <("$CORDON" run -w "$ws" --dry-run --json -- "$TRUE" | python3 -c '
import json, sys
rules = json.load(sys.stdin)["filesystem"]
visible = [r["path"] for r in rules if r["access"] in ("read", "write")]
for r in rules:
    p = r["path"]
    if r["access"] == "deny" and any(p.startswith(v.rstrip("/") + "/") for v in visible):
        print(p)')
  bweq+=("$TRUE")
else
  echo "run.sh: $GEN not found: no bwrap-eq variant (set SECCOMP_GEN)" >&2
fi
bw+=("$TRUE")

# Sanity: every variant must actually succeed before we time it.
"${bw[@]}" || { echo "run.sh: the bwrap variant fails on this machine" >&2; exit 2; }
if [ ${#bweq[@]} -gt 0 ]; then
  "${bweq[@]}" 3<"$work/seccomp.bpf" || { echo "run.sh: the bwrap-eq variant fails on this machine" >&2; exit 2; }
fi
"$CORDON" run -w "$ws" -- "$TRUE" || { echo "run.sh: 'cordon run -- true' fails" >&2; exit 2; }

q() { printf '%q ' "$@"; }   # one shell-words string for hyperfine -N
cmds=(-n native "$(q "$TRUE")"
      -n cordon "$(q "$CORDON" run -w "$ws" -- "$TRUE")"
      -n bwrap "$(q "${bw[@]}")")
if [ -n "${BENCH_EXTRA:-}" ]; then
  cmds+=(-n cordon-read-only "$(q "$CORDON" run --profile read-only -w "$ws" -- "$TRUE")"
         -n cordon-full "$(q "$CORDON" run --profile full -w "$ws" -- "$TRUE")")
fi

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), kernel $(uname -r), user $(id -un)"
echo "cordon:  $CORDON"
echo "bwrap:   $(bwrap --version 2>/dev/null | head -1)"
echo

hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$json" --style basic "${cmds[@]}"

# bwrap reads its seccomp program from a file descriptor, which hyperfine -N cannot open per run: the
# equivalence comparison runs through a shell, whose start-up hyperfine measures and subtracts.
if [ ${#bweq[@]} -gt 0 ]; then
  echo
  echo "equivalent configuration (through a shell, shell start-up subtracted):"
  hyperfine --warmup "$WARMUP" --runs "$RUNS" --export-json "$work/eq.json" --style basic \
    -n cordon "$(q "$CORDON" run -w "$ws" -- "$TRUE")" \
    -n bwrap-eq "$(q "${bweq[@]}") 3<$(q "$work/seccomp.bpf")"
fi

echo
python3 - "$json" "$work/eq.json" <<'EOF'
import json
import os
import sys

res = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
ms = lambda s: s * 1e3
print(f"{'variant':<18}{'median ms':>11}{'mean ms':>10}{'stddev':>9}{'min':>8}{'max':>8}")
for name, r in res.items():
    print(f"{name:<18}{ms(r['median']):>11.3f}{ms(r['mean']):>10.3f}{ms(r['stddev'] or 0):>9.3f}"
          f"{ms(r['min']):>8.3f}{ms(r['max']):>8.3f}")
med = {k: v["median"] for k, v in res.items()}
print()
for a, b in (("cordon", "native"), ("bwrap", "native"), ("cordon", "bwrap")):
    print(f"median ratio {a}/{b}: {med[a] / med[b]:.2f}x"
          f"   (overhead {ms(med[a] - med[b]):+.3f} ms)")
for extra in ("cordon-read-only", "cordon-full"):
    if extra in med:
        print(f"median ratio {extra}/native: {med[extra] / med['native']:.2f}x")
if os.path.exists(sys.argv[2]):
    eq = {r["command"]: r for r in json.load(open(sys.argv[2]))["results"]}
    print()
    print("equivalent configuration (shell-corrected):")
    for name, r in eq.items():
        print(f"  {name:<10} median {ms(r['median']):.3f} ms  min {ms(r['min']):.3f} ms")
    print(f"median ratio cordon/bwrap-eq: {eq['cordon']['median'] / eq['bwrap-eq']['median']:.2f}x"
          f"   (overhead {ms(eq['cordon']['median'] - eq['bwrap-eq']['median']):+.3f} ms)")
EOF
[ -n "${BENCH_JSON:-}" ] && echo "hyperfine JSON: $json"
exit 0
