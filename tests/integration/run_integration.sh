#!/usr/bin/env bash
# Integration tests of `cordon run` and the CLI against real sandboxes, as root and as an unprivileged user.
# Usage: run_integration.sh CORDON
set -uo pipefail
CORDON=$(readlink -f "$1")
. "$(dirname "$0")/lib.sh" integ

run_suite() {  # label runner...
  local label=$1; shift
  local ws=$tmp/ws-$label
  mkdir -p "$ws"
  [[ $label == user ]] && chown "$USER_NAME" "$ws"
  local R=("$@")
  cd "$ws" || return

  # exit statuses
  expect_rc "$label: exit status passes through" 7 "${R[@]}" "$CORDON" run -- sh -c 'exit 7'
  expect_rc "$label: killed by signal -> 128+N" 137 "${R[@]}" "$CORDON" run -- sh -c 'kill -KILL $$'
  expect_rc "$label: timeout -> 124" 124 "${R[@]}" "$CORDON" run --timeout 1 -- sleep 20
  expect_rc "$label: not found -> 127" 127 "${R[@]}" "$CORDON" run -- no-such-command-xyz
  printf 'echo hi\n' > "$ws/noexec.sh"; chmod 644 "$ws/noexec.sh"
  expect_rc "$label: not executable -> 126" 126 "${R[@]}" "$CORDON" run -- ./noexec.sh
  expect_rc "$label: unknown option -> 125" 125 "${R[@]}" "$CORDON" run --no-such-option -- true
  expect_rc "$label: unknown profile -> 125" 125 "${R[@]}" "$CORDON" run --profile nope -- true
  expect_rc "$label: missing workspace -> 125" 125 "${R[@]}" "$CORDON" run -w /nonexistent/dir -- true
  expect_rc "$label: workspace / refused -> 125" 125 "${R[@]}" "$CORDON" run -w / -- true
  expect_rc "$label: negative timeout -> 125" 125 "${R[@]}" "$CORDON" run --timeout -1 -- true

  # timeout kills the whole tree quickly
  local t0=$SECONDS
  "${R[@]}" "$CORDON" run --timeout 1 -- sh -c 'sleep 30 & sleep 30 & wait' >/dev/null 2>&1
  if (( SECONDS - t0 <= 4 )); then ok "$label: timeout returns promptly"; else bad "$label: timeout" "took $((SECONDS - t0))s"; fi

  # the whole tree dies with the command: a daemonised grandchild does not survive
  local marker="cordon-orphan-$label-$$"
  "${R[@]}" "$CORDON" run -- bash -c "setsid bash -c 'exec -a $marker sleep 300' >/dev/null 2>&1 < /dev/null & sleep 0.2; exit 0"
  sleep 0.3
  if pgrep -f "$marker" >/dev/null; then bad "$label: no orphan after exit" "$(pgrep -af "$marker")"; pkill -f "$marker"; else ok "$label: no orphan after exit"; fi

  # kill -9 of cordon: nothing survives, no mount is left behind
  local mounts_before; mounts_before=$(wc -l < /proc/self/mountinfo)
  marker="cordon-kill9-$label-$$"
  "${R[@]}" "$CORDON" run -- bash -c "bash -c 'exec -a $marker sleep 300' & exec -a $marker-main sleep 300" &
  local runner=$!
  sleep 0.5
  local cpid; cpid=$(pgrep -f "^$CORDON run" -o)  # the supervisor; the newer one is its init
  if [[ -z $cpid ]]; then bad "$label: kill -9" "cordon not found"; else kill -9 "$cpid"; fi
  wait "$runner" 2>/dev/null
  sleep 0.5
  if pgrep -f "$marker" >/dev/null; then bad "$label: kill -9 leaves no process" "$(pgrep -af "$marker")"; pkill -f "$marker"; else ok "$label: kill -9 leaves no process"; fi
  if [[ $(wc -l < /proc/self/mountinfo) == "$mounts_before" ]]; then ok "$label: no mount left behind"; else bad "$label: mounts" "mountinfo changed"; fi

  # stdin, stdout and stderr are the caller's
  local out; out=$(echo piped | "${R[@]}" "$CORDON" run -- cat 2>&1)
  [[ $out == piped ]] && ok "$label: stdin reaches the command" || bad "$label: stdin" "$out"
  out=$("${R[@]}" "$CORDON" run -- sh -c 'echo err >&2' 2>&1 >/dev/null)
  [[ $out == err ]] && ok "$label: stderr passes through" || bad "$label: stderr" "$out"

  # cwd and workspace
  out=$("${R[@]}" "$CORDON" run -- pwd)
  [[ $out == "$ws" ]] && ok "$label: cwd is the workspace" || bad "$label: cwd" "$out"
  mkdir -p "$ws/sub"; [[ $label == user ]] && chown "$USER_NAME" "$ws/sub"
  out=$(cd "$ws/sub" && "${R[@]}" "$CORDON" run -w "$ws" -- pwd)
  [[ $out == "$ws/sub" ]] && ok "$label: cwd inside the workspace is kept" || bad "$label: cwd in workspace" "$out"

  # environment scrubbing
  out=$("${R[@]}" env AWS_SECRET_ACCESS_KEY=shh GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123456789 FOO=bar LANG=C.UTF-8 "$CORDON" run -- env)
  if grep -q 'shh\|ghp_\|FOO=' <<<"$out"; then bad "$label: env scrubbed" "$out"; else ok "$label: env scrubbed"; fi
  grep -q '^LANG=C.UTF-8$' <<<"$out" && ok "$label: LANG kept" || bad "$label: LANG kept" "$out"

  # read-only profile: nothing writable but /tmp
  expect_rc "$label: read-only profile refuses workspace writes" 1 "${R[@]}" "$CORDON" run --profile read-only -- sh -c 'touch x 2>/dev/null || exit 1'
  expect_rc "$label: read-only profile allows /tmp" 0 "${R[@]}" "$CORDON" run --profile read-only -- sh -c 'echo x > /tmp/x && cat /tmp/x >/dev/null'
  expect_rc "$label: full profile runs unsandboxed" 0 "${R[@]}" "$CORDON" run --profile full -- sh -c 'test -r /proc/1/status'

  # private /tmp size limit
  cat > "$tmp/small-tmp.toml" <<'TOML'
version = 1
extends = "workspace-write"
[limits]
tmp_size = "8MiB"
TOML
  chmod 644 "$tmp/small-tmp.toml"
  expect_rc "$label: /tmp size is capped" 1 "${R[@]}" "$CORDON" run --policy "$tmp/small-tmp.toml" -- sh -c 'dd if=/dev/zero of=/tmp/big bs=1M count=32 2>/dev/null || exit 1'

  # output redaction: a key the command may read (a workspace file) or was allowed to keep (an environment
  # variable) reaches the caller only as a marker; --no-redact is the control that proves the check can fail
  local gh_key='ghp_Zq8Rw2Lk5Vn1Tb7Yc3Xm9Pd4Hs6Jf0Ga2Ue8' own_value='cordon-own-value-5eb1c0d7a9'
  cat > "$tmp/keep-env.toml" <<'TOML'
version = 1
extends = "workspace-write"
[environment]
keep = ["CORDON_TEST_API_TOKEN", "CORDON_TEST_PASSWORD"]
TOML
  chmod 644 "$tmp/keep-env.toml"
  printf 'token = "%s"\n' "$gh_key" > "$ws/settings.txt"
  [[ $label == user ]] && chown "$USER_NAME" "$ws/settings.txt"
  local redact_cmd='cat settings.txt; echo "env=$CORDON_TEST_API_TOKEN"; echo "own=$CORDON_TEST_PASSWORD"; printf %s "$CORDON_TEST_PASSWORD" | base64'
  out=$("${R[@]}" env CORDON_TEST_API_TOKEN="$gh_key" CORDON_TEST_PASSWORD="$own_value" \
        "$CORDON" run --policy "$tmp/keep-env.toml" -- sh -c "$redact_cmd" 2>&1)
  if [[ $out != *"$gh_key"* && $out != *"$own_value"* && $out != *"$(printf %s "$own_value" | base64)"* &&
        $(grep -c 'REDACTED' <<<"$out") == 4 ]]; then
    ok "$label: secrets from a file and from kept variables are redacted (rule, exact value, base64)"
  else
    bad "$label: redaction" "$out"
  fi
  out=$("${R[@]}" env CORDON_TEST_API_TOKEN="$gh_key" CORDON_TEST_PASSWORD="$own_value" \
        "$CORDON" run --no-redact --policy "$tmp/keep-env.toml" -- sh -c "$redact_cmd" 2>&1)
  [[ $out == *"$gh_key"* && $out == *"env=$gh_key"* && $out == *"own=$own_value"* ]] &&
    ok "$label: --no-redact passes output unfiltered (control)" || bad "$label: --no-redact" "$out"
  rm -f "$ws/settings.txt"

  # a secret the command may read does not leave through a host name it asks for: cordon's refusal line and the
  # connection event show a marker (the proxy lowercases names: the value is found in any case)
  local tok='Xq7TokEn0Value9zZ'
  ev=$tmp/events-host-$label.jsonl; rm -f "$ev"; touch "$ev"; chmod 666 "$ev"
  out=$("${R[@]}" env CORDON_TEST_API_TOKEN="$tok" "$CORDON" run --policy "$tmp/keep-env.toml" --events "$ev" \
        --net allowlist --allow-host example.com:443 -- \
        sh -c 'curl -sS -m 5 "http://$CORDON_TEST_API_TOKEN.example.invalid/" >/dev/null 2>&1; echo done' 2>&1)
  lower=$(tr 'A-Z' 'a-z' <<<"$tok")
  if [[ $out == *"refused [REDACTED:"* && $out != *"$tok"* && $out != *"$lower"* ]] && ! grep -qiF "$tok" "$ev" &&
     grep -q '"host":"\[REDACTED:' "$ev"; then
    ok "$label: a secret in a requested host name is redacted in cordon's line and the event"
  else
    bad "$label: secret in a host name" "out=${out:0:300} ev=$(grep net.connection "$ev" | head -c 300)"
  fi

  # a caller on a terminal: the command's output is a terminal too (one for both streams: lines keep their
  # order), still redacted; through a pipe it is a pipe
  out=$("${R[@]}" script -qec "$CORDON run -- sh -c 'test -t 1 && echo out-tty; test -t 2 && echo err-tty >&2; echo $gh_key; echo last'" /dev/null 2>&1 | tr -d '\r' | grep -v '^cordon: alert ')
  if [[ $out == $'out-tty\nerr-tty\n[REDACTED:github-pat]\nlast' ]]; then ok "$label: a terminal gets a terminal, in order, redacted"
  else bad "$label: terminal output" "$out"; fi
  # ... and what would make that terminal type into its own input or write the clipboard does not reach it
  ev=$tmp/events-term-$label.jsonl; rm -f "$ev"; touch "$ev"; chmod 666 "$ev"
  out=$("${R[@]}" script -qec "$CORDON run --events $ev -- printf 'a\\033]52;c;ZXZpbA==\\007b\\033[21tc\\033[31md\\033[0m\\n'" /dev/null 2>&1 |
        grep -v '^cordon: alert ' | tr -d '\r')
  if [[ $out == $'abc\e[31md\e[0m' ]] && grep '"type":"output.escapes_removed"' "$ev" | grep -q '"count":2'; then
    ok "$label: terminal requests and clipboard writes are removed, colours pass"
  else
    bad "$label: terminal escapes" "$(cat -v <<<"$out") ev=$(grep escapes "$ev")"
  fi
  out=$("${R[@]}" "$CORDON" run -- sh -c 'test -t 1 || echo out-pipe' | cat)
  [[ $out == out-pipe ]] && ok "$label: a pipe gets a pipe" || bad "$label: pipe output" "$out"

  # a caller that stops reading cordon's output does not stop the supervisor: the timeout still kills the
  # command on time (the reader holds the pipe open without reading, then goes away)
  local fifo=$tmp/stall-$label marker="cordon-stall-$label-$$"
  rm -f "$fifo"; mkfifo -m 666 "$fifo"
  sleep 8 < "$fifo" &
  local stalled_reader=$!
  "${R[@]}" "$CORDON" run --timeout 1 -- bash -c "exec -a $marker yes $marker" > "$fifo" 2>/dev/null &
  local stalled_run=$!
  sleep 0.6
  local alive_before=0; pgrep -f "^$marker" >/dev/null && alive_before=1
  sleep 2
  if [[ $alive_before == 1 ]] && ! pgrep -f "^$marker" >/dev/null; then
    ok "$label: a stalled reader does not stop the timeout"
  else
    bad "$label: stalled reader" "before=$alive_before after=$(pgrep -af "^$marker")"; pkill -f "^$marker"
  fi
  kill "$stalled_reader" 2>/dev/null; wait "$stalled_reader" 2>/dev/null
  wait "$stalled_run"; rc=$?
  [[ $rc == 124 ]] && ok "$label: ... and the run ends with 124 once the reader is gone" || bad "$label: stalled reader exit" "rc=$rc"
  rm -f "$fifo"

  # the run's story in events: run.start (arguments without secrets), run.end (status and usage), limit.hit
  local ev=$tmp/events-$label.jsonl
  rm -f "$ev"; touch "$ev"; chmod 666 "$ev"
  "${R[@]}" "$CORDON" run --events "$ev" -- sh -c 'echo hello; exit 3' "token=$gh_key" >/dev/null 2>&1
  if python3 - "$ev" "$gh_key" <<'PY'
import json, sys
events = [json.loads(l) for l in open(sys.argv[1])]
types = [e["type"] for e in events]
assert types[0] == "run.start" and types[-1] == "run.end", types
start, end = events[0], events[-1]
assert len({e["run"] for e in events}) == 1
assert sys.argv[2] not in open(sys.argv[1]).read(), "the key is in the events"
assert start["argv"][0] == "sh" and "REDACTED" in start["argv"][3], start["argv"]
assert len(start["policy_digest"]) == 64 and start["caller"]["uid"] >= 0 and start["workspace"]
assert end["outcome"] == "exited" and end["exit_code"] == 3, end
assert end["output_bytes"]["stdout"] == 6 and end["cpu_user"] + end["cpu_system"] > 0, end
assert end["peak_memory"] > 0 and end["duration"] > 0, end
PY
  then ok "$label: run.start and run.end tell the run (no secret in the arguments)"; else bad "$label: run events" "$(cat "$ev")"; fi
  rm -f "$ev"; touch "$ev"; chmod 666 "$ev"
  "${R[@]}" "$CORDON" run --events "$ev" --timeout 0.3 -- sleep 5 >/dev/null 2>&1
  grep -q '"type":"limit.hit".*' "$ev" && grep -q '"limit":"timeout"' "$ev" && grep -q '"outcome":"timed_out"' "$ev" &&
    ok "$label: a timeout is a limit.hit event" || bad "$label: timeout event" "$(cat "$ev")"
  cat > "$tmp/cpu.toml" <<'TOML'
version = 1
extends = "workspace-write"
[limits]
cpus = 0.25
processes = 40
memory = "96MiB"
TOML
  chmod 644 "$tmp/cpu.toml"
  if [[ $label == root ]]; then
    # a cgroup counts for root: the fork bomb and the memory limit are seen; the CPU quota holds
    rm -f "$ev"
    "$CORDON" run --events "$ev" --policy "$tmp/cpu.toml" -- bash -c 'for i in $(seq 80); do sleep 1 & done 2>/dev/null; wait' >/dev/null 2>&1
    grep -q '"limit":"pids"' "$ev" && ok "$label: a fork bomb at the process limit is a limit.hit event" || bad "$label: pids event" "$(cat "$ev")"
    rm -f "$ev"
    "$CORDON" run --events "$ev" --policy "$tmp/cpu.toml" -- bash -c 'for i in 1 2 3; do python3 -c "import time; x=bytearray(60_000_000); time.sleep(1)" & done; wait' >/dev/null 2>&1
    grep -q '"limit":"memory"' "$ev" && ok "$label: the memory limit is a limit.hit event" || bad "$label: memory event" "$(cat "$ev")"
    rm -f "$ev"
    "$CORDON" run --events "$ev" --policy "$tmp/cpu.toml" -- timeout 1 sh -c 'while :; do :; done' >/dev/null 2>&1
    if python3 -c "import json,sys; e=[json.loads(l) for l in open(sys.argv[1])][-1]; c=e['cpu_user']+e['cpu_system']; sys.exit(0 if 0.1 < c < 0.5 else 1)" "$ev"; then
      ok "$label: limits.cpus = 0.25 holds (CPU time over 1 s of busy loop)"
    else bad "$label: cpu limit" "$(tail -1 "$ev")"; fi
  else
    # no cgroup for an unprivileged caller: a CPU limit cannot be enforced, so the run is refused
    out=$(as_user "$CORDON" run --policy "$tmp/cpu.toml" -- true 2>&1); rc=$?
    [[ $rc == 125 && $out == *"limits.cpus needs a cgroup"* ]] && ok "$label: limits.cpus without a cgroup -> 125" || bad "$label: cpus refused" "rc=$rc $out"
  fi
  rm -f "$ev"

  # the audit trail can be neither read nor rewritten from inside, even when the workspace is the home
  local home log before after
  home=$("${R[@]}" sh -c 'echo "$HOME"')
  log=$home/.local/state/cordon/events.jsonl
  (cd /tmp && "${R[@]}" "$CORDON" run -- true)  # the default log exists
  before=$("${R[@]}" sha256sum "$log")
  out=$(cd "$home" && "${R[@]}" "$CORDON" run --audit none -w "$home" -- \
        sh -c 'echo forged >> ~/.local/state/cordon/events.jsonl; cat ~/.local/state/cordon/events.jsonl' 2>&1)
  after=$("${R[@]}" sha256sum "$log")
  [[ -n $before && $before == "$after" && $out != *'"run.start"'* ]] &&
    ok "$label: the audit log is neither readable nor writable from a sandbox whose workspace is the home" ||
    bad "$label: audit log from inside" "before=$before after=$after out=${out:0:300}"

  # command rules: a denied command is refused before anything starts, with one line and exit 126
  local deny_line='cordon: denied by rule profile workspace-write [no-force-push]: force pushes rewrite history others have (git push --force)'
  out=$("${R[@]}" "$CORDON" run -- git push --force 2>&1); rc=$?
  [[ $rc == 126 && $out == "$deny_line" ]] && ok "$label: denied command -> 126 and one line" || bad "$label: denied command" "rc=$rc out=$out"
  out=$("${R[@]}" "$CORDON" run -- git push --force "https://bob:$gh_key@github.com/x/y.git" 2>&1); rc=$?
  [[ $rc == 126 && $out == *"no-force-push"* && $out != *"$gh_key"* ]] &&
    ok "$label: a credential in a refused command line is redacted in the denial line" || bad "$label: denial line secret" "$out"
  rm -f "$ws/ran"
  out=$("${R[@]}" "$CORDON" run -- bash -c 'touch ran; curl -fsSL https://example.org/install.sh | sh' 2>&1); rc=$?
  if [[ $rc == 126 && $(wc -l <<<"$out") == 1 && $out == *"[no-pipe-to-interpreter]"*"(sh, run by bash -c)" && ! -e $ws/ran ]]; then
    ok "$label: curl | sh inside bash -c is refused and nothing runs"
  else
    bad "$label: curl | sh" "rc=$rc ran=$([[ -e $ws/ran ]] && echo yes) out=$out"
  fi
  out=$("${R[@]}" "$CORDON" run -- env FOO=1 timeout 5 sudo id 2>&1); rc=$?
  [[ $rc == 126 && $out == *"[no-privilege-escalation]"*"(sudo id, run by timeout)" ]] && ok "$label: sudo behind wrappers is refused" || bad "$label: wrapped sudo" "rc=$rc out=$out"
  out=$("${R[@]}" "$CORDON" run -- bash -c "echo 'unterminated" 2>&1); rc=$?
  [[ $rc == 126 && $out == "cordon: denied: cannot parse the shell code given to bash -c: unterminated single quote"* ]] && ok "$label: unparseable shell code is refused" || bad "$label: unparseable" "rc=$rc out=$out"
  expect_rc "$label: allowed command runs" 0 "${R[@]}" "$CORDON" run -- bash -c 'curl --version >/dev/null 2>&1; git --version >/dev/null; echo "git push --force" >/dev/null'
  rm -f "$ws/ev.jsonl"
  "${R[@]}" "$CORDON" run --events "$ws/ev.jsonl" -- sudo id >/dev/null 2>&1
  "${R[@]}" "$CORDON" run --events "$ws/ev.jsonl" -- true >/dev/null 2>&1
  if python3 -c 'import json,sys; e=[json.loads(l) for l in open(sys.argv[1])]; d=[x for x in e if x["type"]=="exec.decision"]; assert [x["decision"] for x in d] == ["deny","allow"], d; assert d[0]["rule_id"] == "no-privilege-escalation" and d[0]["program"] == "sudo" and "id" not in json.dumps(d[0]["program"]), d' "$ws/ev.jsonl" 2>/dev/null; then
    ok "$label: exec.decision events (deny and allow)"
  else
    bad "$label: exec.decision events" "$(cat "$ws/ev.jsonl" 2>&1)"
  fi
  cat > "$tmp/rules-$label.toml" <<'TOML'
version = 1
extends = "workspace-write"

[[exec.rule]]
program = "make"
args = ["deploy", "**"]
decision = "deny"
reason = "deploys go through CI"
TOML
  chmod 644 "$tmp/rules-$label.toml"
  out=$("${R[@]}" "$CORDON" run --policy "$tmp/rules-$label.toml" -- make deploy ENV=prod 2>&1); rc=$?
  [[ $rc == 126 && $out == "cordon: denied by rule $tmp/rules-$label.toml:4: deploys go through CI (make deploy ENV=prod)" ]] && ok "$label: a policy's rule names FILE:LINE" || bad "$label: policy rule" "rc=$rc out=$out"
  out=$("${R[@]}" "$CORDON" check --policy "$tmp/rules-$label.toml" -- make deploy 2>&1); rc=$?
  [[ $rc == 126 && $out == "deny: make deploy (rule $tmp/rules-$label.toml:4: \"deploys go through CI\")" ]] && ok "$label: check names the policy's rule" || bad "$label: check policy rule" "rc=$rc out=$out"
}

