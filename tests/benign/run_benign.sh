#!/usr/bin/env bash
# shellcheck disable=SC2016  # sandbox scripts are single-quoted on purpose
# Benign workload suite for cordon.
#
#   tests/benign/run_benign.sh CORDON
#
# Ordinary developer work (git, gcc/g++, cmake, make -j, python with
# subprocess/multiprocessing/threads, shell pipelines, tar/gzip, /tmp, /proc,
# /dev, exit codes, stdin, --timeout, 126/127) must behave inside
# `cordon run -w WS -- ...` exactly as it does natively. Every check prints
#   ok   USER/NAME
#   FAIL USER/NAME: detail
# and the last line is `benign: N passed, M failed`; exit status is non-zero
# if anything failed.
#
# Run as root, the suite runs twice: first as root, then as the unprivileged
# user `cordon-test` (created with `useradd -m` if missing) via runuser, with a
# scrubbed environment. Knobs (environment):
#   BENIGN_NO_UNPRIV=1   skip the unprivileged pass when run as root
#   BENIGN_USER=name     unprivileged user (default cordon-test)
#   BENIGN_TMPDIR=dir    where workspaces are created (default /var/tmp; a
#                        second, small workspace is always made under /tmp)
#   BENIGN_KEEP=1        keep workspaces for inspection
#   BENIGN_GUARD=secs    hard per-invocation limit so a hang cannot stall the
#                        suite (default 120)
#   BENIGN_VERBOSE=1     print stdout/stderr of every cordon invocation

set -u
export LC_ALL=C

