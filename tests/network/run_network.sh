#!/usr/bin/env bash
# cordon's network suite: run_network.sh CORDON
#
# End-to-end checks of the network modes from inside real sandboxes (issue 3). It starts its own servers on the
# host, outside any sandbox (nethelp.py serve): two HTTP servers on 127.0.0.1 (one serves a page with a marker
# and a dumb-HTTP git repository), a TCP and a UDP echo listener on 127.0.0.1 and on every other address of the
# host, and an abstract unix socket; every contact is logged, so a check can prove a request never arrived.
# Sandboxes get names through the policy's `hosts` map (allowed.test -> 127.0.0.1, ...).
#
#   allowlist  allowed names answer through plain HTTP (the *_proxy variables), CONNECT and SOCKS5, with curl,
#              python urllib and git, and a 4 MiB download arrives intact by each protocol; refused requests (a denied name, deny beating an allow wildcard, the wrong
#              port, IP literals in many notations, the metadata addresses, a name whose DNS answer is loopback)
#              get the proxy's error, a "cordon: network: refused" line and a deny event, and never reach the
#              server
#   bypass     direct TCP and UDP to the host (loopback and its other addresses), DNS, raw and packet sockets,
#              netlink route changes and the host's abstract unix socket all fail; DNS fails fast
#   inbound    a server listening inside the sandbox cannot be reached from the host
#   modes      none: no proxy listener, no proxy variables (not even the caller's); full: the host's loopback
#              server answers directly and cordon warns
#   cli        bad --allow-host/--net/policy values exit 125 with one "cordon: error:" line naming the problem
#   events     one event per connection attempt, bytes counted both ways, no secret in the log
#
# Every check prints "PASS [USER] name" or "FAIL [USER] name: why". Checks that can only fail when the
# sandbox works have a calibration: the same operation natively (or under a policy that allows it) must
# succeed. As root the suite runs twice, as root and as the unprivileged user cordon-test (created if missing);
# as another user it runs once, as that user. Exits 1 if any check failed.
#
# Environment: NETWORK_USER=cordon-test, NETWORK_KEEP=1 (keep the temporary area), NETWORK_ONLY=REGEX (run
# only the checks whose name matches), NETWORK_VERBOSE=1 (print each sandbox's output).

set -u -o pipefail
export LC_ALL=C