run_suite root
run_suite user as_user

# policy validation: every problem on its own line with file:line, exit 125
cd "$tmp"
cat > bad.toml <<'TOML'
version = 1
extends = "workspace-write"
colour = "blue"
[filesystem]
read = ["relative/path"]
write = ["/tmp/a"]
deny_write = ["/tmp/a"]
[limits]
processes = -3
memory = "lots"
TOML
out=$("$CORDON" policy check bad.toml 2>&1); rc=$?
[[ $rc == 125 ]] && ok "policy check: bad policy -> 125" || bad "policy check rc" "$rc"
for want in 'bad.toml:3: unknown key `colour`' 'bad.toml:5: `filesystem.read` path "relative/path" is relative' \
            'bad.toml:7: "/tmp/a" is both writable' 'bad.toml:9: `limits.processes`' 'bad.toml:10: `limits.memory`'; do
  grep -qF "$want" <<<"$out" && ok "policy check names: $want" || bad "policy check names" "missing [$want] in: $out"
done
lines=$(grep -c '^cordon: error: ' <<<"$out")
[[ $lines == 5 ]] && ok "policy check: one line per problem" || bad "policy check lines" "$lines lines: $out"
printf 'version = 1\n[filesystem\nread = 3\n' > syntax.toml
out=$("$CORDON" policy check syntax.toml 2>&1); rc=$?
[[ $rc == 125 && $out == *"syntax.toml:2"* ]] && ok "policy check: syntax error with line" || bad "syntax error" "rc=$rc $out"
printf 'extends = "workspace-write"\n' > nover.toml
out=$("$CORDON" policy check nover.toml 2>&1)
[[ $out == *version* ]] && ok "policy check: version required" || bad "version required" "$out"
printf 'version = 1\nextends = "workspace-write"\n' > good.toml
expect_rc "policy check: good policy" 0 "$CORDON" policy check good.toml
out=$("$CORDON" run --policy bad.toml -- true 2>&1); rc=$?
[[ $rc == 125 && $out == *colour* ]] && ok "run refuses a bad policy before starting" || bad "run bad policy" "rc=$rc"
out=$("$CORDON" policy show 2>&1)
[[ $out == *"deny"*".ssh"* && $out == *"write"* ]] && ok "policy show prints rules" || bad "policy show" "$out"
out=$("$CORDON" policy show --json 2>&1)
if python3 -c 'import json,sys; d=json.loads(sys.argv[1]); assert d["schema"] == 1 and any(r["access"] == "deny" and r["path"].endswith("/.ssh") for r in d["filesystem"])' "$out"; then
  ok "policy show --json is JSON with the deny rules"
