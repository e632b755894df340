#!/usr/bin/env bash
# Installs, builds, and shows `cordon run` on the default profile: what works, and what is refused.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cordon=$PWD/build/src/cli/cordon
ws=$(mktemp -d /tmp/cordon-demo.XXXXXX)
trap 'rm -rf "$ws"' EXIT
cd "$ws"
show() {
  printf '\n$ cordon run -- %s\n' "$*"
  set +e
  "$cordon" run -- "$@"
  printf '[exit %d]\n' "$?"
  set -e
}
"$cordon" doctor || true
echo
echo "== the workspace ($ws) is writable; the command works normally =="
show sh -c 'echo "hello from the sandbox" > note.txt && cat note.txt && ls -l note.txt'
show sh -c 'printf "int main(){return 0;}" > t.c && cc t.c -o t && ./t && echo compiled and ran'
echo
echo "== what is refused =="
show sh -c 'cat /etc/shadow'
show sh -c 'ls ~/.ssh; cat ~/.aws/credentials'
show sh -c 'echo pwned >> /etc/hosts'
show sh -c 'curl -s https://example.com || python3 -c "import socket; socket.create_connection((\"1.1.1.1\", 53), 2)"'
show python3 -c 'import ctypes; print("mount:", ctypes.CDLL(None, use_errno=True).mount(b"x", b"/mnt", b"tmpfs", 0, None), ctypes.get_errno())'
printf '\n$ cordon run --timeout 1 -- sleep 30\n'
set +e; "$cordon" run --timeout 1 -- sleep 30; printf '[exit %d]\n' "$?"; set -e
echo
echo "== secrets in the output are redacted; some commands are refused before they start =="
show sh -c 'echo "token = ghp_Zq8Rw2Lk5Vn1Tb7Yc3Xm9Pd4Hs6Jf0Ga2Ue8"'
show git push --force origin main
echo
echo "== every run is recorded (the last events of the default audit log) =="
printf '\n$ cordon audit --limit 12\n'
"$cordon" audit --limit 12 || true