if [ $# -ne 1 ]; then
  echo "usage: $0 CORDON" >&2
  exit 2
fi
CORDON=$(readlink -f "$1")
[ -x "$CORDON" ] || { echo "network: $CORDON is not executable" >&2; exit 2; }
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
for t in curl git python3; do
  command -v "$t" >/dev/null || { echo "network: $t is required" >&2; exit 2; }
done
PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
UNPRIV=${NETWORK_USER:-cordon-test}
ONLY=${NETWORK_ONLY:-}
T0=$SECONDS

log() { echo "network: $*" >&2; }

BASE=$(mktemp -d /var/tmp/cordon-net.XXXXXX) || exit 2
chmod 755 "$BASE"
STATE=$BASE/state
mkdir -p "$STATE/www"
SERVE_PID=
BG_PIDS=()
cleanup() {
  for p in "${BG_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  if [ "${NETWORK_KEEP:-0}" = 1 ]; then log "kept $BASE"; else rm -rf "$BASE"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------
# Servers on the host

TOKEN=cordon-net-$$-$RANDOM$RANDOM
MARK="CORDON-NET-PAGE-$TOKEN"          # in the served page: a body holding it came from the host's server
SECRET="CORDON-NET-SECRET-$TOKEN"      # in requests and the caller's environment; must never reach a log
ABSTRACT="cordon-net-$$"
printf '%s\n' "$MARK" >"$STATE/www/index.html"
head -c $((4 * 1024 * 1024 + 123)) /dev/urandom >"$STATE/www/big.bin"   # a bulk transfer (the splice path)
BIG_SUM=$(sha256sum <"$STATE/www/big.bin" | cut -d' ' -f1)
BIG_SIZE=$(stat -c %s "$STATE/www/big.bin")

# A bare repository served as files (git's dumb HTTP protocol).
(
  set -e
  src=$STATE/git-src
  git init -q -b main "$src"
  printf '%s\n' "$MARK" >"$src/README"
  git -C "$src" add README
  git -C "$src" -c user.name=cordon -c user.email=cordon@test.invalid commit -q -m init
  git clone -q --bare "$src" "$STATE/www/repo.git"
  git -C "$STATE/www/repo.git" update-server-info
) >/dev/null 2>&1 || { log "cannot build the test git repository"; exit 2; }
REPO_HEAD=$(git -C "$STATE/www/repo.git" rev-parse HEAD)
chmod -R a+rX "$STATE"

# The host's addresses other than loopback (a listener on each; the sandbox must reach none of them).
EXT=()
while read -r a; do [ -n "$a" ] && EXT+=("$a"); done < <(
  { ip -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1; } || hostname -I 2>/dev/null | tr ' ' '\n')
serve_args=("$STATE" --abstract "$ABSTRACT")
for a in "${EXT[@]}"; do serve_args+=(--ext "$a"); done
"$PY" "$HERE/nethelp.py" serve "${serve_args[@]}" </dev/null >"$STATE/serve.out" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do [ -f "$STATE/ports.json" ] && break; sleep 0.05; done
[ -f "$STATE/ports.json" ] || { log "the host servers did not start: $(cat "$STATE/serve.out")"; exit 2; }
port_of() { "$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))[sys.argv[2]])' "$STATE/ports.json" "$1"; }
HTTP=$(port_of http)        # the allowed server
OTHER=$(port_of http_other) # same host, a port the policy does not allow
TCP=$(port_of tcp)
UDP=$(port_of udp)
SLOG=$STATE/serve.log
touch "$SLOG"
# The inbound check's server listens on every address: [::] (dual stack) when the host has IPv6.
ANY=::
[ -e /proc/net/if_inet6 ] || ANY=0.0.0.0
free_port() {
  "$PY" -c 'import socket,sys; a=sys.argv[1]; s=socket.socket(socket.AF_INET6 if ":" in a else socket.AF_INET); s.bind((a,0)); print(s.getsockname()[1])' "$ANY"
}
# Is something on the host already listening on 127.0.0.1:3128? Then "the host cannot reach the sandbox's
# proxy port" cannot be told apart from that listener and is not checked.
HOST_3128=0
"$PY" "$HERE/nethelp.py" tcp 127.0.0.1 3128 probe >/dev/null 2>&1 && HOST_3128=1

cat >"$BASE/policy.toml" <<EOF
version = 1
extends = "workspace-write"

[network]
mode = "allowlist"
allow = ["allowed.test:$HTTP", "*.wild.test:$HTTP", "localhost:$HTTP"]
deny = ["evil.wild.test:*"]
hosts = { "allowed.test" = "127.0.0.1", "denied.test" = "127.0.0.1", "ok.wild.test" = "127.0.0.1", "evil.wild.test" = "127.0.0.1", "wild.test" = "127.0.0.1" }
EOF
cat >"$BASE/bad-pattern.toml" <<'EOF'
version = 1
extends = "workspace-write"

[network]
mode = "allowlist"
allow = ["good.test:443", "exa mple.test:443"]
EOF
chmod 644 "$BASE"/*.toml
POL=(--policy "$BASE/policy.toml")

# ---------------------------------------------------------------------------------------------------------
# Running things

NPASS=0 NFAIL=0
declare -A COUNT_PASS COUNT_FAIL
FAILURES=()
LABEL=
K=0

pass() { NPASS=$((NPASS + 1)); COUNT_PASS[$LABEL]=$((${COUNT_PASS[$LABEL]:-0} + 1)); echo "PASS [$LABEL] $1"; }
fail() {
  NFAIL=$((NFAIL + 1)); COUNT_FAIL[$LABEL]=$((${COUNT_FAIL[$LABEL]:-0} + 1))
  echo "FAIL [$LABEL] $1: $2"
  FAILURES+=("[$LABEL] $1: $2")
}
verdict() {  # verdict NAME WHY: pass when WHY is empty
  if [ -z "$2" ]; then pass "$1"; else fail "$1" "${2%; }"; fi
}
want() {  # want NAME: false (skip the check) unless NETWORK_ONLY matches
  [ -z "$ONLY" ] || [[ $1 =~ $ONLY ]]
}
newtag() { K=$((K + 1)); TAG="$LABEL-$K-$TOKEN"; }

flat() {  # a file on one bounded line
  head -c "${2:-300}" "$1" 2>/dev/null | tr '\n\r\t' '| ' 
}
brief() { printf 'rc %s; out: %s; err: %s' "$RC" "$(flat "$OUT")" "$(flat "$ERR")"; }

# sbx [cordon run options] -- CMD...: one sandbox, as the current pass's user, with a caller environment
# that holds a secret and the caller's own proxy settings. Sets RC; output in $OUT/$ERR, events in $EV.
sbx() {
  rm -f "$EV"
  (cd "$WS" && timeout -k 5 60 "${RUNAS[@]}" env -i PATH="$SAFE_PATH" HOME="$UHOME" USER="$UNAME" LANG=C.UTF-8 \
    GITHUB_TOKEN="$SECRET" HTTP_PROXY=http://caller-proxy.invalid:3 https_proxy=http://caller-proxy.invalid:3 \
    ALL_PROXY=socks5://caller-proxy.invalid:3 "$CORDON" run -w "$WS" --events "${EVARG:-$EV}" "$@") </dev/null >"$OUT" 2>"$ERR"
  RC=$?
  if [ "${NETWORK_VERBOSE:-0}" = 1 ]; then echo "  [sbx $*] $(brief)"; fi
  return $RC
}
# native CMD...: the same user and a plain environment, no sandbox (the calibration runs).
native() {
  (cd "$WS" && timeout -k 5 60 "${RUNAS[@]}" env -i PATH="$SAFE_PATH" HOME="$UHOME" USER="$UNAME" LANG=C.UTF-8 "$@") \
    </dev/null >"$OUT" 2>"$ERR"
  RC=$?
}
host_saw() { grep -qF -- "$1" "$SLOG"; }
events() {  # events CHECKS...: sets EVMSG; status of nethelp.py events
  EVMSG=$("$PY" "$HERE/nethelp.py" events "$EV" "$@" 2>&1)
}
refusal_line() {  # refusal_line HOST:PORT -> true when cordon said so on stderr
  grep -qF -- "cordon: network: refused $1 (" "$ERR"
}
NH="$PY ./nethelp.py"   # inside the sandbox (and natively), from the workspace
CURL=(curl -sS --max-time 10)

# ---------------------------------------------------------------------------------------------------------
# The checks of one pass

# allowed NAME HOST PROTOCOL RULE -- CMD...: the command must get the page (MARK) from the host's server, the
# server must see the request ($TAG in its path), and the log must hold only allow events for HOST.
allowed() {
  local name=$1 host=$2 proto=$3 rule=$4 why=""
  shift 5
  want "$name" || return 0
  sbx "${POL[@]}" -- "$@"
  [ "$RC" = 0 ] || why+="exit $RC; "
  grep -qF "$MARK" "$OUT" || why+="no page; "
  host_saw "$TAG" || why+="the server never saw the request; "
  events "@$host" decision=allow "protocol=$proto" "rule=$rule" "reason=allowed by $rule" address=127.0.0.1 \
    bytes_up\>0 bytes_down\>0 deny=0 || why+="$EVMSG; "
  [ -z "$why" ] || why+="$(brief)"
  verdict "$name" "$why"
}

# refused NAME HOST:PORT ERROR-REGEX EVENT-CHECKS... -- CMD...: the command fails with the proxy's error
# (ERROR-REGEX in its output), cordon prints the refusal, one deny event for it, and the server never saw $TAG.
refused() {
  local name=$1 target=$2 err_re=$3 why=""
  shift 3
  local -a checks=()
  while [ "$1" != -- ]; do checks+=("$1"); shift; done
  shift
  want "$name" || return 0
  sbx "${POL[@]}" -- "$@"
  [ "$RC" != 0 ] || why+="the command succeeded; "
  grep -qF "$MARK" "$OUT" && why+="got the page; "
  host_saw "$TAG" && why+="the server saw the request; "
  # cordon's own lines go to the same stderr and may land in the middle of the command's message
  cat "$OUT" "$ERR" | perl -0pe 's/cordon: network: refused [^\n]*\)\n//g' | grep -qE -- "$err_re" ||
    why+="no proxy error matching /$err_re/; "
  refusal_line "$target" || why+="no 'cordon: network: refused $target' line; "
  events count=1 deny=1 decision=deny bytes_up=0 bytes_down=0 "${checks[@]}" || why+="$EVMSG; "
  [ -z "$why" ] || why+="$(brief)"
  verdict "$name" "$why"
}

# blocked NAME HOST-LOG-TAG -- CMD...: a bypass attempt inside (a nethelp probe) must exit 1, and (when a tag
# is given) the host's listener must not have logged it. The caller runs the calibration.
blocked() {
  local name=$1 tag=$2 why=""
  shift 3
  sbx "${POL[@]}" -- "$@"
  [ "$RC" = 1 ] || why+="probe exit $RC (want 1: refused); "
  if [ -n "$tag" ]; then sleep 0.2; host_saw "$tag" && why+="the host's listener logged the contact; "; fi
  events count=0 || why+="$EVMSG; "
  [ -z "$why" ] || why+="$(brief)"
  verdict "$name" "$why"
}
# calibrate NAME -- CMD...: the same probe natively must succeed (exit 0), or the check proves nothing.
calibrate() {
  local name=$1
  shift 2
  native "$@"
  if [ "$RC" = 0 ]; then pass "$name (calibration: natively it works)"; else fail "$name (calibration)" "natively: $(brief)"; fi
}

cli_error() {  # cli_error NAME TEXT [cordon run options]: exit 125, one error line naming TEXT, nothing ran
  local name=$1 text=$2 why=""
  shift 2
  want "cli $name" || return 0
  sbx "$@" -- sh -c 'echo SANDBOX-RAN'
  [ "$RC" = 125 ] || why+="exit $RC, want 125; "
  local n
  n=$(grep -c '^cordon: error: ' "$ERR")
  [ "$n" = 1 ] || why+="$n 'cordon: error:' lines, want 1; "
  grep '^cordon: error: ' "$ERR" | grep -qF -- "$text" || why+="the error does not name '$text'; "
  grep -q SANDBOX-RAN "$OUT" && why+="the command ran; "
  [ -z "$why" ] || why+="$(brief)"
  verdict "cli $name" "$why"
}

run_pass() {
  local i a t why

  # --- allowed traffic: curl through each protocol, python, git ------------------------------------------
  newtag; allowed "allow plain HTTP (env proxy)" allowed.test http "allowed.test:$HTTP" -- \
    "${CURL[@]}" -f "http://allowed.test:$HTTP/index.html?t=$TAG"
  newtag; allowed "allow HTTP CONNECT (curl -p)" allowed.test connect "allowed.test:$HTTP" -- \
    "${CURL[@]}" -f -p "http://allowed.test:$HTTP/index.html?t=$TAG"
  newtag; allowed "allow SOCKS5 (curl --socks5-hostname)" allowed.test socks5 "allowed.test:$HTTP" -- \
    "${CURL[@]}" -f --socks5-hostname 127.0.0.1:3128 "http://allowed.test:$HTTP/index.html?t=$TAG"
  newtag; allowed "allow SOCKS5 (ALL_PROXY=socks5h)" allowed.test socks5 "allowed.test:$HTTP" -- \
    env -u http_proxy -u HTTP_PROXY "${CURL[@]}" -f "http://allowed.test:$HTTP/index.html?t=$TAG"
  newtag; allowed "allow a wildcard name (*.wild.test)" ok.wild.test http "*.wild.test:$HTTP" -- \
    "${CURL[@]}" -f "http://ok.wild.test:$HTTP/index.html?t=$TAG"
  newtag; allowed "allow python urllib (env proxy)" allowed.test http "allowed.test:$HTTP" -- \
    $NH urllib "http://allowed.test:$HTTP/index.html?t=$TAG"
  newtag; allowed "allow a name in another spelling (ALLOWED.Test. via CONNECT)" ALLOWED.Test. connect "allowed.test:$HTTP" -- \
    $NH proxy connect ALLOWED.Test. "$HTTP" "/index.html?t=$TAG"

  if want "allow a 4 MiB download"; then
    sbx "${POL[@]}" -- sh -c '
      u="http://allowed.test:$1/big.bin"
      for how in "" "-p" "--socks5-hostname 127.0.0.1:3128"; do
        curl -sS -f --max-time 20 $how "$u" | sha256sum | cut -d" " -f1 || exit 1
      done' sh "$HTTP"
    why=""
    [ "$RC" = 0 ] || why+="exit $RC; "
    [ "$(grep -cx "$BIG_SUM" "$OUT")" = 3 ] || why+="not 3 intact copies (sha256 $BIG_SUM); "
    events count=3 allow=3 "bytes_down>$BIG_SIZE" || why+="$EVMSG; "
    [ -z "$why" ] || why+="$(brief)"
    verdict "allow a 4 MiB download intact by HTTP, CONNECT and SOCKS5 (bytes_down counts it)" "$why"
  fi
  if want "allow git ls-remote (dumb HTTP)"; then
    sbx "${POL[@]}" -- git ls-remote "http://allowed.test:$HTTP/repo.git"
    why=""
    [ "$RC" = 0 ] || why+="exit $RC; "
    grep -qE "^$REPO_HEAD[[:space:]]+refs/heads/main" "$OUT" || why+="no refs/heads/main $REPO_HEAD; "
    events "@allowed.test" decision=allow bytes_down\>0 deny=0 || why+="$EVMSG; "
    [ -z "$why" ] || why+="$(brief)"
    verdict "allow git ls-remote (dumb HTTP)" "$why"
  fi
  if want "allow git clone (dumb HTTP)"; then
    rm -rf "$WS/clone"
    sbx "${POL[@]}" -- git clone -q "http://allowed.test:$HTTP/repo.git" clone
    why=""
    [ "$RC" = 0 ] || why+="exit $RC; "
    grep -qF "$MARK" "$WS/clone/README" 2>/dev/null || why+="the clone has no README with the marker; "
    events "@allowed.test" decision=allow deny=0 || why+="$EVMSG; "
    [ -z "$why" ] || why+="$(brief)"
    verdict "allow git clone (dumb HTTP)" "$why"
  fi

  # --- refused requests ----------------------------------------------------------------------------------
  newtag; refused "refuse a name that is not allowed (denied.test, plain HTTP)" "denied.test:$HTTP" \
    "error: 403|denied.test:$HTTP refused: no allow rule matches" \
    @denied.test "port=$HTTP" "reason=no allow rule matches" rule= protocol=http -- \
    "${CURL[@]}" -f "http://denied.test:$HTTP/index.html?t=$TAG"
  newtag; refused "refuse a name that is not allowed (denied.test, CONNECT)" "denied.test:$HTTP" \
    "CONNECT tunnel failed, response 403" \
    @denied.test "reason=no allow rule matches" rule= protocol=connect -- \
    "${CURL[@]}" -p "http://denied.test:$HTTP/index.html?t=$TAG"
  newtag; refused "refuse a name that is not allowed (denied.test, SOCKS5)" "denied.test:$HTTP" \
    "Can't complete SOCKS5 connection.*\(2\)" \
    @denied.test "reason=no allow rule matches" rule= protocol=socks5 -- \
    "${CURL[@]}" --socks5-hostname 127.0.0.1:3128 "http://denied.test:$HTTP/index.html?t=$TAG"
  newtag; refused "refuse deny over an allow wildcard (evil.wild.test)" "evil.wild.test:$HTTP" \
    "CONNECT tunnel failed, response 403" \
    @evil.wild.test "rule=evil.wild.test:*" "reason=denied by evil.wild.test:*" -- \
    "${CURL[@]}" -p "http://evil.wild.test:$HTTP/index.html?t=$TAG"
  newtag; refused "refuse the wildcard's own parent (wild.test is not *.wild.test)" "wild.test:$HTTP" \
    "error: 403" @wild.test "reason=no allow rule matches" -- \
    "${CURL[@]}" -f "http://wild.test:$HTTP/index.html?t=$TAG"
  newtag; refused "refuse an allowed name on the wrong port" "allowed.test:$OTHER" \
    "Can't complete SOCKS5 connection.*\(2\)" \
    @allowed.test "port=$OTHER" "reason=no allow rule matches" rule= -- \
    "${CURL[@]}" --socks5-hostname 127.0.0.1:3128 "http://allowed.test:$OTHER/index.html?t=$TAG"
  # the same request is answered once the port is allowed: the wrong-port refusal was the policy's
  newtag
  if want "refuse an allowed name on the wrong port"; then
    sbx "${POL[@]}" --allow-host "allowed.test:$OTHER" -- \
      "${CURL[@]}" -f --socks5-hostname 127.0.0.1:3128 "http://allowed.test:$OTHER/index.html?t=$TAG"
    if [ "$RC" = 0 ] && grep -qF "$MARK" "$OUT" && host_saw "$TAG"; then
      pass "refuse an allowed name on the wrong port (calibration: allowed by --allow-host, it answers)"
    else
      fail "refuse an allowed name on the wrong port (calibration)" "$(brief)"
    fi
  fi

  # IP literals: curl's own normal form, and exactly as written through each protocol
  newtag; refused "refuse an IP literal (curl -p http://127.0.0.1)" "127.0.0.1:$HTTP" \
    "CONNECT tunnel failed, response 403" @127.0.0.1 "reason=no allow rule matches" rule= -- \
    "${CURL[@]}" --noproxy '' -p "http://127.0.0.1:$HTTP/index.html?t=$TAG"
  for a in 2130706433 0x7f000001 127.1 0177.0.0.1 "[::ffff:127.0.0.1]" "[::ffff:7f00:1]" "[::1]"; do
    local h=${a#[}; h=${h%]}
    local shown=$h
    [[ $h == *:* ]] && shown="[$h]"
    newtag; refused "refuse IP literal $a (CONNECT)" "$shown:$HTTP" "REFUSED HTTP/1.1 403" \
      "@$h" "reason=no allow rule matches" rule= protocol=connect -- \
      $NH proxy connect "$a" "$HTTP" "/index.html?t=$TAG"
  done
  newtag; refused "refuse IP literal 0x7f.1 (absolute-form HTTP)" "0x7f.1:$HTTP" "REFUSED HTTP/1.1 403" \
    @0x7f.1 "reason=no allow rule matches" protocol=http -- \
    $NH proxy http 0x7f.1 "$HTTP" "/index.html?t=$TAG"
  newtag; refused "refuse IP literal 2130706433 (SOCKS5 domain name)" "2130706433:$HTTP" "REFUSED socks reply 2" \
    @2130706433 "reason=no allow rule matches" protocol=socks5 -- \
    $NH proxy socks 2130706433 "$HTTP" "/index.html?t=$TAG"
  newtag; refused "refuse IP 127.0.0.1 (SOCKS5 IPv4 address)" "127.0.0.1:$HTTP" "REFUSED socks reply 2" \
    @127.0.0.1 "reason=no allow rule matches" protocol=socks5 -- \
    $NH proxy socks4 127.0.0.1 "$HTTP" "/index.html?t=$TAG"
  newtag; refused "refuse IP ::ffff:127.0.0.1 (SOCKS5 IPv6 address)" "[::ffff:127.0.0.1]:$HTTP" "REFUSED socks reply 2" \
    @::ffff:127.0.0.1 "reason=no allow rule matches" protocol=socks5 -- \
    $NH proxy socks6 ::ffff:127.0.0.1 "$HTTP" "/index.html?t=$TAG"
  newtag; refused "refuse the cloud metadata address 169.254.169.254" "169.254.169.254:80" \
    "CONNECT tunnel failed, response 403" @169.254.169.254 "reason=no allow rule matches" -- \
    "${CURL[@]}" --noproxy '' -p "http://169.254.169.254/latest/meta-data/?t=$TAG"
  newtag; refused "refuse the cloud metadata address fd00:ec2::254" "[fd00:ec2::254]:80" \
    "CONNECT tunnel failed, response 403" @fd00:ec2::254 "reason=no allow rule matches" -- \
    "${CURL[@]}" --noproxy '' -p "http://[fd00:ec2::254]/latest/meta-data/?t=$TAG"
  # The IP refusals are the policy's: once 127.0.0.1:HTTP is allowed, every spelling of it gets through.
  if want "refuse IP literal"; then
    newtag
    sbx "${POL[@]}" --allow-host "127.0.0.1:$HTTP" -- sh -c '
      for a in 2130706433 0x7f000001 127.1 "[::ffff:127.0.0.1]"; do '"$NH"' proxy connect "$a" "$1" "/index.html?t=$2" || exit 1; done' \
      sh "$HTTP" "$TAG"
    events count=4 allow=4 "rule=127.0.0.1:$HTTP" address=127.0.0.1
    if [ "$RC" = 0 ] && [ "$(grep -c "$TAG" "$SLOG")" = 4 ] && [ -z "${EVMSG##*all checks hold*}" ]; then
      pass "refuse IP literals (calibration: with 127.0.0.1:$HTTP allowed, all 4 spellings reach it)"
    else
      fail "refuse IP literals (calibration)" "$EVMSG; $(brief)"
    fi
  fi
  # A name allowed by the policy whose DNS answer (/etc/hosts) is loopback: refused after resolution.
  newtag; refused "refuse an allowed name that resolves to loopback (localhost)" "localhost:$HTTP" \
    "CONNECT tunnel failed, response 403" @localhost "reason~is loopback" rule= address? -- \
    "${CURL[@]}" --noproxy '' -p "http://localhost:$HTTP/index.html?t=$TAG"
  newtag
  if want "refuse an allowed name that resolves to loopback"; then
    native curl -sS -f --max-time 5 --noproxy '*' "http://localhost:$HTTP/index.html?t=$TAG"
    if [ "$RC" = 0 ] && grep -qF "$MARK" "$OUT"; then
      pass "refuse an allowed name that resolves to loopback (calibration: natively localhost:$HTTP answers)"
    else
      fail "refuse an allowed name that resolves to loopback (calibration)" "$(brief)"
    fi
  fi

  # --- bypassing the proxy -------------------------------------------------------------------------------
  if want "bypass: direct TCP"; then
    newtag; calibrate "bypass: direct TCP to 127.0.0.1:$TCP" -- $NH tcp 127.0.0.1 "$TCP" "$TAG-native"
    newtag; blocked "bypass: direct TCP to 127.0.0.1:$TCP (the sandbox's own loopback)" "$TAG" -- $NH tcp 127.0.0.1 "$TCP" "$TAG"
    for a in "${EXT[@]}"; do
      newtag; calibrate "bypass: direct TCP to the host's $a:$TCP" -- $NH tcp "$a" "$TCP" "$TAG-native"
      newtag; blocked "bypass: direct TCP to the host's $a:$TCP" "$TAG" -- $NH tcp "$a" "$TCP" "$TAG"
    done
  fi
  if want "bypass: UDP"; then
    for a in 127.0.0.1 "${EXT[@]}"; do
      newtag; calibrate "bypass: UDP to $a:$UDP" -- $NH udp "$a" "$UDP" "$TAG-native"
      host_saw "$TAG-native" || fail "bypass: UDP to $a:$UDP (calibration)" "the server did not log the native datagram"
      newtag; blocked "bypass: UDP to $a:$UDP (the server receives nothing)" "$TAG" -- $NH udp "$a" "$UDP" "$TAG"
    done
  fi
  if want "bypass: DNS"; then
    native $NH dnsquery
    if [ "$RC" = 0 ]; then pass "bypass: DNS query to the nameservers (calibration: natively a nameserver answers)"
    else echo "INFO [$LABEL] bypass: DNS uncalibrated: natively no nameserver answers either ($(flat "$OUT"))"; fi
    blocked "bypass: DNS query to the nameservers of /etc/resolv.conf" "" -- $NH dnsquery
    for cmd in "getent hosts example.com" "getent ahosts cordon-test.invalid" "$NH resolve example.com" \
      "$NH resolve allowed.test"; do
      sbx "${POL[@]}" -- $NH timed 2 $cmd
      if [ "$RC" = 0 ]; then pass "bypass: DNS lookup fails fast ($cmd): $(flat "$OUT")"
      else fail "bypass: DNS lookup fails fast ($cmd)" "$(brief)"; fi
    done
  fi
  if want "bypass: raw"; then
    calibrate "bypass: raw and packet sockets" -- unshare -rn $NH raw
    blocked "bypass: raw and packet sockets" "" -- $NH raw
  fi
  if want "bypass: netlink"; then
    calibrate "bypass: netlink route change" -- unshare -rn $NH netlink
    blocked "bypass: netlink route change (lo up, route add)" "" -- $NH netlink
    sbx "${POL[@]}" -- ip route add 10.99.0.0/16 dev lo
    if [ "$RC" != 0 ]; then pass "bypass: ip route add fails ($(flat "$ERR" 80))"; else fail "bypass: ip route add" "$(brief)"; fi
  fi
  if want "bypass: abstract"; then
    newtag; calibrate "bypass: the host's abstract unix socket @$ABSTRACT" -- $NH abstract "$ABSTRACT" "$TAG-native"
    newtag; blocked "bypass: the host's abstract unix socket @$ABSTRACT" "$TAG" -- $NH abstract "$ABSTRACT" "$TAG"
  fi

  # --- nothing connects in -------------------------------------------------------------------------------
  if want "inbound"; then
    inbound_check sandbox
    inbound_check native
  fi

  # --- modes ---------------------------------------------------------------------------------------------
  if want "mode"; then
    sbx "${POL[@]}" -- sh -c 'env | grep -i "_proxy=" | sort'
    why=""
    for v in HTTP_PROXY=http://127.0.0.1:3128 http_proxy=http://127.0.0.1:3128 HTTPS_PROXY=http://127.0.0.1:3128 \
      https_proxy=http://127.0.0.1:3128 ALL_PROXY=socks5h://127.0.0.1:3128 all_proxy=socks5h://127.0.0.1:3128 \
      NO_PROXY=localhost,127.0.0.1,::1 no_proxy=localhost,127.0.0.1,::1; do
      grep -qxF "$v" "$OUT" || why+="no $v; "
    done
    grep -q caller-proxy "$OUT" && why+="the caller's proxy got in; "
    [ -z "$why" ] || why+="$(brief)"
    verdict "mode allowlist: the proxy variables point at 127.0.0.1:3128 (the caller's are replaced)" "$why"

    for how in "default" "--net none over an allowlist policy"; do
      local -a opts=()
      [ "$how" = default ] || opts=("${POL[@]}" --net none)
      sbx "${opts[@]}" -- sh -c "env | grep -i '_proxy='; $NH tcp 127.0.0.1 3128 none-mode; echo tcp=\$?; $NH timed 2 curl -sS --noproxy '' -x http://127.0.0.1:3128 http://allowed.test:$HTTP/; echo curl=\$?"
      why=""
      grep -qi '_proxy=' "$OUT" && why+="proxy variables inside: $(grep -i '_proxy=' "$OUT" | tr '\n' ' '); "
      grep -qx 'tcp=1' "$OUT" || why+="something listens on 127.0.0.1:3128; "
      grep -qx 'curl=0' "$OUT" || why+="curl through 127.0.0.1:3128 did not fail fast; "
      grep -q '^cordon: warning' "$ERR" && why+="a warning; "
      [ -z "$why" ] || why+="$(brief)"
      verdict "mode none ($how): no proxy listener, no proxy variables" "$why"
    done

    newtag
    sbx --net full -- $NH tcp 127.0.0.1 "$TCP" "$TAG"
    why=""
    [ "$RC" = 0 ] || why+="exit $RC; "
    sleep 0.1
    host_saw "$TAG" || why+="the host's server did not see it; "
    grep -q '^cordon: warning: network mode full' "$ERR" || why+="no warning; "
    [ -z "$why" ] || why+="$(brief)"
    verdict "mode full: the host's loopback server answers directly, with a warning" "$why"
  fi

  # --- command-line and policy validation ----------------------------------------------------------------
  cli_error "--allow-host 'bad host:1'" '"bad host"' --allow-host 'bad host:1'
  cli_error "--allow-host port 0" "port 0 out of range" --allow-host a.test:0
  cli_error "--allow-host port 70000" "port 70000 out of range" --allow-host a.test:70000
  cli_error "--allow-host without a port" "missing port" --allow-host a.test
  cli_error "--allow-host '*:443' (too broad)" "too broad" --allow-host '*:443'
  cli_error "--net none with --allow-host" "needs network mode allowlist" --net none --allow-host a.com:443
  cli_error "--net full with --allow-host" "needs network mode allowlist" --net full --allow-host a.com:443
  cli_error "--net bogus" "--net" --net bogus
  cli_error "--allow-host against a deny rule" "contradicts the policy's deny rule evil.wild.test:*" \
    "${POL[@]}" --allow-host "evil.wild.test:$HTTP"
  cli_error "policy with a bad allow pattern" "bad-pattern.toml:6" --policy "$BASE/bad-pattern.toml"
  if want "cli policy with a bad allow pattern"; then
    grep -qF '"exa mple.test:443"' "$ERR" && pass "cli policy with a bad allow pattern: the error quotes it" ||
      fail "cli policy with a bad allow pattern" "the error does not quote the pattern: $(flat "$ERR")"
  fi

  # --- events --------------------------------------------------------------------------------------------
  if want "events"; then
    newtag
    # 8 connection attempts: 3 relayed, 3 refused by the policy, 1 malformed, 1 silent.
    sbx "${POL[@]}" -- sh -c '
      u="http://allowed.test:$1/index.html?t=$2"
      curl -sS --max-time 10 -o /dev/null "$u-a"
      curl -sS --max-time 10 -o /dev/null -p "$u-b"
      curl -sS --max-time 10 -o /dev/null --socks5-hostname 127.0.0.1:3128 "$u-c"
      curl -sS --max-time 10 -o /dev/null -f "http://denied.test:$1/"
      curl -sS --max-time 10 -o /dev/null --noproxy "" -p "http://localhost:$1/"
      '"$NH"' proxy connect 0x7f000001 "$1" /
      '"$NH"' garbage
      '"$NH"' silent' sh "$HTTP" "$TAG"
    events count=8 allow=3 deny=5
    verdict "events: one per connection attempt (3 allowed, 3 refused, 1 malformed, 1 silent)" \
      "$([ "${EVMSG##*all checks hold*}" ] && echo "$EVMSG; $(brief)")"
    events @allowed.test decision=allow bytes_up\>0 bytes_down\>0 duration_ms\>-1 "rule=allowed.test:$HTTP"
    verdict "events: relayed connections count bytes both ways" "$([ "${EVMSG##*all checks hold*}" ] && echo "$EVMSG")"
    events @denied.test bytes_up=0 bytes_down=0 "reason=no allow rule matches"
    verdict "events: a refused connection moves no byte" "$([ "${EVMSG##*all checks hold*}" ] && echo "$EVMSG")"
    events @ error? decision=deny
    verdict "events: the malformed and the silent connection say why" "$([ "${EVMSG##*all checks hold*}" ] && echo "$EVMSG")"
    why=""
    grep -q '^cordon: network: refused :0' "$ERR" && why+="a refusal line without a target; "
    [ "$(grep -c '^cordon: network: refused ' "$ERR")" -ge 3 ] || why+="fewer than 3 refusal lines; "
    verdict "events: stderr names each refused target" "${why:+$why$(flat "$ERR" 600)}"

    # Secrets in the URL, headers, proxy credentials and the caller's environment never reach the log.
    sbx "${POL[@]}" -- sh -c '
      s=$1 u="http://allowed.test:$2/index.html?token=$1"
      set -- -sS --max-time 10 -o /dev/null -H "Authorization: Bearer $s" -b "session=$s"
      curl "$@" "http://user:$s@allowed.test:${u#*:*:}"
      curl "$@" -p "$u"
      curl "$@" -U "user:$s" "$u"
      curl "$@" -U "user:$s" -p "$u"
      curl "$@" --socks5-hostname "user:$s@127.0.0.1:3128" "$u"
      curl "$@" -f "http://denied.test:${u#*:*:}"
      exit 0' sh "$SECRET" "$HTTP"
    why=""
    events count=6 allow=5 "absent=$SECRET" "absent_net=token=" "absent_net=Bearer" || why+="$EVMSG; "
    grep '^cordon:' "$ERR" | grep -qF "$SECRET" && why+="cordon's stderr holds the secret; "
    verdict "events: no secret value in the log (URL, headers, proxy credentials, environment)" "$why"

    EVARG=- sbx "${POL[@]}" -- "${CURL[@]}" -o /dev/null "http://allowed.test:$HTTP/"
    if grep '"type":"net.connection"' "$ERR" | "$PY" -c 'import json,sys; [json.loads(l) for l in sys.stdin]' 2>/dev/null &&
      [ "$(grep -c '"type":"net.connection"' "$ERR")" = 1 ]; then
      pass "events: --events - writes JSON lines to stderr"
    else
      fail "events: --events -" "$(brief)"
    fi
  fi
}

# inbound_check sandbox|native: a server inside listens on $ANY:PORT (dual stack); the host tries to reach it on
# loopback and its other addresses. Natively (the calibration) the host must reach it.
inbound_check() {
  local where=$1 port why="" a
  port=$(free_port)
  rm -f "$WS/inbound-ready" "$WS/inbound-done"
  local script='
    '"$PY"' -m http.server "$1" --bind "$2" >/dev/null 2>&1 & srv=$!
    i=0; until '"$NH"' tcp 127.0.0.1 "$1" self >/dev/null; do i=$((i+1)); [ $i -gt 100 ] && { kill $srv; exit 3; }; sleep 0.05; done
    touch inbound-ready
    i=0; until [ -e inbound-done ] || [ $i -gt 200 ]; do i=$((i+1)); sleep 0.05; done
    kill $srv; exit 0'
  if [ "$where" = sandbox ]; then
    sbx "${POL[@]}" -- sh -c "$script" sh "$port" "$ANY" &
  else
    native sh -c "$script" sh "$port" "$ANY" &
  fi
  local bg=$!
  BG_PIDS+=("$bg")
  for _ in $(seq 200); do [ -e "$WS/inbound-ready" ] && break; sleep 0.05; done
  local reached="" missed="" ready=0
  [ -e "$WS/inbound-ready" ] && ready=1
  for a in 127.0.0.1 "${EXT[@]}"; do
    if "$PY" "$HERE/nethelp.py" tcp "$a" "$port" inbound >/dev/null 2>&1; then reached+="$a "; else missed+="$a "; fi
  done
  local proxy_reached=0
  if [ "$where" = sandbox ] && [ "$HOST_3128" = 0 ] && "$PY" "$HERE/nethelp.py" tcp 127.0.0.1 3128 inbound >/dev/null 2>&1; then
    proxy_reached=1
  fi
  touch "$WS/inbound-done"
  wait "$bg"
  RC=$?
  if [ "$where" = sandbox ]; then
    [ $ready = 1 ] || why+="the server inside never came up; "
    [ -z "$reached" ] || why+="the host reached the sandbox's server on $reached; "
    [ $proxy_reached = 0 ] || why+="the host reached 127.0.0.1:3128; "
    [ -z "$why" ] || why+="$(brief)"
    verdict "inbound: a server inside on $ANY port $port is unreachable from the host (${EXT[*]} 127.0.0.1${HOST_3128/0/, and the proxy port})" "$why"
  else
    [ $ready = 1 ] && [ -z "$missed" ] && pass "inbound (calibration: natively the host reaches it on 127.0.0.1 ${EXT[*]})" ||
      fail "inbound (calibration)" "ready=$ready, not reached on: $missed"
  fi
  rm -f "$WS/inbound-ready" "$WS/inbound-done"
}

# ---------------------------------------------------------------------------------------------------------
# The passes

PASSES=()
if [ "$(id -u)" = 0 ]; then
  if ! id "$UNPRIV" >/dev/null 2>&1; then
    useradd -m -s /bin/bash "$UNPRIV" >/dev/null 2>&1 || { log "cannot create the user $UNPRIV"; exit 2; }
  fi
  PASSES=(root "$UNPRIV")
else
  PASSES=("$(id -un)")
fi

for u in "${PASSES[@]}"; do
  LABEL=$u
  UNAME=$u
  UHOME=$(getent passwd "$u" | cut -d: -f6)
  [ -d "$UHOME" ] || UHOME=/
  RUNAS=()
  [ "$u" != "$(id -un)" ] && RUNAS=(runuser -u "$u" --)
  WS=$BASE/ws-$u
  OUTD=$BASE/out-$u
  mkdir -p "$WS" "$OUTD"
  cp "$HERE/nethelp.py" "$WS/nethelp.py"
  chown -R "$u" "$WS" "$OUTD"
  chmod 755 "$WS" "$OUTD"
  OUT=$OUTD/out ERR=$OUTD/err EV=$OUTD/events.jsonl
  log "pass as $u (workspace $WS)"
  run_pass
done

echo
echo "network suite: cordon=$CORDON, servers http=$HTTP other=$OTHER tcp=$TCP udp=$UDP on 127.0.0.1 ${EXT[*]}"
for u in "${PASSES[@]}"; do echo "  $u: ${COUNT_PASS[$u]:-0} passed, ${COUNT_FAIL[$u]:-0} failed"; done
if [ ${#FAILURES[@]} -gt 0 ]; then
  echo "FAILURES:"
  for f in "${FAILURES[@]}"; do echo "  $f"; done
fi
echo "network: $NPASS passed, $NFAIL failed in $((SECONDS - T0)) s"
[ "$NFAIL" = 0 ] && [ "$NPASS" -gt 0 ]
