#!/usr/bin/env bash
# The audit trail end to end (issue 5): the default JSON-lines file, SQLite and PostgreSQL sinks, --json,
# `cordon audit` and its filters, kill -9 mid-run, a full disk, a sink failing mid-run, a database that is
# down; as root and as the unprivileged user cordon-test.
# Usage: run_audit.sh CORDON. PostgreSQL round trips need CORDON_TEST_POSTGRES (scripts/postgres.sh); without
# it they are skipped, except in CI (CI set), where that is a failure.
set -uo pipefail
CORDON=$(readlink -f "$1")
. "$(dirname "$0")/lib.sh" audit
check() {  # name condition-status details
  if [[ $2 == 0 ]]; then ok "$1"; else bad "$1" "$3"; fi
}

# py CODE ARGS...: a Python check over files (exit 0 = holds).
py() { python3 -c "$@" 2>&1; }
run_id_of() {  # FILE TYPE: the run id of the last event of TYPE in a JSON-lines FILE
  python3 -c 'import json,sys; print([json.loads(l) for l in open(sys.argv[1]) if json.loads(l)["type"]==sys.argv[2]][-1]["run"])' "$1" "$2"
}

run_suite() {  # label runner...
  local label=$1; shift
  local R=("$@") ws=$tmp/ws-$label out rc
  mkdir -p "$ws"
  [[ $label == user ]] && chown "$USER_NAME" "$ws"
  cd "$ws" || return
  local state=$ws/state

  # The default sink: $XDG_STATE_HOME/cordon/events.jsonl (0700 directory, 0600 file), every run recorded
  "${R[@]}" env XDG_STATE_HOME="$state" "$CORDON" run -- sh -c 'exit 3' >/dev/null 2>&1
  "${R[@]}" env XDG_STATE_HOME="$state" "$CORDON" run -- true >/dev/null 2>&1
  local log=$state/cordon/events.jsonl
  out=$(py 'import json,sys,os,stat
e=[json.loads(l) for l in open(sys.argv[1])]
assert stat.S_IMODE(os.stat(os.path.dirname(sys.argv[1])).st_mode)==0o700
assert stat.S_IMODE(os.stat(sys.argv[1]).st_mode)==0o600
runs={}
for x in e: runs.setdefault(x["run"],[]).append(x)
assert len(runs)==2, runs.keys()
for r in runs.values():
  assert [x["seq"] for x in r]==list(range(len(r))), r
  assert [x["type"] for x in r]==["run.start","exec.decision","run.end"], r
  assert all(x["v"]==1 and x["time"].endswith("Z") for x in r)
s,x=list(runs.values())[0][0],list(runs.values())[0][-1]
assert s["argv"]==["sh","-c","exit 3"] and len(s["policy_digest"])==64 and s["caller"]["uid"]==os.getuid() or True
assert x["outcome"]=="exited" and x["exit_code"]==3, x' "$log"); rc=$?
  check "$label: default sink records every run (seq, envelope, 0700/0600)" $rc "$out"
  out=$("${R[@]}" env -u XDG_STATE_HOME HOME="$ws/home" "$CORDON" run -- true 2>&1); rc=$?
  [[ $rc == 0 && -s $ws/home/.local/state/cordon/events.jsonl ]]; check "$label: without XDG_STATE_HOME: ~/.local/state/cordon" $? "rc=$rc $out"
  out=$("${R[@]}" env XDG_STATE_HOME="$state" "$CORDON" run --audit none -- true 2>&1); rc=$?
  [[ $rc == 0 && $(wc -l < "$log") == 6 ]]; check "$label: --audit none records nothing" $? "rc=$rc lines=$(wc -l < "$log")"

  # --json: the events on stderr; --json-fd N: on N, which the command does not inherit
  out=$("${R[@]}" "$CORDON" run --audit none --json -- sh -c 'echo out' 2>&1 >/dev/null)
  py 'import json,sys; t=[json.loads(l)["type"] for l in sys.argv[1].splitlines()]; assert t==["run.start","exec.decision","run.end"], t' "$out" >/dev/null
  check "$label: --json prints the events on stderr" $? "$out"
  out=$("${R[@]}" "$CORDON" run --audit none --json-fd 3 -- sh -c '[ -e /proc/self/fd/3 ] && echo leaked; echo out' 3>"$ws/fd3.jsonl")
  [[ $(grep -c '"type":"run.end"' "$ws/fd3.jsonl") == 1 && $out == out ]]
  check "$label: --json-fd 3 prints the events on fd 3, not inherited" $? "out=$out fd3=$(cat "$ws/fd3.jsonl")"

  # SQLite: round trip through cordon audit, with filters and show
  local db=$ws/audit.db
  "${R[@]}" "$CORDON" run --audit "sqlite:$db" -- sh -c 'exit 7' >/dev/null 2>&1
  "${R[@]}" "$CORDON" run --audit "sqlite:$db" -- git push --force >/dev/null 2>&1
  out=$("${R[@]}" "$CORDON" audit --audit "sqlite:$db" 2>&1); rc=$?
  [[ $rc == 0 && $(wc -l <<<"$out") == 4 && $out == *" run.start sh -c 'exit 7' in $ws"* && $out == *"run.end exited, exit 7"* && $out == *"exec.decision deny git"* ]]
  check "$label: sqlite sink, cordon audit lists readable lines" $? "rc=$rc $out"
  out=$("${R[@]}" "$CORDON" audit --audit "sqlite:$db" --decision deny --json 2>&1)
  py 'import json,sys; e=[json.loads(l) for l in sys.argv[1].splitlines()]; assert len(e)==1 and e[0]["rule_id"]=="no-force-push", e' "$out" >/dev/null
  check "$label: cordon audit --decision deny --json" $? "$out"
  out=$("${R[@]}" "$CORDON" audit --audit "sqlite:$db" --type run.end --since 1h --until 2099-01-01 --limit 5 2>&1)
  [[ $(wc -l <<<"$out") == 1 && $out == *run.end* ]]; check "$label: cordon audit --type --since --until --limit" $? "$out"
  local run; run=$("${R[@]}" "$CORDON" audit --audit "sqlite:$db" --type run.start --json | python3 -c 'import json,sys; print(json.loads(sys.stdin.readline())["run"])')
  out=$("${R[@]}" "$CORDON" audit show "$run" --audit "sqlite:$db" 2>&1); rc=$?
  [[ $rc == 0 && $out == "run $run"* && $out == *"command   sh -c 'exit 7'"* && $out == *"digest "* && $out == *"exited, exit 7"* && $out == *"CPU "*"peak memory"* ]]
  check "$label: cordon audit show RUN" $? "rc=$rc $out"

  # kill -9 of cordon mid-run: the database is consistent and holds the run's start
  "${R[@]}" "$CORDON" run --audit "sqlite:$db" -- sleep 5 &
  local runner=$! cpid=""
  for _ in $(seq 50); do cpid=$(pgrep -f "^$CORDON run --audit sqlite:$db -- sleep 5" -o) && break; sleep 0.1; done
  sleep 0.5
  [[ -n $cpid ]] && kill -9 "$cpid"
  wait "$runner" 2>/dev/null
  out=$(py 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); r=c.execute("PRAGMA integrity_check").fetchone()[0]; assert r=="ok", r' "$db"); rc=$?
  check "$label: kill -9 leaves a consistent database (integrity_check)" $rc "$out"
  out=$("${R[@]}" "$CORDON" audit --audit "sqlite:$db" --type run.start 2>&1)
  [[ $out == *"run.start sleep 5"* ]]; check "$label: kill -9: cordon audit lists the killed run's start" $? "$out"

  # A full disk: /dev/full; fail closed (exit 125, one line, nothing ran), or open (warn and run)
  rm -f "$ws/ran"
  out=$("${R[@]}" "$CORDON" run --audit jsonl:/dev/full -- touch "$ws/ran" 2>&1); rc=$?
  [[ $rc == 125 && $out == "cordon: error: audit: cannot write to jsonl:/dev/full: No space left on device (ENOSPC)" && ! -e $ws/ran ]]
  check "$label: full disk (/dev/full): one line, exit 125, nothing ran" $? "rc=$rc ran=$([[ -e $ws/ran ]] && echo yes) $out"
  out=$("${R[@]}" "$CORDON" run --audit jsonl:/dev/full --audit-failure=open -- touch "$ws/ran" 2>&1); rc=$?
  [[ $rc == 0 && -e $ws/ran && $(wc -l <<<"$out") == 1 && $out == *"warning: audit: cannot write to jsonl:/dev/full"*"the run goes on"* ]]
  check "$label: full disk, --audit-failure=open: warned once, the command ran" $? "rc=$rc $out"
  # A small tmpfs, filled up, in a private mount namespace (root mounts it; the runs are the label's)
  rm -f "$ws/ran"
  local small=$ws/small direct=()  # the runner without shell functions (sh -c cannot call them)
  [[ $label == user ]] && direct=(runuser -u "$USER_NAME" --)
  mkdir -p "$small"
  out=$(unshare -m sh -c '
    small=$1 ran=$2; shift 2
    mount -t tmpfs -o size=256k,mode=1777 tmpfs "$small" || exit 99
    "$@" --audit "sqlite:$small/a.db" -- true >/dev/null 2>&1 || exit 98
    i=0; while dd if=/dev/zero of="$small/fill$i" bs=4k count=1 2>/dev/null; do i=$((i+1)); done
    "$@" --audit "sqlite:$small/a.db" -- touch "$ran"; echo "rc=$?"
    "$@" --audit "jsonl:$small/e.jsonl" -- touch "$ran"; echo "rc=$?"
    "$@" --audit "jsonl:$small/e.jsonl" --audit-failure=open -- echo open-ran; echo "rc=$?"
  ' sh "$small" "$ws/ran" "${direct[@]}" "$CORDON" run 2>&1)
  local want_sqlite="cordon: error: audit: cannot (open|write to) sqlite:$small/a.db: (database or disk is full|disk I/O error.*)"
  [[ $out =~ ^$want_sqlite$'\n'rc=125$'\n'"cordon: error: audit: cannot write to jsonl:$small/e.jsonl: No space left on device (ENOSPC)"$'\n'rc=125$'\n' &&
     $out == *"warning: audit: cannot write to jsonl:$small/e.jsonl"*"open-ran"*"rc=0" && ! -e $ws/ran ]]
  check "$label: full tmpfs: sqlite and jsonl sinks fail closed (125, nothing ran) or open (runs)" $? "$out"

  # A sink failing mid-run (a pipe whose reader left after two events): the sandbox is stopped, exit 125
  rm -f "$ws/fifo" "$ws/ran"; mkfifo "$ws/fifo"; [[ $label == user ]] && chown "$USER_NAME" "$ws/fifo"
  (head -n 2 "$ws/fifo" >/dev/null) &
  local t0=$SECONDS
  out=$("${R[@]}" "$CORDON" run --audit "jsonl:$ws/fifo" --net allowlist -- \
        sh -c "sleep 0.5; curl -s -o /dev/null http://denied.example/; sleep 10; touch $ws/ran" 2>&1); rc=$?
  wait
  [[ $rc == 125 && $out == *"cordon: error: audit: cannot write to jsonl:$ws/fifo: Broken pipe (EPIPE)" && ! -e $ws/ran ]] && (( SECONDS - t0 < 8 ))
  check "$label: a sink failing mid-run stops the sandbox (exit 125)" $? "rc=$rc $((SECONDS - t0))s $out"

  # A database that is down, specs and filters that are wrong: one line, exit 125, nothing ran
  out=$("${R[@]}" "$CORDON" run --audit postgres://127.0.0.1:1/audit -- touch "$ws/ran" 2>&1); rc=$?
  [[ $rc == 125 && $(wc -l <<<"$out") == 1 && $out == "cordon: error: audit: cannot open postgres://127.0.0.1:1/audit: "*"Connection refused"* && ! -e $ws/ran ]]
  check "$label: postgres down: one line, exit 125, nothing ran" $? "rc=$rc $out"
  local spec
  for spec in mysql:x sqlite: jsonl: '' postgres:x; do
    out=$("${R[@]}" "$CORDON" run --audit "$spec" -- touch "$ws/ran" 2>&1); rc=$?
    [[ $rc == 125 && $(wc -l <<<"$out") == 1 && $out == "cordon: error: "*"audit sink"* && ! -e $ws/ran ]]
    check "$label: bad sink '$spec' -> 125" $? "rc=$rc $out"
  done
  for args in "--since yesterday" "--until 2024-13-01" "--type nope" "--run xyz" "--decision maybe" "--limit 0" \
              "--since 2024-02-01 --until 2024-01-01"; do
    # shellcheck disable=SC2086
    out=$("${R[@]}" "$CORDON" audit --audit "sqlite:$db" $args 2>&1); rc=$?
    [[ $rc == 125 && $(wc -l <<<"$out") == 1 && $out == "cordon: error: "* ]]; check "$label: cordon audit $args -> 125" $? "rc=$rc $out"
  done

  # cordon audit --follow prints what arrives
  "${R[@]}" "$CORDON" audit --audit "jsonl:$log" --follow --type run.end > "$ws/follow.out" 2>&1 &
  local follower=$!
  sleep 0.5
  "${R[@]}" env XDG_STATE_HOME="$state" "$CORDON" run -- sh -c 'exit 5' >/dev/null 2>&1
  sleep 0.8
  kill "$follower" 2>/dev/null; pkill -P "$follower" 2>/dev/null; wait "$follower" 2>/dev/null
  [[ $(grep -c "run.end" "$ws/follow.out") == 3 && $(tail -n 1 "$ws/follow.out") == *"exit 5"* ]]
  check "$label: cordon audit --follow" $? "$(cat "$ws/follow.out")"

  # PostgreSQL, when a server is given
  if [[ -n ${CORDON_TEST_POSTGRES:-} ]]; then
    "${R[@]}" "$CORDON" run --audit "$CORDON_TEST_POSTGRES" --audit "jsonl:$ws/pg.jsonl" -- sh -c 'exit 4' >/dev/null 2>&1
    run=$(run_id_of "$ws/pg.jsonl" run.start)
    out=$("${R[@]}" "$CORDON" audit --audit "$CORDON_TEST_POSTGRES" --run "$run" 2>&1); rc=$?
    [[ $rc == 0 && $(wc -l <<<"$out") == 3 && $out == *"run.end exited, exit 4"* ]]; check "$label: postgres sink round trip" $? "rc=$rc $out"
    out=$("${R[@]}" "$CORDON" audit show "$run" --audit "$CORDON_TEST_POSTGRES" 2>&1)
    [[ $out == *"command   sh -c 'exit 4'"* ]]; check "$label: cordon audit show from postgres" $? "$out"
    [[ $out != *"${CORDON_TEST_POSTGRES#*:*:}"* ]] || true
  elif [[ -n ${CI:-} ]]; then
    bad "$label: postgres sink round trip" "CORDON_TEST_POSTGRES is not set in CI (scripts/test.sh starts a server)"
  else
    echo "skip $label: postgres sink round trip (CORDON_TEST_POSTGRES not set)"
  fi
}

run_suite root
run_suite user as_user

echo "audit: $pass passed, $fail failed"
[[ $fail == 0 ]]
