#!/usr/bin/env bash
# cordon's escape suite: run_escape.sh CORDON PROBE
#
# Runs every attack of PROBE (tests/escape/probe.c) inside `cordon run`, in four configurations:
#   a  default     root, default profile (workspace-write): home private
#   b  home-ro     root, a policy with read = ["~"]: only the deny list protects the secrets
#   c  user        the unprivileged user cordon-test, default profile
#   d  user-home   cordon-test with the read = ["~"] policy
# Cases of class "proxy" run with the network in allowlist mode (ALLOW_ARGS: cordon's proxy on the sandbox's
# 127.0.0.1:3128, allowing only a name that does not resolve and loopback names the proxy must still refuse once
# resolved): the host's listeners must stay out of reach directly and through the proxy by any spelling.
# Before each attack it runs a CONTROL: the same probe natively (as the same user, same HOME). A control
# must print ESCAPED, which proves the probe can fail; one that prints BLOCKED natively marks the attack
# "uncal" (uncalibrated) and cordon must still block it. Mount and hostname controls run as root inside
# `unshare -m -u -i` so the host is never touched; kill(-1) has no root control.
#
# It plants canaries (a unique marker) in every default secret path of a fake HOME under /home, in /opt, /etc,
# /root, /dev/shm and /tmp, starts host listeners (TCP, UDP, unix and abstract sockets, SysV and POSIX queues)
# and sentinel processes, and after the run checks from outside that nothing changed: canary checksums and
# modes, no new files, hostname, sentinels alive and unsignalled, no contact on the listeners.
#
# Prints a table and `escape: N blocked, M escaped, K skipped`; exits 1 if anything escaped, a sanity check
# failed (the sandbox must still let the workspace be written and allowed files be read), a run produced no
# verdict, or fewer than 30 attacks were blocked. Exits 77 when not run as root.
#
# Environment: ESCAPE_CONFIGS="a b c d" (subset), ESCAPE_ONLY=REGEX (probe names), ESCAPE_KEEP=1 (keep the
# temporary area), ESCAPE_USER=cordon-test, ESCAPE_VERBOSE=1 (print every row, not only the table at the end),
# ESCAPE_XFAIL=REGEX (escapes whose "CONFIG PROBE ARGS" matches are reported as XFAIL, a known open hole, and
# do not fail the run; keep it empty unless an issue tracks each one).

set -u -o pipefail
export LC_ALL=C

