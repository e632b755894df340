# Shared by the integration scripts: verdict lines and their counts, the unprivileged test user (created if
# missing) and a scratch directory removed at exit (`$tmp`, world-readable so that user can reach it).
#   . "$(dirname "$0")/lib.sh" NAME     (NAME goes into the scratch directory's name)
USER_NAME=cordon-test
pass=0 fail=0 skipped=0
ok() { pass=$((pass + 1)); echo "ok   $1"; }
bad() { fail=$((fail + 1)); echo "FAIL $1: $2"; }
skip() { skipped=$((skipped + 1)); echo "skip $1: $2"; }
expect_rc() {  # name want cmd...
  local name=$1 want=$2; shift 2
  local out rc
  out=$("$@" 2>&1); rc=$?
  if [[ $rc == "$want" ]]; then ok "$name"; else bad "$name" "exit $rc, want $want; output: ${out:0:400}"; fi
}
as_user() { runuser -u "$USER_NAME" -- "$@"; }

id "$USER_NAME" >/dev/null 2>&1 || useradd -m "$USER_NAME" >/dev/null 2>&1
tmp=$(mktemp -d "/tmp/cordon-$1.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