else
  bad "policy show --json" "${out:0:300}"
fi
expect_rc "doctor runs" 0 "$CORDON" doctor

# cordon check: the decision on one line, nothing run; 0 allow, 126 deny, 125 for cordon's own errors
out=$("$CORDON" check -- git push --force 2>&1); rc=$?
[[ $rc == 126 && $out == 'deny: git push --force (rule profile workspace-write [no-force-push]: "force pushes rewrite history others have")' ]] && ok "check: deny line and 126" || bad "check deny" "rc=$rc out=$out"
out=$("$CORDON" check -- git push origin main 2>&1); rc=$?
[[ $rc == 0 && $out == 'allow: git push origin main' ]] && ok "check: allow line and 0" || bad "check allow" "rc=$rc out=$out"
out=$("$CORDON" check -- bash -c 'make && sudo make install' 2>&1); rc=$?
[[ $rc == 126 && $out == 'deny: sudo make install (run by bash -c) (rule profile workspace-write [no-privilege-escalation]: '* ]] && ok "check: the command inside bash -c is named" || bad "check nested" "rc=$rc out=$out"
out=$("$CORDON" check --profile full -- sudo id 2>&1); rc=$?
[[ $rc == 126 ]] && ok "check: the full profile keeps the command rules" || bad "check full" "rc=$rc out=$out"
rm -f "$tmp/should-not-exist"
"$CORDON" check -- touch "$tmp/should-not-exist" >/dev/null 2>&1
[[ ! -e $tmp/should-not-exist ]] && ok "check runs nothing" || bad "check runs nothing" "file created"
expect_rc "check: bad policy -> 125" 125 "$CORDON" check --policy bad.toml -- true
cat > exec-bad.toml <<'TOML'
version = 1
[[exec.rule]]
program = "git"
args = ["push", "**", "x"]
decision = "deny"

[[exec.rule]]
decision = "block"
TOML
out=$("$CORDON" policy check exec-bad.toml 2>&1); rc=$?
for want in 'exec-bad.toml:4: `**` may only be the last element' 'exec-bad.toml:2: a deny rule needs a `reason`' \
            'exec-bad.toml:7: `exec.rule` needs a `program`' 'exec-bad.toml:8: `exec.rule.decision` must be "allow" or "deny"'; do
  [[ $rc == 125 ]] && grep -qF "$want" <<<"$out" && ok "policy check (exec rules) names: $want" || bad "policy check exec" "missing [$want] in: $out"
done

echo "integration: $pass passed, $fail failed"
(( fail == 0 ))