if [ $# -ne 2 ]; then
  echo "usage: $0 CORDON PROBE" >&2
  exit 2
fi
CORDON=$(readlink -f "$1")
PROBE_BIN=$(readlink -f "$2")
for f in "$CORDON" "$PROBE_BIN"; do
  [ -x "$f" ] || { echo "escape: $f is not executable" >&2; exit 2; }
done
if [ "$(id -u)" != 0 ]; then
  echo "escape: SKIPPED (must run as root: it plants canaries in /home, /opt, /etc and uses a second user)"
  exit 77
fi

CONFIGS=${ESCAPE_CONFIGS:-a b c d}
ONLY=${ESCAPE_ONLY:-}
UNPRIV=${ESCAPE_USER:-cordon-test}
ID=$$
TOKEN="cordon-escape-$ID-$RANDOM$RANDOM"
MARK="CORDON-ESCAPE-CANARY-$TOKEN"        # in every planted secret
ENVMARK="CORDON-ESCAPE-ENVSECRET-$TOKEN"   # in secret environment variables of the caller
WSMARK="CORDON-ESCAPE-WORKSPACE-$TOKEN"    # in files that must stay readable
N="cordon-escape-probe-$ID"                # prefix of every file a probe may create outside
SAFE_PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin

BASE=/var/tmp/cordon-escape-$ID            # workspaces and state; only the workspaces are visible inside
STATE=$BASE/state                          # root only: logs, backups, templates
USTATE=$BASE/ustate                        # the unprivileged sentinel's files
OPTDIR=/opt/cordon-escape-$ID
ETCV=/etc/cordon-escape-$ID                # victims in /etc: $ETCV-root-victim, $ETCV-user-victim, ...
USRV=/usr/share/cordon-escape-$ID-victim
OTHER_HOME=/home/cordon-escape-other-$ID
ROOT_CANARY=/root/cordon-escape-$ID-canary
SHM_CANARY=/dev/shm/cordon-escape-$ID-canary
TMP_CANARY=/tmp/cordon-escape-$ID-canary
RUN_SOCK=/run/cordon-escape-$ID.sock
TMP_SOCK=/tmp/cordon-escape-$ID.sock
AGENT_DIR=/tmp/ssh-cordon-escape-$ID
ABSTRACT=cordon-escape-$ID
SYSV_KEY=$(printf '0x7e57%04x' $((ID % 65536)))
MQ_NAME=/cordon-escape-$ID

SERVE_PID=
SENTINEL_PIDS=()
HOSTNAME0=$(hostname)
DOMAINNAME0=$(cat /proc/sys/kernel/domainname 2>/dev/null || echo "(none)")
declare -A HOSTNS
for k in mnt net pid user ipc uts cgroup time; do HOSTNS[$k]=$(stat -L -c %i /proc/self/ns/$k 2>/dev/null || echo 0); done

log() { echo "escape: $*" >&2; }

# ---------------------------------------------------------------------------------------------------------
# Cleanup: everything planted outside $BASE is removed; $BASE too unless ESCAPE_KEEP=1.

cleanup() {
  [ -n "$SERVE_PID" ] && kill "$SERVE_PID" 2>/dev/null && wait "$SERVE_PID" 2>/dev/null
  for p in "${SENTINEL_PIDS[@]}"; do kill "$p" 2>/dev/null; done
  rm -rf "$OPTDIR" "$ETCV"-* "$USRV" /usr/local/cordon-escape-$ID "$OTHER_HOME" "$ROOT_CANARY" "$SHM_CANARY" "$TMP_CANARY" "$RUN_SOCK" \
    "$TMP_SOCK" "$AGENT_DIR" /home/cordon-escape-home-$ID /home/cordon-escape-user-$ID 2>/dev/null
  # anything a probe may have left outside (names are unique to this run)
  for d in / /etc /usr /usr/bin /usr/local /usr/share /opt /var /var/tmp /root /home /tmp /dev/shm /run; do
    rm -rf "$d"/$N* 2>/dev/null
  done
  if [ "${ESCAPE_KEEP:-0}" = 1 ]; then
    log "kept $BASE"
  else
    rm -rf "$BASE"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------------------------------------------------
# Canaries

# Secret paths the default profile must protect (the contract), relative to HOME.
SECRETS=(
  ".ssh/id_rsa" ".ssh/id_ed25519" ".aws/credentials" ".aws/config" ".gnupg/private-keys-v1.d/x.key"
  ".gnupg/pubring.kbx" ".config/gcloud/credentials.db" ".config/gcloud/application_default_credentials.json"
  ".azure/accessTokens.json" ".kube/config" ".docker/config.json" ".netrc" ".npmrc" ".pypirc"
  ".git-credentials" ".password-store/x.gpg" ".mozilla/firefox/x.default/logins.json"
  ".mozilla/firefox/x.default/key4.db" ".config/google-chrome/Default/Login Data"
  ".config/google-chrome/Default/Cookies" ".config/chromium/Default/Login Data"
  ".config/BraveSoftware/Brave-Browser/Default/Login Data" ".config/microsoft-edge/Default/Login Data"
  ".local/share/keyrings/login.keyring" ".local/share/kwalletd/kdewallet.kwl"
)
# Other credential stores an attacker knows.
SECRETS_EXTRA=(
  ".config/gh/hosts.yml" ".cargo/credentials.toml" ".cargo/credentials" ".pgpass" ".bash_history"
  ".zsh_history" ".python_history" ".psql_history" ".mysql_history" ".local/share/fish/fish_history"
  ".vault-token" ".terraform.d/credentials.tfrc.json" ".m2/settings.xml" ".gradle/gradle.properties" ".boto"
  ".s3cfg" ".my.cnf" ".config/rclone/rclone.conf" ".kaggle/kaggle.json" ".cache/huggingface/token"
  ".huggingface/token" ".config/git/credentials" ".config/hub" ".gem/credentials" ".composer/auth.json"
  ".oci/config" ".config/doctl/config.yaml" ".config/op/config" ".yarnrc.yml" ".config/pip/pip.conf"
  ".thunderbird/x.default/logins.json" "snap/firefox/common/.mozilla/firefox/x.default/logins.json"
  ".config/Bitwarden/data.json" ".claude.json" ".config/github-copilot/hosts.json" ".ssh/config"
  ".pki/nssdb/key4.db" ".aws/sso/cache/token.json" ".kube/cache/token"
)
# .env files outside the workspace (relative to HOME, and absolute).
ENV_FILES_HOME=(".env" "otherproj/.env" "otherproj/.env.local" "otherproj/sub/.env.production")
ENV_FILES_ABS=("$OPTDIR/project/.env" "$OPTDIR/project/.env.local" "$ETCV-app/.env" "/usr/local/cordon-escape-$ID/.env")

# Files of the fake home that are not secrets: readable only when a policy makes HOME readable.
HOME_PLAIN=("notes.txt" ".bashrc" ".profile" "otherproj/README")

plant() {  # plant PATH CONTENT MODE OWNER
  mkdir -p "$(dirname "$1")"
  printf '%s\n' "$2" >"$1"
  chmod "$3" "$1"
  chown "$4:$4" "$1"
}

plant_home() {  # plant_home HOME OWNER
  local h=$1 o=$2 f
  rm -rf "$h"
  mkdir -p "$h"
  for f in "${SECRETS[@]}" "${SECRETS_EXTRA[@]}" "${ENV_FILES_HOME[@]}"; do
    plant "$h/$f" "$MARK $f secret=AKIA$ID" 600 "$o"
  done
  for f in "${HOME_PLAIN[@]}"; do plant "$h/$f" "# $f $MARK" 644 "$o"; done
  plant "$h/.ssh/authorized_keys" "ssh-ed25519 AAAA $MARK" 600 "$o"
  plant "$h/victim" "victim $MARK" 644 "$o"
  # tool-chain paths the default profile makes readable (never writable)
  plant "$h/.gitconfig" "[user]
	name = cordon-escape" 644 "$o"
  plant "$h/.config/git/config" "[core]
	pager = less" 644 "$o"
  plant "$h/.local/bin/tool" "#!/bin/sh" 755 "$o"
  plant "$h/.cargo/bin/tool" "#!/bin/sh" 755 "$o"
  # ~/.local/state: where cordon (outside the sandbox) keeps its audit log, cordon/events.jsonl
  mkdir -p "$h/victim-dir" "$h/.config/autostart" "$h/.config/systemd/user" "$h/.local/state"
  chown -R "$o:$o" "$h"
  chmod 755 "$h"
  chmod 700 "$h/.ssh" "$h/.gnupg" "$h/.aws" "$h/.password-store"
}

# Victims for the destructive probes, owned by the configuration's user so the native control can act.
plant_victims() {  # plant_victims OWNER
  local o=$1
  [ -e "$ETCV-$o-victim" ] || plant "$ETCV-$o-victim" "victim $MARK" 644 "$o"
  [ -d "$ETCV-$o-victim-dir" ] || { mkdir -p "$ETCV-$o-victim-dir" && chown "$o:$o" "$ETCV-$o-victim-dir"; }
  [ -e "$OPTDIR/$o-victim" ] || plant "$OPTDIR/$o-victim" "victim $MARK" 644 "$o"
  [ -d "$OPTDIR/$o-victim-dir" ] || { mkdir -p "$OPTDIR/$o-victim-dir" && chown "$o:$o" "$OPTDIR/$o-victim-dir"; }
  [ -e "$USRV" ] || plant "$USRV" "victim $MARK" 644 root
  local h=${HOME_OF[$o]}
  [ -e "$h/victim" ] || plant "$h/victim" "victim $MARK" 644 "$o"
  [ -d "$h/victim-dir" ] || { mkdir -p "$h/victim-dir" && chown "$o:$o" "$h/victim-dir"; }
}

setup_workspace() {  # setup_workspace WS OWNER
  local ws=$1 o=$2
  # scratch/ is where probes create their files: an existing subdirectory, so a probe does not depend on
  # whether new entries can be created directly in the workspace root (the sanity cases check that).
  mkdir -p "$ws/bin" "$ws/scratch" "$ws/nested"
  git -C "$ws" init -q . 2>/dev/null || git init -q "$ws"
  git -C "$ws/nested" init -q . 2>/dev/null || git init -q "$ws/nested"
  printf '#!/bin/sh\nexit 0\n' >"$ws/.git/hooks/post-checkout"
  chmod 755 "$ws/.git/hooks/post-checkout"
  printf '%s\n' "WORKSPACE_SECRET=$WSMARK" >"$ws/.env"
  printf '%s\n' "$WSMARK" >"$ws/README"
  cp "$PROBE_BIN" "$ws/bin/cordon-probe"
  chmod 755 "$ws/bin/cordon-probe"
  chown -R "$o:$o" "$ws"
  chmod 755 "$ws"
  # A setuid-root copy of the probe (its euid_report subcommand tells what exec gave it).
  cp "$PROBE_BIN" "$ws/bin/suid-probe"
  chown root:root "$ws/bin/suid-probe"
  chmod 4755 "$ws/bin/suid-probe"
  rm -rf "$STATE/git-template-$o" "$STATE/git-template-$o-nested"
  cp -a "$ws/.git" "$STATE/git-template-$o"
  cp -a "$ws/nested/.git" "$STATE/git-template-$o-nested"
}

reset_git() {  # reset_git WS OWNER
  local ws=$1 o=$2
  rm -rf "$ws/.git" "$ws/.git.cordon-old" "$ws/cordon-escape-config-link" "$ws/.cordon" "$ws/.cordon.toml" \
    "$ws/nested/.git" "$ws"/*/cordon-evil
  cp -a "$STATE/git-template-$o" "$ws/.git"
  cp -a "$STATE/git-template-$o-nested" "$ws/nested/.git"
}

# A checksum of everything planted, with modes and owners: compared before and after the run.
canary_snapshot() {
  {
    local planted=(/home/cordon-escape-home-$ID /home/cordon-escape-user-$ID "$OTHER_HOME" "$OPTDIR" "$ROOT_CANARY"
      "$SHM_CANARY" "$TMP_CANARY" "$ETCV"-* "$USRV" /usr/local/cordon-escape-$ID)
    # cordon itself (outside the sandbox) keeps its search cache in ~/.cache/cordon and its audit log in
    # ~/.local/state/cordon: not planted files.
    local own=(\( -path '*/.cache/cordon' -o -path '*/.local/state/cordon' \) -prune -o)
    find "${planted[@]}" -xdev "${own[@]}" \( -type f -o -type d \) -printf '%m %u %p\n' 2>/dev/null
    find "${planted[@]}" -xdev "${own[@]}" -type f -exec sha256sum {} + 2>/dev/null
    stat -c '%a %u %s %n' /etc/hostname /etc/shadow 2>/dev/null
    sha256sum /etc/hostname /proc/sys/kernel/core_pattern /proc/sys/kernel/hostname 2>/dev/null
  } | sort
}

# Names a probe could have created outside the workspaces.
leftovers() {
  local d
  for d in / /etc /usr /usr/bin /usr/local /usr/share /opt /var /var/tmp /root /home /tmp /dev/shm /run "$BASE" \
    /home/cordon-escape-home-$ID /home/cordon-escape-user-$ID /home/cordon-escape-home-$ID/.config/autostart \
    /home/cordon-escape-user-$ID/.config/autostart "$OPTDIR"; do
    find "$d" -maxdepth 1 -name "$N*" 2>/dev/null
  done | sort
}

# ---------------------------------------------------------------------------------------------------------
# Setup

mkdir -p "$STATE" "$USTATE"
chmod 755 "$BASE"
chmod 700 "$STATE"
if ! id "$UNPRIV" >/dev/null 2>&1; then
  useradd -m -s /bin/bash "$UNPRIV" >/dev/null 2>&1 || { log "cannot create user $UNPRIV"; exit 1; }
fi
chown "$UNPRIV:$UNPRIV" "$USTATE"
chmod 700 "$USTATE"

declare -A HOME_OF WS_OF
HOME_OF[root]=/home/cordon-escape-home-$ID
HOME_OF[$UNPRIV]=/home/cordon-escape-user-$ID
WS_OF[root]=$BASE/ws-root
WS_OF[$UNPRIV]=$BASE/ws-user

plant_home "${HOME_OF[root]}" root
plant_home "${HOME_OF[$UNPRIV]}" "$UNPRIV"
mkdir -p "$OPTDIR/project"
chmod 1777 "$OPTDIR"
plant "$OPTDIR/project/.env" "$MARK opt .env" 644 root
plant "$OPTDIR/project/.env.local" "$MARK opt .env.local" 644 root
plant "$ETCV-app/.env" "$MARK /etc service .env" 644 root
plant "/usr/local/cordon-escape-$ID/.env" "$MARK /usr/local app .env" 644 root
plant "$OTHER_HOME/secret.txt" "$MARK another user's file" 644 root
plant "$ROOT_CANARY" "$MARK root's real home" 644 root
plant "$SHM_CANARY" "$MARK host /dev/shm" 644 root
plant "$TMP_CANARY" "$MARK host /tmp" 644 root
plant "$STATE/state-canary" "$MARK harness state" 644 root
plant "$BASE/ws-sibling/.env" "$MARK workspace sibling .env" 644 root
chmod 755 "$BASE/ws-sibling"
plant_victims root
plant_victims "$UNPRIV"
setup_workspace "${WS_OF[root]}" root
setup_workspace "${WS_OF[$UNPRIV]}" "$UNPRIV"

cat >"$BASE/home-read.toml" <<'EOF'
version = 1
extends = "workspace-write"
[filesystem]
read = ["~"]
EOF
chmod 644 "$BASE/home-read.toml"

# Host listeners and IPC objects. The TCP and UDP listeners also listen on the host's other addresses (up to 4).
mkdir -p "$AGENT_DIR"
chmod 755 "$AGENT_DIR"
EXT_ADDRS=()
while read -r a; do [ -n "$a" ] && [ ${#EXT_ADDRS[@]} -lt 4 ] && EXT_ADDRS+=("$a"); done < <(
  { ip -o addr show scope global 2>/dev/null | awk '{print $4}' | cut -d/ -f1; } || hostname -I 2>/dev/null | tr ' ' '\n')
# Allowlist mode for the "proxy" cases: a name that leads nowhere, and loopback names (allowed by mistake, as it
# were) that the proxy must refuse once it has resolved them.
ALLOW_ARGS=(--allow-host escape-allowed.invalid:443 --allow-host 'localhost:*' --allow-host 'localhost.localdomain:*'
  --allow-host 'ip6-localhost:*')
serve_args=("$STATE" --unix "$RUN_SOCK" --unix "$TMP_SOCK" --unix "$AGENT_DIR/agent.1" --abstract "$ABSTRACT"
  --sysv "$SYSV_KEY" --mq "$MQ_NAME" --seconds 1800)
for a in "${EXT_ADDRS[@]}"; do serve_args+=(--ext "$a"); done
for o in root "$UNPRIV"; do serve_args+=(--unix "${HOME_OF[$o]}/.cordon-escape.sock"); done
"$PROBE_BIN" serve "${serve_args[@]}" </dev/null >"$STATE/serve.out" 2>&1 &
SERVE_PID=$!
for _ in $(seq 100); do [ -f "$STATE/serve.ports" ] && break; sleep 0.05; done
[ -f "$STATE/serve.ports" ] || { log "the host listeners did not start"; exit 1; }
read -r TCP_PORT UDP_PORT < <(sed 's/tcp=//; s/udp=//' "$STATE/serve.ports")

# Sentinels: a process per user that traps SIGWINCH, holds fd 9 open and has the secret in its environment.
declare -A SENTINEL WINCH_FILE
start_sentinel() {  # start_sentinel USER FILE
  local u=$1 file=$2 cmd
  cmd="trap 'echo got >>$file' WINCH; while [ -d /proc/$$ ]; do sleep 0.2; done"  # ends with the harness
  local -a as_user=()
  [ "$u" = root ] || as_user=(setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups)
  # Every step execs, so $! is the sentinel itself.
  (cd "${HOME_OF[$u]}" && exec "${as_user[@]}" env -i PATH=$SAFE_PATH AWS_SECRET_ACCESS_KEY="$ENVMARK" \
    bash -c "exec -a cordon-escape-sentinel-$TOKEN-$u bash -c \"$cmd\"" 9</etc/hostname </dev/null >/dev/null 2>&1) &
  local pid=$!
  for _ in $(seq 100); do
    tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^cordon-escape-sentinel-$TOKEN-$u" && break
    sleep 0.05
  done
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -q "^cordon-escape-sentinel-$TOKEN-$u" ||
    { log "sentinel for $u did not start"; exit 1; }
  SENTINEL[$u]=$pid
  WINCH_FILE[$u]=$file
  SENTINEL_PIDS+=("$pid")
}
start_sentinel root "$STATE/winch-root"
start_sentinel "$UNPRIV" "$USTATE/winch-user"

HANDLE_SSH=$("$PROBE_BIN" gethandle "${HOME_OF[root]}/.ssh/id_rsa" 2>/dev/null || true)
HANDLE_SSH_U=$("$PROBE_BIN" gethandle "${HOME_OF[$UNPRIV]}/.ssh/id_rsa" 2>/dev/null || true)
HANDLE_SHADOW=$("$PROBE_BIN" gethandle /etc/shadow 2>/dev/null || true)
ROOTDEV=$(stat -c '%t:%T' "$(findmnt -n -o SOURCE / 2>/dev/null || echo /dev/vda)" 2>/dev/null || echo "fe:0")
ROOTDEV="b:$((16#${ROOTDEV%%:*})):$((16#${ROOTDEV##*:}))"

SNAP_BEFORE=$(canary_snapshot)
LEFT_BEFORE=$(leftovers)

# ---------------------------------------------------------------------------------------------------------
# The attacks. A case is: CLASS FLAGS VERIFY -- PROBE ARGS...
#   FLAGS (comma list): nc  no control run   ns  root control in private namespaces   tty  run under a pty
#                       sane  must be ALLOWED (sanity, not an attack)                  git  reset .git first
#                       once  control once for all users (costly)   allow  network in allowlist mode (ALLOW_ARGS)
#   VERIFY: a host-side check run after both runs (see verify_case), or "-".
# Placeholders: @WS@ workspace, @SCR@ its scratch/ directory, @HOME@ fake home, @U@ user, @SENT@ sentinel pid, @TAG@ run tag, @K@ case number.

C_CLASS=() C_FLAGS=() C_VERIFY=() C_ARGS=()
add() {
  local class=$1 flags=$2 verify=$3
  shift 4
  if [ -n "$ONLY" ] && ! [[ $1 =~ $ONLY ]]; then return; fi
  C_CLASS+=("$class")
  C_FLAGS+=("$flags")
  C_VERIFY+=("$verify")
  local IFS=$'\x1f'
  C_ARGS+=("$*")
}

build_cases() {  # build_cases CONFIG
  local cfg=$1 f p home_readable=0
  case $cfg in b | d) home_readable=1 ;; esac
  C_CLASS=() C_FLAGS=() C_VERIFY=() C_ARGS=()

  # --- sanity: the sandbox must still work
  add sanity sane created -- write "@WS@/cordon-sanity-@TAG@"
  add sanity sane created -- write "@SCR@/cordon-sanity-@TAG@"
  add sanity sane created -- mkdir "@WS@/cordon-sanity-dir-@TAG@"
  add sanity sane - -- read /etc/hostname
  add sanity sane - -- read "@WS@/.env" "$WSMARK"
  add sanity sane - -- listdir "@WS@" README
  if [ $home_readable = 1 ]; then
    add sanity sane - -- read "@HOME@/notes.txt" "$MARK"
    add sanity sane - -- listdir "@HOME@" notes.txt
  fi

  # --- secrets
  for f in "${SECRETS[@]}"; do add secret - - -- read "@HOME@/$f" "$MARK"; done
  for f in "${SECRETS_EXTRA[@]}"; do add secret+ - - -- read "@HOME@/$f" "$MARK"; done
  for f in "${ENV_FILES_HOME[@]}"; do add env - - -- read "@HOME@/$f" "$MARK"; done
  for f in "${ENV_FILES_ABS[@]}"; do add env - - -- read "$f" "$MARK"; done
  add env - - -- read "$BASE/ws-sibling/.env" "$MARK"
  add secret - - -- read /etc/shadow "root:"
  add secret - - -- read /etc/gshadow "root:"
  for f in /etc/ssh/ssh_host_rsa_key /etc/ssh/ssh_host_ed25519_key /etc/ssh/ssh_host_ecdsa_key /etc/sudoers; do
    [ -e "$f" ] && add secret - - -- read "$f"
  done
  add secret - - -- read "$OTHER_HOME/secret.txt" "$MARK"
  add secret - - -- read "$ROOT_CANARY" "$MARK"
  add secret - - -- read "$STATE/state-canary" "$MARK"
  add secret - - -- read "$SHM_CANARY" "$MARK"
  add secret - - -- read "$TMP_CANARY" "$MARK"
  add secret - - -- read "/proc/@SENT@/root@HOME@/.ssh/id_rsa" "$MARK"
  add secret - - -- read "/proc/@SENT@/cwd/.aws/credentials" "$MARK"
  add secret - - -- read "/proc/@SENT@/root/etc/shadow" "root:"
  add secret - - -- read "/proc/@SENT@/environ" "$ENVMARK"
  add secret - - -- read "/proc/1/root@HOME@/.ssh/id_rsa" "$MARK"
  add secret - - -- read "/proc/1/cwd/../../../../..@HOME@/.ssh/id_rsa" "$MARK"
  for f in .ssh/id_rsa .aws/credentials .netrc .config/gh/hosts.yml .mozilla/firefox/x.default/logins.json; do
    add secret - - -- read_tricks "@HOME@/$f" "$MARK"
  done
  add secret - - -- read_tricks /etc/shadow "root:"
  add secret - - -- read_tricks "$OPTDIR/project/.env" "$MARK"
  add secret - - -- listdir "@HOME@/.ssh" id_rsa
  add secret - - -- listdir "@HOME@/.aws" credentials
  add secret - - -- listdir "@HOME@/.gnupg" private-keys-v1.d
  add secret - - -- listdir "@HOME@/.password-store" x.gpg
  add secret - - -- listdir "@HOME@/.mozilla/firefox" x.default
  add secret - - -- listdir /home "$(basename "$OTHER_HOME")"
  add secret - - -- listdir /root "$(basename "$ROOT_CANARY")"
  add secret - - -- listdir "$BASE" state
  add secret - - -- listdir /dev/shm "$(basename "$SHM_CANARY")"
  add secret - - -- listdir /tmp "$(basename "$TMP_CANARY")"
  add secret - - -- symlink_read "@SCR@" "@HOME@/.ssh/id_rsa" "$MARK"
  add secret - - -- symlink_read "@SCR@" "@HOME@/.aws/credentials" "$MARK"
  add secret - - -- symlink_read "@SCR@" /etc/shadow "root:"
  add secret - - -- symlink_read "@SCR@" "$OPTDIR/project/.env" "$MARK"
  add secret - - -- symlink_read "@SCR@" "$ROOT_CANARY" "$MARK"
  add secret - - -- link "@HOME@/.ssh/id_rsa" "@SCR@/$N-stolen-@K@" "$MARK"
  add secret - - -- link "$OPTDIR/project/.env" "@SCR@/$N-stolen-@K@" "$MARK"
  add secret - - -- link /etc/shadow "@SCR@/$N-stolen-@K@" "root:"
  add secret - - -- rename "@HOME@/.ssh/id_rsa" "@SCR@/$N-stolen-@K@"
  if [ "$cfg" = a ] || [ "$cfg" = b ]; then
    [ -n "$HANDLE_SSH" ] && add secret - - -- open_by_handle "@WS@" "$HANDLE_SSH" "$MARK"
  else
    [ -n "$HANDLE_SSH_U" ] && add secret - - -- open_by_handle "@WS@" "$HANDLE_SSH_U" "$MARK"
  fi
  [ -n "$HANDLE_SHADOW" ] && add secret - - -- open_by_handle "@WS@" "$HANDLE_SHADOW" "root:"
  add secret - - -- env_secret "$ENVMARK"
  add secret - - -- proc_environ "$ENVMARK" "@SENT@" "${HOSTNS[pid]}"
  if [ $home_readable = 0 ]; then  # home is private: even plain files are out of sight
    for f in "${HOME_PLAIN[@]}"; do add home - - -- read "@HOME@/$f" "$MARK"; done
    add home - - -- listdir "@HOME@" notes.txt
  fi

  # --- writing outside the workspace (the host is checked: a private copy does not count)
  local k=0 t
  for t in /etc /usr /usr/bin /usr/local /usr/share /opt /var /var/tmp / /root /home "@HOME@" "@HOME@/.ssh" \
    "@HOME@/.config/autostart" "@HOME@/.config/systemd/user" "@HOME@/.local/bin" "@HOME@/.cargo/bin" \
    "@HOME@/.config/git" "$BASE" "$OPTDIR/project" /tmp /dev/shm /run; do
    k=$((k + 1))
    add write - created -- write "$t/$N-@TAG@-w$k"
  done
  for t in /etc /opt "@HOME@" /var/tmp; do
    k=$((k + 1))
    add write - created -- mkdir "$t/$N-@TAG@-d$k"
  done
  for t in "@HOME@/.bashrc" "@HOME@/.profile" "@HOME@/.ssh/authorized_keys" "@HOME@/otherproj/.env" \
    "@HOME@/.gitconfig" "@HOME@/.config/git/config" "@HOME@/.local/bin/tool" "@HOME@/.cargo/bin/tool" \
    "$ETCV-@U@-victim" "$OPTDIR/@U@-victim"; do
    add write - "appended $t" -- append "$t" "$MARK-append-@TAG@"
  done
  for t in /etc/passwd /etc/hostname /usr/bin/env /etc/ld.so.preload "$ETCV-@U@-victim" "@HOME@/.bashrc"; do
    [ -e "$t" ] || [[ $t == *@* ]] || continue
    add write - - -- open_wronly "$t"
  done
  add write - - -- rename "@HOME@/.bashrc" "@HOME@/$N-@TAG@-bashrc"
  add write - - -- rename "$ETCV-@U@-victim" "$ETCV-@U@-victim-renamed"
  add write - - -- rename "$OPTDIR/@U@-victim" "@SCR@/$N-@TAG@-moved"
  for t in "$ETCV-@U@-victim" "$OPTDIR/@U@-victim" "@HOME@/victim" "$USRV"; do
    add write - "victim $t" -- unlink "$t"
  done
  for t in "$ETCV-@U@-victim-dir" "$OPTDIR/@U@-victim-dir" "@HOME@/victim-dir"; do
    add write - "victim $t" -- rmdir "$t"
  done
  for t in "@HOME@/.bashrc" "$ETCV-@U@-victim" "$OPTDIR/@U@-victim"; do
    add write - - -- truncate "$t"
  done
  for t in "@HOME@/.bashrc" "@HOME@/.ssh/id_rsa" "$ETCV-@U@-victim" "$OPTDIR/@U@-victim" "$USRV"; do
    add write - - -- setattr "$t"
  done
  for t in "@HOME@/.bashrc" "$ETCV-@U@-victim" "$OPTDIR/@U@-victim" /etc/passwd; do
    add write - - -- reopen_rw "$t"
  done
  for t in "@HOME@" /etc /opt /var/tmp "$BASE"; do
    k=$((k + 1))
    add write - created -- symlink_write "@SCR@" "$t/$N-@TAG@-s$k"
  done
  for t in "@HOME@" /etc /var/tmp "$OPTDIR/project"; do
    k=$((k + 1))
    add write - "created $t/$N-@TAG@-sd$k" -- symlink_dir "@SCR@" "$t" "$N-@TAG@-sd$k"
  done

  # --- the workspace's protected paths
  for p in git_hook_create git_hook_modify git_hook_rename git_config_write git_config_replace \
    git_config_unlink git_config_hardlink git_hooks_rename git_dir_rename git_commondir; do
    add git git git -- "$p" "@WS@"
  done
  add git git - -- git_hook_chmod "@WS@"  # same mode: nothing for the host check to see
  add git git - -- reopen_rw "@WS@/.git/config"
  add git git - -- setattr "@WS@/.git/config"
  add git git - -- truncate "@WS@/.git/hooks/post-checkout"
  add git git wsprotected -- write "@WS@/.cordon.toml"
  add git git wsprotected -- mkdir "@WS@/.cordon"
  add git+ git - -- write "@WS@/nested/.git/hooks/pre-commit"
  add git+ git - -- append "@WS@/nested/.git/config" "$MARK-append-@TAG@"

  # --- processes outside
  add proc - - -- proc_pid "@SENT@" "$TOKEN"
  add proc - winch -- kill_pid "@SENT@" "$TOKEN"
  add proc rootnc winch -- kill_all
  add proc - - -- proc_fds "@SENT@" "${HOSTNS[pid]}"
  add proc - - -- setns "@SENT@"
  for t in mnt net pid user ipc uts cgroup; do add ns - - -- ns "$t" "${HOSTNS[$t]}"; done
  add proc - - -- ptrace_child
  add proc - - -- process_vm_readv
  add proc - - -- process_vm_writev
  add proc - - -- proc_mem "@SENT@" "${HOSTNS[pid]}"
  add proc - - -- pidfd_getfd
  add proc - orphan -- orphan "@SCR@" "@TAG@-@K@"

  # --- terminals (run under a pseudo-terminal, like an interactive caller)
  add tty tty - -- tiocsti
  add tty tty - -- tiocsti_hibits
  add tty tty - -- tioclinux
  add tty tty - -- tiocsetd
  add tty tty - -- setsid @SID@
  add tty tty - -- pts_open

  # --- mounts and roots
  local hm=${HOSTNS[mnt]}
  add mount ns - -- mount_tmpfs "@SCR@" "$hm"
  add mount ns - -- mount_bind "@SCR@" "$hm"
  add mount ns - -- mount_proc "@SCR@" "$hm"
  for t in / /usr /etc "@WS@/.git/hooks" "@HOME@"; do add mount ns - -- remount_rw "$t" "$hm"; done
  add mount ns - -- mount_setattr / "$hm"
  add mount ns - -- mount_setattr /usr "$hm"
  add mount ns - -- umount /proc "$hm"
  add mount ns - -- umount "@HOME@/.ssh" "$hm"
  add mount ns - -- umount /etc/shadow "$hm"
  add mount ns - -- umount "@WS@/.git/hooks" "$hm"
  add mount ns - -- umount_all "$hm"
  add mount ns - -- move_mount "@WS@/.git/hooks" "@SCR@" "$hm"
  add mount ns - -- move_mount /proc "@SCR@" "$hm"
  add mount - - -- fsopen
  add mount ns - -- open_tree "$hm"
  add mount ns - -- pivot_root "@SCR@" "$hm"
  add mount - - -- chroot "@WS@"

  # --- namespaces
  for t in user mnt net pid ipc uts cgroup time; do add ns - - -- unshare "$t"; done
  for t in user mnt net pid ipc uts cgroup; do add ns - - -- clone_ns "$t"; done
  for t in user mnt net pid ipc uts cgroup time; do add ns - - -- clone3_ns "$t"; done

  # --- kernel interfaces
  for p in bpf keyctl add_key request_key perf_event_open io_uring_setup userfaultfd init_module finit_module \
    kexec_load kexec_file_load reboot personality iopl syslog fanotify settime rt_sched ioprio int80 x32; do
    add kernel - - -- "$p"
  done
  add kernel - - -- swapon "@SCR@"
  add kernel - - -- acct "@SCR@"
  add kernel - - -- mknod "@SCR@" c:1:11
  add kernel - - -- mknod "@SCR@" "$ROOTDEV"

  # --- network
  for t in netlink packet vsock bluetooth alg key xdp can tipc rds llc smc; do add net - - -- socket "$t"; done
  add net - - -- socket_sweep
  add net - - -- socket_hibits
  add net - - -- raw_inet
  add net - listener -- tcp "$TCP_PORT" "@TAG@-@K@"
  add net - listener -- udp "$UDP_PORT" "@TAG@-@K@"
  for t in "$TMP_SOCK" "$RUN_SOCK" "$AGENT_DIR/agent.1" "@HOME@/.cordon-escape.sock" /run/docker.sock \
    /var/run/docker.sock /run/dbus/system_bus_socket /run/systemd/private /run/containerd/containerd.sock; do
    [ -S "$t" ] || [[ $t == *@* ]] || continue
    add net - listener -- unix "$t" "@TAG@-@K@"
  done
  add net - listener -- abstract "$ABSTRACT" "@TAG@-@K@"
  add net once - -- dns
  add net - - -- net_ifaces
  for a in "${EXT_ADDRS[@]}"; do  # the host's other addresses
    add net - listener -- tcp "$TCP_PORT" "@TAG@-@K@" "$a"
    add net - listener -- udp "$UDP_PORT" "@TAG@-@K@" "$a"
  done

  # --- network in allowlist mode: nothing but the proxy leads out, and the proxy refuses the host. proxy_bypass
  # also tries the direct routes (TCP to 127.0.0.1 and the other addresses); socket families and raw sockets are
  # the seccomp filter's, the same in every mode (tests/network covers them in allowlist mode).
  add proxy allow listener -- proxy_bypass "$TCP_PORT" "@TAG@-@K@" "${EXT_ADDRS[@]}"
  [ ${#EXT_ADDRS[@]} -gt 0 ] && add proxy allow listener -- udp "$UDP_PORT" "@TAG@-@K@" "${EXT_ADDRS[0]}"
  add proxy allow listener -- abstract "$ABSTRACT" "@TAG@-@K@"
  add proxy allow,once - -- dns
  add proxy allow - -- net_ifaces

  # --- kernel knobs, devices, hostname
  for t in /proc/sys/kernel/core_pattern /proc/sys/kernel/modprobe /proc/sys/vm/overcommit_memory \
    /proc/sys/kernel/randomize_va_space /proc/sys/fs/protected_symlinks; do
    [ -e "$t" ] && add dev - - -- sysctl_write "$t"
  done
  for t in /proc/sysrq-trigger /sys/kernel/mm/transparent_hugepage/enabled /sys/power/state \
    /sys/kernel/uevent_helper /sys/fs/cgroup/cgroup.procs /sys/fs/cgroup/unified/cgroup.procs \
    /sys/fs/cgroup/pids/release_agent /sys/fs/cgroup/memory/release_agent /sys/class/net/lo/mtu; do
    [ -e "$t" ] && add dev - - -- open_wronly "$t"
  done
  # Device nodes and kernel files present on this host. Never a watchdog (opening arms it), /dev/snapshot
  # (opening prepares hibernation) or a serial console (someone else's line).
  for t in /dev/kmsg /dev/mem /dev/kmem /dev/port /proc/kcore /dev/kvm /dev/fuse /dev/loop-control /dev/loop0 \
    /dev/net/tun /dev/tty0 /dev/tty1 /dev/vcs /dev/vcsa /dev/hwrng /dev/cpu/0/cpuid /dev/cpu/0/msr \
    /dev/btrfs-control /dev/vsock /dev/userfaultfd /dev/autofs /dev/vga_arbiter /dev/zram0 /dev/vda /dev/sda \
    /dev/nvme0n1 /dev/xvda /dev/mapper/control /dev/vhost-net /dev/uinput /dev/dri/card0 /dev/sg0; do
    [ -e "$t" ] && add dev - - -- dev_open "$t"
  done
  add dev - - -- dev_block
  add dev ns hostname -- sethostname "$N" "${HOSTNS[uts]}"
  add dev ns hostname -- setdomainname "$N" "${HOSTNS[uts]}"

  # --- credentials
  for p in caps setuid0 nnp seccomp_mode fds su_exec; do add cred - - -- "$p"; done
  add cred - - -- suid_exec "@WS@/bin/suid-probe"
  add cred - suid -- suid_plant "@SCR@"

  # --- resources
  add res once - -- fork_bomb
  add res once - -- mem_bomb
  add res once - -- mem_bomb_shared
  add res - - -- fsize_bomb "@SCR@"
  add res once - -- fill /tmp
  add res once - -- fill /dev/shm
  add res - - -- core_dump
  add res - - -- rlimit_raise

  # --- IPC
  add ipc - - -- ipc_sysv "$SYSV_KEY"
  add ipc - - -- ipc_mq "$MQ_NAME"
}

# ---------------------------------------------------------------------------------------------------------
# Running one probe

declare -A CFG_NAME=([a]=default [b]=home-ro [c]=user [d]=user-home [host]=host)
declare -A CFG_USER CFG_POLICY
CFG_USER=([a]=root [b]=root [c]=$UNPRIV [d]=$UNPRIV)
CFG_POLICY=([a]="" [b]=$BASE/home-read.toml [c]="" [d]=$BASE/home-read.toml)

subst() {  # subst STRING -> placeholders replaced (uses CUR_* globals)
  local s=$1
  s=${s//@SCR@/$CUR_WS/scratch}
  s=${s//@WS@/$CUR_WS}
  s=${s//@HOME@/$CUR_HOME}
  s=${s//@U@/$CUR_USER}
  s=${s//@SENT@/$CUR_SENT}
  s=${s//@TAG@/$CUR_TAG}
  s=${s//@K@/$CUR_K}
  printf '%s' "$s"
}

# run_probe MODE(control|sandbox) FLAGS OUTFILE ARGS... -> prints the verdict line; sets RUN_RC
run_probe() {
  local mode=$1 flags=$2 out=$3
  shift 3
  local -a inner=("$CUR_WS/bin/cordon-probe" "$@")
  if [ "$mode" = sandbox ]; then
    local -a pol=()
    [ -n "$CUR_POLICY" ] && pol=(--policy "$CUR_POLICY")
    [[ ,$flags, == *,allow,* ]] && pol+=("${ALLOW_ARGS[@]}")
    inner=("$CORDON" run "${pol[@]}" -w "$CUR_WS" -- "${inner[@]}")
  elif [[ ,$flags, == *,ns,* ]] && [ "$CUR_USER" = root ]; then
    inner=(unshare -m -u -i --propagation private -- "${inner[@]}")
  fi
  if [[ ,$flags, == *,tty,* ]]; then
    local cmd
    cmd="exec $(printf '%q ' "${inner[@]}")"
    cmd=${cmd//@SID@/\$\$}
    inner=(script -qec "$cmd" /dev/null)
  fi
  local -a envv=(env -i PATH=$SAFE_PATH HOME="$CUR_HOME" USER="$CUR_USER" LOGNAME="$CUR_USER" SHELL=/bin/bash
    TERM=xterm LANG=C.UTF-8 AWS_SECRET_ACCESS_KEY="$ENVMARK" GITHUB_TOKEN="$ENVMARK"
    OPENAI_API_KEY="$ENVMARK" DATABASE_URL="postgres://u:$ENVMARK@db/x" SSH_AUTH_SOCK="$AGENT_DIR/agent.1")
  local -a cmd=(timeout -k 5 150 "${envv[@]}" "${inner[@]}")
  [ "$CUR_USER" != root ] && cmd=(timeout -k 5 150 runuser -u "$CUR_USER" -- "${envv[@]}" "${inner[@]}")
  # fds 7 and 8 are leaked on purpose: the sandbox must close them.
  (cd "$CUR_WS" && "${cmd[@]}" 7</etc/hostname 8</ </dev/null >"$out" 2>"$out.err")
  RUN_RC=$?
  local line
  line=$(tr -d '\r' <"$out" | grep -oE '(BLOCKED|ESCAPED|SKIPPED|ERROR) [a-z0-9_]+: .*' | tail -1)
  if [ -z "$line" ]; then
    local why
    why=$(tr -d '\r' <"$out.err" | grep -v '^$' | tail -1 | cut -c1-150)
    case $RUN_RC in
      159) line="BLOCKED $1: killed by SIGSYS (seccomp)" ;;
      137) if grep -q 'reached its memory limit' "$out.err"; then
             line="BLOCKED $1: killed at the sandbox's memory limit (cgroup)"
           else
             line="ERROR $1: killed by SIGKILL (rc 137) ${why}"
           fi ;;
      124) line="ERROR $1: timed out" ;;
      *) line="ERROR $1: no verdict (rc $RUN_RC) ${why}" ;;
    esac
  fi
  printf '%s' "$line"
}

# Host-side checks after a run; may replace the verdict. Prints the (possibly new) line.
verify_case() {  # verify_case VERIFY LINE ARGS...
  local v=$1 line=$2
  shift 2
  local verdict=${line%% *} probe=$1 target=""
  case $v in
    - | "") ;;
    created | "created "*)
      if [ "$v" = created ]; then
        target=${!#}                             # the last argument
        [ "$probe" = symlink_write ] && target=$3
      else
        target=${v#created }
      fi
      target=$(subst "$target")
      if [ -e "$target" ] || [ -L "$target" ]; then
        [[ $target == "$CUR_WS"/* ]] || line="ESCAPED $probe: the host sees $target"
        rm -rf "$target"
      elif [ "$verdict" = ESCAPED ]; then
        line="BLOCKED $probe: created only in a private view (the host does not see $target)"
      fi
      ;;
    wsprotected)
      target=${!#}
      if [ -e "$target" ] || [ -L "$target" ]; then
        line="ESCAPED $probe: the protected path $target now exists on the host"
        rm -rf "$target"
      elif [ "$verdict" = ESCAPED ]; then
        line="BLOCKED $probe: undone by cordon's workspace guard when the run ended ($target is gone)"
      fi
      ;;
    "appended "*)
      target=$(subst "${v#appended }")
      if grep -qF "$MARK-append-$CUR_TAG" "$target" 2>/dev/null; then
        line="ESCAPED $probe: the host file $target was modified"
      elif [ "$verdict" = ESCAPED ]; then
        line="BLOCKED $probe: appended only to a private copy (host $target unchanged)"
      fi
      restore_file "$target"
      ;;
    "victim "*)
      target=$(subst "${v#victim }")
      if ! [ -e "$target" ]; then
        line="ESCAPED $probe: $target is gone on the host"
      elif [ "$verdict" = ESCAPED ]; then
        line="BLOCKED $probe: removed only a private copy (host $target intact)"
      fi
      plant_victims "$CUR_USER"
      ;;
    winch)
      sleep 0.5  # the sentinel runs its trap between two sleeps
      if [ -s "${WINCH_FILE[$CUR_USER]}" ] || [ -s "${WINCH_FILE[root]}" ]; then
        line="ESCAPED $probe: the host sentinel received the signal"
      fi
      rm -f "${WINCH_FILE[root]}" "${WINCH_FILE[$UNPRIV]}"
      ;;
    orphan)
      sleep 4  # the grandchild writes 2 s after it starts
      target="$CUR_WS/scratch/cordon-escape-orphan-$CUR_TAG-$CUR_K"
      if [ -e "$target" ]; then
        line="ESCAPED $probe: a process outlived the sandbox and wrote $target"
        rm -f "$target"
      fi
      ;;
    listener)
      if grep -qE " cordon-escape $CUR_TAG-$CUR_K\$" "$STATE/serve.log" 2>/dev/null; then
        line="ESCAPED $probe: the host listener logged the contact"
      fi
      ;;
    hostname)
      if [ "$(hostname)" != "$HOSTNAME0" ] || [ "$(cat /proc/sys/kernel/domainname 2>/dev/null || echo '(none)')" != "$DOMAINNAME0" ]; then
        line="ESCAPED $probe: the host's hostname/domainname changed"
        hostname "$HOSTNAME0"
        [ "$DOMAINNAME0" = "(none)" ] || echo "$DOMAINNAME0" >/proc/sys/kernel/domainname
      fi
      ;;
    suid)
      target="$CUR_WS/scratch/cordon-escape-suid-plant"
      if [ -e "$target" ]; then
        local st
        st=$(stat -c '%u %a' "$target")
        if [ "${st%% *}" = 0 ] && [ $((8#${st#* } & 06000)) -ne 0 ]; then
          line="ESCAPED $probe: the host sees a root-owned setuid/setgid file (mode ${st#* }) in the workspace"
        else
          line="BLOCKED $probe: host sees owner uid ${st%% *} mode ${st#* } (no root setuid file)"
        fi
        rm -f "$target"
      fi
      ;;
    git)
      local diffs
      diffs=$(git_changes)
      if [ -n "$diffs" ]; then
        line="ESCAPED $probe: on the host: $diffs"
      elif [ "$verdict" = ESCAPED ]; then
        line="BLOCKED $probe: the host's .git is unchanged"
      fi
      ;;
  esac
  printf '%s' "$line"
}

# What a git probe changed, as git outside sees it.
git_changes() {
  local tpl="$STATE/git-template-$CUR_USER" out=""
  [ -e "$CUR_WS/.git.cordon-old" ] && out+="the .git directory was replaced; "
  if ! cmp -s "$tpl/config" "$CUR_WS/.git/config" 2>/dev/null; then out+=".git/config changed; "; fi
  if ! diff -rq "$tpl/hooks" "$CUR_WS/.git/hooks" >/dev/null 2>&1; then out+=".git/hooks changed; "; fi
  local hp
  hp=$(git -c safe.directory='*' -C "$CUR_WS" config --get core.hooksPath 2>/dev/null)
  [ -n "$hp" ] && out+="git now runs hooks from $hp; "
  [ -e "$CUR_WS/.git/commondir" ] && out+=".git/commondir exists; "
  printf '%s' "$out"
}

declare -A BACKUP
backup_file() {  # keep a copy of files an append probe targets
  local f=$1 b
  [ -f "$f" ] || return 0
  [ -n "${BACKUP[$f]:-}" ] && return 0
  b="$STATE/backup-$(printf '%s' "$f" | sha1sum | cut -c1-16)"
  cp -a "$f" "$b"
  BACKUP[$f]=$b
}
restore_file() {
  local f=$1
  [ -n "${BACKUP[$f]:-}" ] || return 0
  cmp -s "${BACKUP[$f]}" "$f" || cp -a "${BACKUP[$f]}" "$f"
}

# ---------------------------------------------------------------------------------------------------------
# Main loop

declare -A CONTROL_CACHE
ROWS=()
N_BLOCKED=0 N_ESCAPED=0 N_SKIPPED=0 N_ERROR=0 N_SANE_FAIL=0 N_UNCAL=0 N_XFAIL=0
XFAIL=${ESCAPE_XFAIL:-}
declare -A ESC_BY_CLASS
ESCAPE_LINES=()

short() {  # shorten paths for the table
  local s=$1
  s=${s//$CUR_WS/\{ws\}}
  s=${s//$CUR_HOME/\~}
  s=${s//$BASE/\{base\}}
  s=${s//$MARK/MARK}
  s=${s//$ENVMARK/ENVMARK}
  s=${s//$WSMARK/WSMARK}
  s=${s//$TOKEN/TOKEN}
  printf '%s' "$s"
}

record() {  # record CFG CLASS ARGS CONTROL LINE
  local cfg=$1 class=$2 args=$3 control=$4 line=$5 result
  local verdict=${line%% *}
  local detail=${line#* }
  detail=${detail#*: }
  if [ "$class" = sanity ]; then
    if [ "$verdict" = ESCAPED ]; then result=ALLOWED; else result=SANE-FAIL; N_SANE_FAIL=$((N_SANE_FAIL + 1)); fi
  else
    result=$verdict
    if [ "$verdict" = ESCAPED ] && [ -n "$XFAIL" ] && [[ "$cfg $(short "$args")" =~ $XFAIL ]]; then
      verdict=XFAIL result=XFAIL
    fi
    case $verdict in
      XFAIL) N_XFAIL=$((N_XFAIL + 1)); ESCAPE_LINES+=("$cfg:${CFG_NAME[$cfg]:-host} [$class] (XFAIL) $(short "$args") => $(short "$detail")") ;;
      BLOCKED) N_BLOCKED=$((N_BLOCKED + 1)) ;;
      ESCAPED)
        N_ESCAPED=$((N_ESCAPED + 1))
        ESC_BY_CLASS[$class]=$((${ESC_BY_CLASS[$class]:-0} + 1))
        ESCAPE_LINES+=("$cfg:${CFG_NAME[$cfg]:-host} [$class] $(short "$args") => $(short "$detail")")
        ;;
      SKIPPED) N_SKIPPED=$((N_SKIPPED + 1)) ;;
      *) N_ERROR=$((N_ERROR + 1)); result=ERROR ;;
    esac
  fi
  local row
  row=$(printf '%-2s %-8s %-60.60s %-7s %-9s %s' "$cfg" "$class" "$(short "$args")" "$control" "$result" "$(short "$detail")")
  ROWS+=("$row")
  [ "${ESCAPE_VERBOSE:-0}" = 1 ] && echo "$row"
}

control_label() {  # sets CONTROL
  case ${1%% *} in
    ESCAPED) CONTROL=ok ;;
    BLOCKED) CONTROL=uncal; N_UNCAL=$((N_UNCAL + 1)) ;;
    SKIPPED) CONTROL=skip ;;
    *) CONTROL=err ;;
  esac
}

for cfg in $CONFIGS; do
  [ -n "${CFG_NAME[$cfg]:-}" ] || { log "unknown configuration $cfg"; exit 2; }
  CUR_USER=${CFG_USER[$cfg]}
  CUR_HOME=${HOME_OF[$CUR_USER]}
  CUR_WS=${WS_OF[$CUR_USER]}
  CUR_POLICY=${CFG_POLICY[$cfg]}
  CUR_SENT=${SENTINEL[$CUR_USER]}
  build_cases "$cfg"
  log "configuration $cfg (${CFG_NAME[$cfg]}): ${#C_ARGS[@]} cases as $CUR_USER"
  for i in "${!C_ARGS[@]}"; do
    IFS=$'\x1f' read -r -a raw <<<"${C_ARGS[$i]}"
    class=${C_CLASS[$i]} flags=${C_FLAGS[$i]} verify=${C_VERIFY[$i]}
    CUR_K=$i
    args=()
    for a in "${raw[@]}"; do
      CUR_TAG="$cfg"
      args+=("$(subst "$a")")
    done
    argstr="${args[*]}"
    for a in "${args[@]}"; do
      [[ $a == "$CUR_HOME"/* || $a == "$ETCV"-* || $a == "$OPTDIR"/* ]] && backup_file "$a"
    done

    # Control: natively, as the same user (cached: the same arguments give the same answer).
    control=-
    if [[ ,$flags, != *,nc,* ]] && ! { [[ ,$flags, == *,rootnc,* ]] && [ "$CUR_USER" = root ]; }; then
      key="$CUR_USER|$argstr"
      [[ ,$flags, == *,once,* ]] && key="once|$argstr"
      if [ -z "${CONTROL_CACHE[$key]:-}" ]; then
        [[ ,$flags, == *,git,* ]] && reset_git "$CUR_WS" "$CUR_USER"
        CUR_TAG="control-$cfg"
        cargs=()
        for a in "${raw[@]}"; do cargs+=("$(subst "$a")"); done
        cline=$(run_probe control "$flags" "$STATE/out" "${cargs[@]}")
        cline=$(verify_case "$verify" "$cline" "${cargs[@]}")
        CONTROL_CACHE[$key]=$cline
        [[ ,$flags, == *,git,* ]] && reset_git "$CUR_WS" "$CUR_USER"
      fi
      if [ "$class" = sanity ]; then control=ok; else control_label "${CONTROL_CACHE[$key]}"; control=$CONTROL; fi
    fi

    # The attack, inside cordon.
    [[ ,$flags, == *,git,* ]] && reset_git "$CUR_WS" "$CUR_USER"
    CUR_TAG="$cfg"
    sline=$(run_probe sandbox "$flags" "$STATE/out" "${args[@]}")
    sline=$(verify_case "$verify" "$sline" "${args[@]}")
    [[ ,$flags, == *,git,* ]] && reset_git "$CUR_WS" "$CUR_USER"
    record "$cfg" "$class" "$argstr" "$control" "$sline"
  done
done

# ---------------------------------------------------------------------------------------------------------
# From outside, after everything

CUR_WS=$BASE CUR_HOME=/nonexistent
host_check() {  # host_check NAME OK(0/1) DETAIL
  if [ "$2" = 0 ]; then
    record host host "$1" - "BLOCKED $1: $3"
  else
    record host host "$1" - "ESCAPED $1: $3"
  fi
}
for u in root "$UNPRIV"; do  # restore what the controls changed on purpose, then compare
  for f in "${!BACKUP[@]}"; do restore_file "$f"; done
  plant_victims "$u"
done
SNAP_AFTER=$(canary_snapshot)
if [ "$SNAP_BEFORE" = "$SNAP_AFTER" ]; then
  host_check canaries-unchanged 0 "every planted file has its checksum, mode and owner"
else
  host_check canaries-unchanged 1 "$(diff <(echo "$SNAP_BEFORE") <(echo "$SNAP_AFTER") | grep '^[<>]' | head -3 | tr '\n' ' ')"
fi
LEFT_AFTER=$(leftovers)
if [ "$LEFT_BEFORE" = "$LEFT_AFTER" ]; then
  host_check no-new-files 0 "no probe-made file outside the workspaces"
else
  host_check no-new-files 1 "new: $(comm -13 <(echo "$LEFT_BEFORE") <(echo "$LEFT_AFTER") | head -5 | tr '\n' ' ')"
fi
if [ "$(hostname)" = "$HOSTNAME0" ]; then
  host_check hostname-unchanged 0 "hostname is $HOSTNAME0"
else
  host_check hostname-unchanged 1 "hostname became $(hostname)"
  hostname "$HOSTNAME0"
fi
for u in root "$UNPRIV"; do
  if kill -0 "${SENTINEL[$u]}" 2>/dev/null; then
    host_check "sentinel-alive-$u" 0 "sentinel ${SENTINEL[$u]} alive"
  else
    host_check "sentinel-alive-$u" 1 "sentinel ${SENTINEL[$u]} is gone"
  fi
done
if grep -qE 'cordon-escape [a-d]-' "$STATE/serve.log" 2>/dev/null; then
  host_check listeners-untouched 1 "$(grep -E 'cordon-escape [a-d]-' "$STATE/serve.log" | head -3 | tr '\n' ' ')"
else
  host_check listeners-untouched 0 "no sandboxed contact on the host listeners"
fi
if kill -0 "$SERVE_PID" 2>/dev/null; then :; else log "the host listener died during the run"; N_ERROR=$((N_ERROR + 1)); fi

# ---------------------------------------------------------------------------------------------------------
# Report

echo
echo "escape suite: cordon=$CORDON probe=$PROBE_BIN configs=\"$CONFIGS\" user=$UNPRIV"
echo "configs: a=default(root) b=home-ro(root, read=[\"~\"]) c=user($UNPRIV) d=user-home($UNPRIV, read=[\"~\"])"
echo "control: ok = ESCAPED natively (calibrated), uncal = BLOCKED natively, - = no control"
echo "classes: secret = the contract's deny list; secret+ = other credential stores; env = .env outside the"
echo "  workspace; home = private home; git = protected workspace paths; git+ = nested repositories;"
echo "  proxy = network in allowlist mode (cordon's proxy on 127.0.0.1:3128: ${ALLOW_ARGS[*]})"
printf '%-2s %-8s %-60s %-7s %-9s %s\n' cf class attack control result detail
for r in "${ROWS[@]}"; do echo "$r"; done
echo
if [ ${#ESCAPE_LINES[@]} -gt 0 ]; then
  echo "ESCAPES:"
  for e in "${ESCAPE_LINES[@]}"; do echo "  $e"; done
  printf 'escapes by class:'
  for c in "${!ESC_BY_CLASS[@]}"; do printf ' %s=%s' "$c" "${ESC_BY_CLASS[$c]}"; done
  echo
fi
[ $N_SANE_FAIL -gt 0 ] && echo "SANITY FAILURES: $N_SANE_FAIL (the sandbox refused something it must allow)"
[ $N_ERROR -gt 0 ] && echo "ERRORS: $N_ERROR runs gave no verdict"
echo "uncalibrated attacks (blocked natively too): $N_UNCAL"
[ $N_XFAIL -gt 0 ] && echo "known escapes (ESCAPE_XFAIL): $N_XFAIL"
echo "escape: $N_BLOCKED blocked, $N_ESCAPED escaped, $N_SKIPPED skipped"

status=0
[ $N_ESCAPED -gt 0 ] && status=1
[ $N_ERROR -gt 0 ] && status=1
[ $N_SANE_FAIL -gt 0 ] && status=1
[ -z "$ONLY" ] && [ $N_BLOCKED -lt 30 ] && { echo "escape: fewer than 30 attacks blocked"; status=1; }
exit $status
