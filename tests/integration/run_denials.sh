#!/usr/bin/env bash
# Denied syscalls as events (src/linux/seccomp_notify.h), against real sandboxes, as root and as the
# unprivileged user cordon-test: every refused call the probe makes is a `deny.syscall` event with the right
# name while the command still sees EPERM; a flood is rate-limited and summed up; the ENOSYS compatibility
# answers are no event; the plain filter (CORDON_SECCOMP_NOTIFY=0, or a listener the kernel refuses) still
# refuses, and the run says that its events are missing.
# Usage: run_denials.sh CORDON DENY_PROBE
set -uo pipefail
CORDON=$(readlink -f "$1")
PROBE=$(readlink -f "$2")
. "$(dirname "$0")/lib.sh" denials

# check NAME EVENTS_FILE PYTHON_ASSERTIONS: `ev` is the list of events, `deny` the individual deny.syscall
# events, `summ` the summaries by syscall name.
check() {
  local name=$1 file=$2 code=$3 out
  if out=$(python3 - "$file" "$code" 2>&1 <<'PY'
import json, sys
ev = [json.loads(l) for l in open(sys.argv[1])]
deny = [e for e in ev if e["type"] == "deny.syscall" and not e.get("summary")]
summ = {e["syscall"]: e for e in ev if e["type"] == "deny.syscall" and e.get("summary")}
exec(sys.argv[2])
PY
  ); then ok "$name"; else bad "$name" "$out"; fi
}

run_suite() {  # label runner...
  local label=$1; shift
  local R=("$@") ws=$tmp/ws-$label out
  mkdir -p "$ws"
  cp "$PROBE" "$ws/deny_probe"
  chmod 755 "$ws/deny_probe"
  [[ $label == user ]] && chown -R "$USER_NAME" "$ws"
  cd "$ws" || return

  # every refused call: EPERM for the command, an event with the syscall's name for the log
  rm -f ev-all.jsonl
  out=$("${R[@]}" "$CORDON" run --events "$ws/ev-all.jsonl" -- ./deny_probe all </dev/null 2>&1)
  local want="ptrace mount bpf io_uring_setup keyctl unshare clone_newuser tiocsti personality netlink x86 x32"
  local op missing=""
  for op in $want; do grep -qx "$op EPERM" <<<"$out" || missing+=" $op"; done
  [[ -z $missing ]] && ok "$label: refused calls still get EPERM" || bad "$label: EPERM" "not EPERM:$missing; output: $out"
  grep -qx "clone3 ENOSYS" <<<"$out" && grep -qx "openat2 ENOSYS" <<<"$out" &&
    ok "$label: clone3 and openat2 still get ENOSYS" || bad "$label: ENOSYS" "$out"
  check "$label: one deny.syscall event per refused call, named" "$ws/ev-all.jsonl" '
names = [(e["arch"], e["syscall"]) for e in deny]
want = [("x86_64", n) for n in ["ptrace", "mount", "bpf", "io_uring_setup", "keyctl", "unshare", "clone", "ioctl",
        "personality", "socket"]] + [("x86", "getpid"), ("x32", "getpid")]
assert names == want, names
for e in deny:
    assert e["layer"] == "seccomp" and e["errno"] == "EPERM" and e["pid"] == 2 and isinstance(e["nr"], int), e
assert deny[0]["nr"] == 101 and deny[-1]["nr"] == 0x40000000 | 39, deny
assert not summ, summ  # nothing suppressed, no summary'
  check "$label: no event for the ENOSYS compatibility answers" "$ws/ev-all.jsonl" '
assert not [e for e in ev if e.get("syscall") in ("clone3", "openat2")], ev
assert not [e for e in ev if e["type"] == "audit.degraded"], ev'

  # a flood: the first 10 individually, then one summary with the right total
  rm -f ev-flood.jsonl
  out=$("${R[@]}" "$CORDON" run --events "$ws/ev-flood.jsonl" -- ./deny_probe ptrace 10000 </dev/null 2>/dev/null)
  [[ $out == "ptrace EPERM" ]] && ok "$label: 10000 refused calls all get EPERM" || bad "$label: flood EPERM" "$out"
  check "$label: a flood is 10 events and one summary" "$ws/ev-flood.jsonl" '
assert len(deny) == 10 and all(e["syscall"] == "ptrace" for e in deny), deny
s = summ["ptrace"]
assert s["count"] == 10000 and s["suppressed"] == 9990 and s["arch"] == "x86_64" and s["layer"] == "seccomp", s
assert list(summ) == ["ptrace"], summ'

  # a shell pipeline: denials from several processes, each with its own pid inside the sandbox
  rm -f ev-sh.jsonl
  "${R[@]}" "$CORDON" run --events "$ws/ev-sh.jsonl" -- sh -c './deny_probe keyctl; ./deny_probe bpf 3' >/dev/null 2>&1 </dev/null
  check "$label: denials from child processes carry their pid" "$ws/ev-sh.jsonl" '
pids = {e["syscall"]: e["pid"] for e in deny}
assert set(pids) == {"keyctl", "bpf"} and pids["keyctl"] > 2 and pids["bpf"] > 2 and pids["keyctl"] != pids["bpf"], deny
assert len([e for e in deny if e["syscall"] == "bpf"]) == 3, deny'

  # the plain filter on request: still refused, no events, and the run says so once
  rm -f ev-plain.jsonl
  out=$("${R[@]}" env CORDON_SECCOMP_NOTIFY=0 "$CORDON" run --events "$ws/ev-plain.jsonl" -- ./deny_probe all </dev/null 2>&1)
  grep -qx "ptrace EPERM" <<<"$out" && grep -qx "x86 EPERM" <<<"$out" && grep -qx "clone3 ENOSYS" <<<"$out" &&
    ok "$label: CORDON_SECCOMP_NOTIFY=0 still refuses" || bad "$label: plain filter" "$out"
  check "$label: CORDON_SECCOMP_NOTIFY=0: no deny.syscall, one audit.degraded" "$ws/ev-plain.jsonl" '
assert not deny and not summ, deny
d = [e for e in ev if e["type"] == "audit.degraded"]
assert len(d) == 1 and d[0]["layer"] == "seccomp" and d[0]["missing"] == "deny.syscall", d'

  # inside another sandbox that already has a seccomp listener: the kernel refuses ours (EBUSY), the plain
  # filter refuses the calls, and the run says why its events are missing
  rm -f ev-nested.jsonl
  out=$("${R[@]}" "$ws/deny_probe" hold-listener "$CORDON" run --events "$ws/ev-nested.jsonl" -- ./deny_probe all </dev/null 2>&1)
  grep -qx "ptrace EPERM" <<<"$out" && grep -qx "netlink EPERM" <<<"$out" &&
    ok "$label: listener refused (EBUSY): the plain filter still refuses" || bad "$label: nested" "$out"
  check "$label: listener refused (EBUSY): audit.degraded names the errno" "$ws/ev-nested.jsonl" '
assert not deny, deny
d = [e for e in ev if e["type"] == "audit.degraded"]
assert len(d) == 1 and d[0]["errno"] == "EBUSY" and d[0]["layer"] == "seccomp", d'
}

run_suite root
run_suite user as_user

echo "denials: $pass passed, $fail failed"
(( fail == 0 ))