if [ $# -lt 1 ]; then
  echo "usage: $0 CORDON" >&2
  exit 2
fi

CORDON=$1
case $CORDON in
  */*) CORDON=$(cd "$(dirname "$CORDON")" 2>/dev/null && pwd -P)/$(basename "$CORDON") ;;
  *) CORDON=$(command -v "$CORDON" || echo "$CORDON") ;;
esac
if [ ! -x "$CORDON" ]; then
  echo "FAIL setup: cordon binary not executable: $CORDON" >&2
  echo "benign: 0 passed, 1 failed"
  exit 1
fi

SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")
UNPRIV_USER=${BENIGN_USER:-cordon-test}
GUARD=${BENIGN_GUARD:-120}
# Workspaces default to /var/tmp, not /tmp: inside the sandbox /tmp is a
# private writable tmpfs, and a workspace below it inherits that rule, which
# hides workspace-permission bugs. A /tmp workspace is covered separately.
if [ -n "${BENIGN_TMPDIR:-}" ]; then
  TMPBASE=$BENIGN_TMPDIR
elif [ -d /var/tmp ] && [ -w /var/tmp ]; then
  TMPBASE=/var/tmp
else
  TMPBASE=${TMPDIR:-/tmp}
fi
ME=$(id -un 2>/dev/null || id -u)
MYUID=$(id -u)

PASS=0
FAILS=0
SKIPS=0

ok()   { PASS=$((PASS + 1)); printf 'ok   %s/%s\n' "$ME" "$1"; }
fail() { FAILS=$((FAILS + 1)); printf 'FAIL %s/%s: %s\n' "$ME" "$1" "$2"; }
skip() { SKIPS=$((SKIPS + 1)); printf 'skip %s/%s: %s\n' "$ME" "$1" "$2"; }
info() { printf 'info %s/%s: %s\n' "$ME" "$1" "$2"; }

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# One-line, bounded rendering of a file for failure details.
flat() {
  local f=$1 max=${2:-600} s
  s=$(head -c "$max" "$f" 2>/dev/null | tr '\n' '|' | tr -d '\r')
  [ "$(wc -c <"$f" 2>/dev/null || echo 0)" -gt "$max" ] && s="$s..."
  printf '%s' "$s"
}

WS=
TMPWS=
SCRATCH=
OUT=
ERR=
RC=

# cr ARGS... : `cordon run ARGS...` with stdin from /dev/null (or $CR_STDIN),
# stdout/stderr captured to $OUT/$ERR, exit status in $RC, wall time in $MS.
cr() {
  local t0 in=${CR_STDIN:-/dev/null}
  t0=$(now_ms)
  timeout -k 5 "$GUARD" "$CORDON" run "$@" <"$in" >"$OUT" 2>"$ERR"
  RC=$?
  MS=$(( $(now_ms) - t0 ))
  # The built-in alert rules must stay quiet on benign work (a rule with the log action is a stderr line).
  grep '^cordon: alert ' "$ERR" | sed "s|^|cordon run $* -> |" >>"$SCRATCH/alerts"
  if [ -n "${BENIGN_VERBOSE:-}" ]; then
    echo "---- cordon run $* -> rc=$RC (${MS} ms)"
    sed 's/^/  out: /' "$OUT"
    sed 's/^/  err: /' "$ERR"
  fi
  return 0
}

detail() { printf 'stdout=[%s] stderr=[%s]' "$(flat "$OUT")" "$(flat "$ERR")"; }

# expect NAME WANT_RC WANT_STDOUT : judge the last cr.
#   WANT_STDOUT: '*' = anything; '~REGEX' = some line matches (grep -E);
#   otherwise exact match of stdout (trailing newlines trimmed).
expect() {
  local name=$1 want_rc=$2 want=$3 got
  if [ "$RC" = 124 ] && [ "$want_rc" != 124 ] && [ "$MS" -ge $((GUARD * 1000)) ]; then
    fail "$name" "hung: killed by the ${GUARD}s harness guard; $(detail)"
    return 1
  fi
  if [ "$RC" != "$want_rc" ]; then
    fail "$name" "exit $RC, want $want_rc; $(detail)"
    return 1
  fi
  case $want in
    '*') ;;
    '~'*)
      if ! grep -Eq -- "${want#\~}" "$OUT"; then
        fail "$name" "stdout does not match /${want#\~}/; $(detail)"
        return 1
      fi
      ;;
    *)
      got=$(cat "$OUT")
      if [ "$got" != "$want" ]; then
        fail "$name" "stdout [$(printf '%s' "$got" | head -c 400 | tr '\n' '|')], want [$(printf '%s' "$want" | tr '\n' '|')]; stderr=[$(flat "$ERR")]"
        return 1
      fi
      ;;
  esac
  ok "$name"
}

# sbx NAME WANT_RC WANT_STDOUT SCRIPT : run SCRIPT with sh -c inside the
# default (workspace-write) profile with the workspace as -w.
sbx() {
  local name=$1 want_rc=$2 want=$3 script=$4
  cr -w "$WS" -- sh -c "$script"
  expect "$name" "$want_rc" "$want"
}

# --------------------------------------------------------------------------
# Fixtures written on the host before the sandboxed runs.
write_fixtures() {
  mkdir -p "$WS/c" "$WS/cm" "$WS/mk" "$WS/py" "$WS/tree/a/b"

  cat >"$WS/c/hello.c" <<'EOF'
#include <stdio.h>
int main(void) { printf("hello from c\n"); return 0; }
EOF

  cat >"$WS/c/hello.cc" <<'EOF'
#include <atomic>
#include <iostream>
#include <string>
#include <thread>
#include <vector>
int main() {
  std::atomic<int> n{0};
  std::vector<std::thread> ts;
  for (int i = 0; i < 4; ++i) ts.emplace_back([&] { for (int j = 0; j < 1000; ++j) ++n; });
  for (auto& t : ts) t.join();
  std::cout << std::string("hello from c++ ") << n.load() << '\n';
}
EOF

  cat >"$WS/cm/CMakeLists.txt" <<'EOF'
cmake_minimum_required(VERSION 3.16)
project(tiny LANGUAGES C CXX)
add_library(tinylib STATIC lib.c)
add_executable(tiny main.cpp)
target_link_libraries(tiny PRIVATE tinylib)
EOF
  cat >"$WS/cm/lib.c" <<'EOF'
int tiny_answer(void) { return 42; }
EOF
  cat >"$WS/cm/main.cpp" <<'EOF'
#include <cstdio>
extern "C" int tiny_answer(void);
int main() { std::printf("tiny %d\n", tiny_answer()); }
EOF

  # Recipes must start with a tab.
  printf '%s\n' \
    'CC ?= cc' \
    'OBJS = a.o b.o c.o d.o' \
    'prog: $(OBJS)' \
    '	$(CC) -o $@ $(OBJS)' \
    '%.o: %.c' \
    '	$(CC) -O2 -c -o $@ $<' \
    'clean:' \
    '	rm -f prog $(OBJS)' >"$WS/mk/Makefile"
  printf '%s\n' '#include <stdio.h>' 'int b(void); int c(void); int d(void);' \
    'int main(void) { printf("make ok %d\n", b() + c() + d()); return 0; }' >"$WS/mk/a.c"
  echo 'int b(void) { return 1; }' >"$WS/mk/b.c"
  echo 'int c(void) { return 2; }' >"$WS/mk/c.c"
  echo 'int d(void) { return 3; }' >"$WS/mk/d.c"

  cat >"$WS/py/work.py" <<'EOF'
import concurrent.futures
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile
import threading


def sq(x):
    return x * x


def part_files():
    with open("py_out.txt", "w") as f:
        for i in range(1000):
            f.write(f"line {i}\n")
    with open("py_out.txt") as f:
        lines = f.readlines()
    assert len(lines) == 1000 and lines[-1] == "line 999\n", lines[-1:]
    os.rename("py_out.txt", "py_out2.txt")
    os.unlink("py_out2.txt")
    with tempfile.NamedTemporaryFile("w+") as t:
        t.write("tmpdata")
        t.flush()
        t.seek(0)
        assert t.read() == "tmpdata"
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "x")
        open(p, "w").write("y")
        assert open(p).read() == "y"


def part_subprocess():
    r = subprocess.run(["sh", "-c", "echo sub; echo err >&2; exit 5"],
                       capture_output=True, text=True)
    assert (r.stdout, r.stderr, r.returncode) == ("sub\n", "err\n", 5), r
    out = subprocess.check_output("seq 1 1000 | wc -l", shell=True, text=True)
    assert out.strip() == "1000", out
    p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    o, _ = p.communicate(b"piped")
    assert o == b"piped" and p.returncode == 0


def part_pool():
    with mp.Pool(4) as pool:
        r = sum(pool.map(sq, range(1000)))
    assert r == 332833500, r


def part_spawn():
    ctx = mp.get_context("spawn")
    with concurrent.futures.ProcessPoolExecutor(4, mp_context=ctx) as ex:
        r = sum(ex.map(sq, range(100)))
    assert r == 328350, r


def part_queue():
    q = mp.Queue()
    ps = [mp.Process(target=q.put, args=(i,)) for i in range(4)]
    for p in ps:
        p.start()
    got = sorted(q.get(timeout=30) for _ in ps)
    for p in ps:
        p.join()
    assert got == [0, 1, 2, 3] and all(p.exitcode == 0 for p in ps), got


def part_threads():
    lock = threading.Lock()
    total = [0]

    def work():
        for _ in range(10000):
            with lock:
                total[0] += 1

    ts = [threading.Thread(target=work) for _ in range(8)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert total[0] == 80000, total
    with concurrent.futures.ThreadPoolExecutor(4) as ex:
        assert sum(ex.map(sq, range(10))) == 285


if __name__ == "__main__":
    failed = 0
    for name in ("files", "subprocess", "pool", "spawn", "queue", "threads"):
        try:
            globals()["part_" + name]()
            print(name, "ok")
        except BaseException as e:  # noqa: BLE001
            failed += 1
            print(name, "FAIL", type(e).__name__, e)
    sys.exit(1 if failed else 0)
EOF

  : >"$WS/tree/a/f1"
  : >"$WS/tree/a/b/f2"
  : >"$WS/tree/f3"

  printf '#!/bin/sh\necho should-not-run\n' >"$WS/notexec.sh"
  chmod 0644 "$WS/notexec.sh"
  echo "readable content" >"$WS/readme.txt"
}

# --------------------------------------------------------------------------
run_suite() {
  WS=$(mktemp -d "$TMPBASE/cordon-benign-ws.XXXXXX") || { fail setup "mktemp -d in $TMPBASE"; return; }
  SCRATCH=$(mktemp -d "$TMPBASE/cordon-benign-scratch.XXXXXX") || { fail setup "mktemp scratch"; return; }
  chmod 0755 "$WS"
  WS=$(cd "$WS" && pwd -P)
  OUT=$SCRATCH/out
  ERR=$SCRATCH/err
  if [ -z "${BENIGN_KEEP:-}" ]; then
    trap 'rm -rf "$WS" "$SCRATCH" ${TMPWS:+"$TMPWS"}' EXIT
  else
    info keep "workspace $WS"
  fi
  write_fixtures
  info env "cordon=$CORDON uid=$MYUID ws=$WS"

  # ---- basics / environment ------------------------------------------------
  cr -w "$WS" -- true
  expect true 0 ''
  cr -w "$WS" -- echo hello
  expect echo 0 'hello'
  cr -w "$WS" -- pwd
  expect cwd-is-workspace 0 "$WS"
  cd "$WS" && cr -- pwd && cd / && expect cwd-default-workspace 0 "$WS"
  cd "$(dirname "$WS")" && cr -w "./$(basename "$WS")" -- pwd && cd / && expect workspace-relative-path 0 "$WS"
  cr -w "$WS" -- sh -c 'test -n "$PATH" && test -n "$HOME" && for t in sh git gcc g++ cc make cmake python3 tar gzip find sort seq; do command -v $t >/dev/null || echo "missing $t"; done; echo tools-found'
  expect path-has-tools 0 'tools-found'
  cr -w "$WS" -- id
  expect id 0 '~^uid=[0-9]+'
  [ -s "$OUT" ] && info id-inside "$(flat "$OUT")"
  cr -w "$WS" -- sh -c 'ls /usr/bin | head | wc -l'
  expect ls-usr-bin-head 0 '10'
  cr -w "$WS" -- cat readme.txt
  expect read-workspace-file 0 'readable content'
  rm -f "$WS/written.txt"
  sbx write-workspace 0 '' 'echo from-sandbox > written.txt'
  if [ -f "$WS/written.txt" ] && [ "$(cat "$WS/written.txt")" = from-sandbox ]; then
    owner=$(stat -c %u "$WS/written.txt")
    if [ "$owner" = "$MYUID" ]; then ok write-workspace-visible-on-host
    else fail write-workspace-visible-on-host "file is owned by uid $owner on the host, want $MYUID"; fi
  else
    fail write-workspace-visible-on-host "$WS/written.txt missing or wrong content after the sandboxed write"
  fi
  rm -f "$WS/written.txt"

  # ---- git -------------------------------------------------------------------
  GITID='-c user.name=Benign -c user.email=benign@example.invalid'
  sbx git-init 0 'inited' 'git init -q -b main . && test -f .git/HEAD && echo inited'
  # Ordinary file creation in a repository (.git/config and .git/hooks are
  # read-only by design; everything else must stay writable).
  sbx repo-root-new-file 0 'new' 'echo new > notes.txt && cat notes.txt'
  sbx repo-root-cp 0 'copied' 'cp readme.txt readme-copy.txt && echo copied'
  sbx repo-new-dir-file 0 'x' 'mkdir -p pkg/inner && echo x > pkg/inner/f && cat pkg/inner/f'
  sbx repo-existing-subdir-new-file 0 'y' 'echo y > tree/new.txt && cat tree/new.txt'
  sbx repo-dotgit-config-readonly 0 'ro' 'if (echo x >> .git/config) 2>/dev/null; then echo writable; else echo ro; fi'
  rm -rf "$WS/notes.txt" "$WS/readme-copy.txt" "$WS/pkg" "$WS/tree/new.txt"
  printf 'hello\n' >"$WS/README"   # created on the host: the commit test is about git only
  sbx git-add-commit 0 'committed' \
    "git add README && git $GITID commit -q -m 'first commit' && git rev-parse -q --verify HEAD >/dev/null && echo committed"
  sbx git-log 0 'Benign <benign@example.invalid> first commit' "git log --format='%an <%ae> %s'"
  sbx git-status-clean 0 '' 'git status --porcelain --untracked-files=no'
  sbx git-branch-second-commit 0 '2' \
    "git checkout -q -b feature && echo more >> README && git $GITID commit -q -am second && git rev-list --count HEAD"
  sbx git-diff 0 '+more' "git diff main feature -- README | grep '^+more'"
  sbx git-clone-local 0 'second' 'rm -rf clone && git clone -q "$PWD" clone && git -C clone log -1 --format=%s'
  rm -rf "$WS/clone"
  if [ "$(git -C "$WS" -c safe.directory='*' log --format=%s 2>&1 | head -2 | tr '\n' ' ')" = "second first commit " ]; then
    ok git-log-on-host
  else
    fail git-log-on-host "host sees: $(git -C "$WS" -c safe.directory='*' log --format=%s 2>&1 | head -3 | tr '\n' '|')"
  fi
  # Informational: does the host's ~/.gitconfig identity show through?
  cr -w "$WS" -- git config --global user.name
  info gitconfig-inside "rc=$RC user.name=[$(flat "$OUT" 80)]"
  rm -rf "$WS/.git" "$WS/README"

  # ---- a workspace below /tmp (masked by the sandbox's private /tmp) --------
  local ws_main=$WS
  WS=$(mktemp -d /tmp/cordon-benign-tmpws.XXXXXX) && chmod 0755 "$WS" && WS=$(cd "$WS" && pwd -P)
  TMPWS=$WS
  echo data >"$WS/f"
  cr -w "$WS" -- pwd
  expect tmp-workspace-cwd 0 "$WS"
  sbx tmp-workspace-read-write 0 'data
more' 'echo more > g && cat f g'
  sbx tmp-workspace-git 0 'ok' "git init -q . && echo n > n && git add n && git $GITID commit -q -m m && echo ok"
  sbx tmp-workspace-mktemp 0 't' 'f=$(mktemp) && echo t > "$f" && cat "$f" && rm "$f"'
  rm -rf "$WS"
  WS=$ws_main

  # ---- compilers / build systems -------------------------------------------
  sbx gcc-hello 0 'hello from c' 'cd c && gcc -O2 -Wall -o hello hello.c && ./hello'
  sbx gpp-hello 0 'hello from c++ 4000' 'cd c && g++ -std=c++17 -O2 -Wall -pthread -o hellopp hello.cc && ./hellopp'
  sbx cc-pipe-stdin 0 'piped c' \
    "printf '#include <stdio.h>\nint main(void){puts(\"piped c\");return 0;}\n' | cc -x c -o c/piped - && ./c/piped"
  if command -v ninja >/dev/null 2>&1; then
    sbx cmake-ninja 0 'tiny 42' \
      'cmake -S cm -B cm/build-ninja -G Ninja -DCMAKE_BUILD_TYPE=Release >cm/cfg-ninja.log 2>&1 || { tail -20 cm/cfg-ninja.log; exit 1; }; cmake --build cm/build-ninja -j2 >cm/build-ninja.log 2>&1 || { tail -20 cm/build-ninja.log; exit 1; }; ./cm/build-ninja/tiny'
  else
    skip cmake-ninja "ninja not installed on the host"
  fi
  sbx cmake-makefiles 0 'tiny 42' \
    'cmake -S cm -B cm/build-make -G "Unix Makefiles" >cm/cfg-make.log 2>&1 || { tail -20 cm/cfg-make.log; exit 1; }; cmake --build cm/build-make -j2 >cm/build-make.log 2>&1 || { tail -20 cm/build-make.log; exit 1; }; ./cm/build-make/tiny'
  sbx make-j2 0 'make ok 6' 'cd mk && make -s clean && make -s -j2 && ./prog'
  sbx make-rebuild-noop 0 "make: 'prog' is up to date." 'cd mk && make -j2 --no-print-directory'

  # ---- python ----------------------------------------------------------------
  PYWANT='files ok
subprocess ok
pool ok
spawn ok
queue ok
threads ok'
  sbx python-usr-bin 0 "$PYWANT" 'cd py && /usr/bin/python3 work.py'
  host_py=$(command -v python3 || true)
  sbx python-from-path 0 "$PYWANT" 'cd py && python3 work.py'
  cr -w "$WS" -- sh -c 'command -v python3; python3 -c "import sys; print(sys.executable, sys.version.split()[0])"'
  info python3-in-path "host=$host_py sandbox=[$(flat "$OUT" 200)] rc=$RC"

  # ---- shell -----------------------------------------------------------------
  want=$(seq 1 100000 | sort -r | head)
  sbx pipe-seq-sort-head 0 "$want" 'export LC_ALL=C; seq 1 100000 | sort -r | head'
  sbx pipe-sort-numeric 0 '100000
99999
99998' 'seq 1 100000 | sort -rn | head -3'
  sbx pipe-yes-head 0 '1000000' 'yes | head -c 1000000 | wc -c'
  sbx find-tree-wc 0 '6' 'find tree | wc -l'
  cr -w "$WS" -- sh -c 'find . | wc -l'
  host_n=$(cd "$WS" && find . | wc -l)
  expect find-dot-matches-host 0 "$host_n"
  sbx tmp-mktemp 0 'tmpdata' 'f=$(mktemp) && echo tmpdata > "$f" && cat "$f" && rm "$f"'
  sbx tmp-mktemp-dir 0 'a b' 'd=$(mktemp -d) && touch "$d/a" "$d/b" && ls "$d" | tr "\n" " " | sed "s/ $//" && rm -r "$d"'
  sbx tmp-writable 0 'ok' 'case "$(mktemp)" in /tmp/*) echo ok;; *) echo "TMPDIR=$TMPDIR";; esac'
  sbx tar-gzip-roundtrip 0 'roundtrip' \
    'rm -rf tarsrc tarout t.tgz && mkdir -p tarsrc/sub && seq 1 1000 > tarsrc/sub/nums && head -c 100000 /dev/urandom > tarsrc/rand && ln -s sub/nums tarsrc/link && tar czf t.tgz tarsrc && gzip -t t.tgz && mkdir tarout && tar xzf t.tgz -C tarout && diff -r tarsrc tarout/tarsrc && echo roundtrip'
  sbx gzip-gunzip 0 'same' \
    'seq 1 50000 > g.txt && gzip -kf g.txt && rm g.txt && gunzip g.txt.gz && seq 1 50000 | cmp - g.txt && echo same'
  sbx background-wait 0 '0 7' \
    'sleep 0.3 & a=$!; (sleep 0.1; exit 7) & b=$!; wait $a; ra=$?; wait $b; rb=$?; echo "$ra $rb"'
  sbx background-wait-all 0 'done 8' \
    'i=0; while [ $i -lt 8 ]; do (sleep 0.2; touch bgdone.$i) & i=$((i+1)); done; wait; echo "done $(ls bgdone.* | wc -l)"; rm -f bgdone.*'
  sbx many-processes 0 'spawned 64' \
    'i=0; while [ $i -lt 64 ]; do sleep 0.5 & i=$((i+1)); done; wait; echo spawned $i'
  sbx subshell-nesting 0 'deep' 'sh -c "sh -c \"bash -c '\''echo deep'\''\""'

  # ---- /proc and /dev --------------------------------------------------------
  sbx proc-self-status 0 '1' 'grep -c "^Pid:" /proc/self/status'
  sbx proc-cpuinfo-nproc 0 '~^[1-9][0-9]*$' 'test -r /proc/cpuinfo && nproc'
  sbx dev-null 0 '0' 'echo discard > /dev/null && wc -c < /dev/null'
  sbx dev-urandom 0 '32' 'head -c 32 /dev/urandom | wc -c'
  sbx dev-zero 0 '4096 0' 'dd if=/dev/zero of=z.bin bs=1024 count=4 status=none && n=$(wc -c < z.bin) && z=$(tr -d "\000" < z.bin | wc -c) && rm z.bin && echo "$n $z"'
  sbx dev-fd-stdin 0 'via-fd' 'echo via-fd | cat /dev/stdin'

  # ---- resources (rlimits must not break ordinary work) ----------------------
  sbx big-file-64m 0 '67108864' 'dd if=/dev/zero of=big.bin bs=1M count=64 status=none && wc -c < big.bin; rm -f big.bin'
  sbx alloc-512m 0 '536870912' '/usr/bin/python3 -c "b = bytearray(512 * 1024 * 1024); b[-1] = 1; print(len(b))"'
  sbx open-256-fds 0 '256' '/usr/bin/python3 -c "import os; fs = [open(\"/dev/null\") for _ in range(256)]; print(len(fs))"'

  # ---- exit codes ------------------------------------------------------------
  cr -w "$WS" -- sh -c 'exit 3';            expect exit-3 3 ''
  cr -w "$WS" -- false;                     expect exit-false 1 ''
  cr -w "$WS" -- sh -c 'exit 255';          expect exit-255 255 ''
  cr -w "$WS" -- sh -c 'kill -TERM $$';     expect killed-by-sigterm 143 ''
  cr -w "$WS" -- sh -c 'kill -KILL $$';     expect killed-by-sigkill 137 ''
  cr -w "$WS" -- sh -c 'echo out; echo err >&2; exit 0'
  if [ "$RC" = 0 ] && [ "$(cat "$OUT")" = out ] && grep -qx err "$ERR"; then ok stdout-stderr-separate
  else fail stdout-stderr-separate "rc=$RC $(detail)"; fi

  # ---- stdin -----------------------------------------------------------------
  echo hi >"$SCRATCH/in.hi"
  CR_STDIN=$SCRATCH/in.hi cr -w "$WS" -- cat
  expect stdin-redirect 0 'hi'
  got=$(echo hi | timeout -k 5 "$GUARD" "$CORDON" run -w "$WS" -- cat 2>"$ERR"); RC=$?
  if [ "$RC" = 0 ] && [ "$got" = hi ]; then ok stdin-pipe
  else fail stdin-pipe "rc=$RC stdout=[$got] stderr=[$(flat "$ERR")]"; fi
  got=$(seq 1 200000 | timeout -k 5 "$GUARD" "$CORDON" run -w "$WS" -- wc -l 2>"$ERR"); RC=$?
  if [ "$RC" = 0 ] && [ "$got" = 200000 ]; then ok stdin-pipe-large
  else fail stdin-pipe-large "rc=$RC stdout=[$got] stderr=[$(flat "$ERR")]"; fi
  got=$( { timeout -k 5 "$GUARD" "$CORDON" run -w "$WS" -- seq 1 200000 2>"$ERR" </dev/null; echo $? >"$SCRATCH/rc"; } | tail -1)
  RC=$(cat "$SCRATCH/rc")
  if [ "$RC" = 0 ] && [ "$got" = 200000 ]; then ok stdout-pipe-large
  else fail stdout-pipe-large "rc=$RC last=[$got] stderr=[$(flat "$ERR")]"; fi
  got=$(timeout -k 5 "$GUARD" "$CORDON" run -w "$WS" -- seq 1 200000 2>"$ERR" </dev/null | head -1)
  if [ "$got" = 1 ]; then ok stdout-reader-closes-early
  else fail stdout-reader-closes-early "first=[$got] stderr=[$(flat "$ERR")]"; fi

  # ---- timeout ---------------------------------------------------------------
  cr -w "$WS" --timeout 1 -- sleep 10
  if [ "$RC" = 124 ] && [ "$MS" -le 2500 ]; then ok timeout-sleep
  else fail timeout-sleep "exit $RC after ${MS} ms, want 124 within ~2 s; $(detail)"; fi
  cr -w "$WS" --timeout 5 -- sh -c 'echo fast'
  expect timeout-not-hit 0 'fast'
  # A stubborn process tree: TERM ignored and a grandchild holding stdout.
  # cordon must still return 124 and must not leave the pipe open.
  t0=$(now_ms)
  got=$(timeout -k 5 "$GUARD" "$CORDON" run -w "$WS" --timeout 1 -- sh -c 'trap "" TERM; sleep 60 & sleep 60' 2>"$ERR" </dev/null | cat; echo "rc=${PIPESTATUS[0]}")
  MS=$(( $(now_ms) - t0 ))
  if [ "$got" = rc=124 ] && [ "$MS" -le 10000 ]; then ok timeout-kills-tree
  else fail timeout-kills-tree "got [$got] after ${MS} ms, want rc=124 within 10 s; stderr=[$(flat "$ERR")]"; fi
  # A command that leaves a background job behind must not hang the caller.
  t0=$(now_ms)
  got=$(timeout -k 5 "$GUARD" "$CORDON" run -w "$WS" -- sh -c 'sleep 60 & echo started' 2>"$ERR" </dev/null | cat; echo "rc=${PIPESTATUS[0]}")
  MS=$(( $(now_ms) - t0 ))
  if [ "$got" = "started
rc=0" ] && [ "$MS" -le 10000 ]; then ok orphaned-background-no-hang
  else fail orphaned-background-no-hang "got [$(printf '%s' "$got" | tr '\n' '|')] after ${MS} ms, want started|rc=0 promptly; stderr=[$(flat "$ERR")]"; fi

  # ---- 126 / 127 -------------------------------------------------------------
  cr -w "$WS" -- no-such-command-cordon-benign
  expect missing-command-127 127 ''
  cr -w "$WS" -- /nonexistent/dir/cmd
  expect missing-abs-path-127 127 ''
  cr -w "$WS" -- "$WS/notexec.sh"
  expect not-executable-126 126 ''
  cr -w "$WS" -- /usr
  expect directory-126 126 ''

  # ---- other profiles ---------------------------------------------------------
  cr --profile read-only -w "$WS" -- cat readme.txt
  expect profile-read-only-reads 0 'readable content'
  cr --profile full -w "$WS" -- sh -c 'echo full > full.txt && cat full.txt && rm full.txt'
  expect profile-full-basic 0 'full'

  # ---- alerts -----------------------------------------------------------------
  if [ -s "$SCRATCH/alerts" ]; then fail no-alerts "the built-in alert rules fired: $(flat "$SCRATCH/alerts" 600)"
  else ok no-alerts; fi
}

# --------------------------------------------------------------------------
main() {
  local total_pass total_fail
  cd / || exit 1
  run_suite
  total_pass=$PASS
  total_fail=$FAILS

  if [ "$MYUID" = 0 ] && [ -z "${BENIGN_NO_UNPRIV:-}" ] && [ -z "${BENIGN_INNER:-}" ]; then
    echo "== unprivileged pass as $UNPRIV_USER"
    local shared ucordon uhome upass ufail log
    if ! id "$UNPRIV_USER" >/dev/null 2>&1; then
      useradd -m -s /bin/bash "$UNPRIV_USER" || { echo "FAIL $UNPRIV_USER/setup: useradd failed"; total_fail=$((total_fail + 1)); }
    fi
    if id "$UNPRIV_USER" >/dev/null 2>&1; then
      shared=$(mktemp -d "$TMPBASE/cordon-benign-shared.XXXXXX")
      chmod 0755 "$shared"
      cp "$SELF" "$shared/run_benign.sh"
      chmod 0755 "$shared/run_benign.sh"
      ucordon=$CORDON
      if ! runuser -u "$UNPRIV_USER" -- test -x "$CORDON"; then
        cp "$CORDON" "$shared/cordon" && chmod 0755 "$shared/cordon"
        ucordon=$shared/cordon
        echo "info $UNPRIV_USER/setup: $CORDON not reachable by $UNPRIV_USER; using a copy at $ucordon"
      fi
      uhome=$(getent passwd "$UNPRIV_USER" | cut -d: -f6)
      log=$shared/log
      (cd / && runuser -u "$UNPRIV_USER" -- env -i \
          PATH=/usr/local/bin:/usr/bin:/bin HOME="$uhome" USER="$UNPRIV_USER" \
          LOGNAME="$UNPRIV_USER" LANG=C.UTF-8 TERM="${TERM:-dumb}" \
          BENIGN_INNER=1 BENIGN_GUARD="$GUARD" BENIGN_TMPDIR="$TMPBASE" \
          ${BENIGN_KEEP:+BENIGN_KEEP=1} ${BENIGN_VERBOSE:+BENIGN_VERBOSE=1} \
          bash "$shared/run_benign.sh" "$ucordon") >"$log" 2>&1
      cat "$log"
      upass=$(grep -c '^ok ' "$log")
      ufail=$(grep -c '^FAIL ' "$log")
      if ! grep -q '^benign: ' "$log"; then
        echo "FAIL $UNPRIV_USER/harness: unprivileged pass did not finish"
        ufail=$((ufail + 1))
      fi
      total_pass=$((total_pass + upass))
      total_fail=$((total_fail + ufail))
      rm -rf "$shared"
    fi
  fi

  echo "benign: $total_pass passed, $total_fail failed"
  [ "$total_fail" = 0 ]
}

main
