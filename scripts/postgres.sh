#!/usr/bin/env bash
# A throwaway PostgreSQL server on 127.0.0.1 for the audit tests (the postgres:// sink).
#   scripts/postgres.sh start DIR   initdb into DIR, start the server on a free port, create the role and
#                                   database cordon_test; prints the conninfo (postgresql://…) on stdout
#   scripts/postgres.sh stop DIR    stop it (DIR is left for the caller to remove)
# As root the server runs as the `postgres` user (initdb refuses root); otherwise as the caller.
set -euo pipefail
cmd=${1:?usage: postgres.sh start|stop DIR} dir=${2:?usage: postgres.sh start|stop DIR}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[[ -x $bin/pg_ctl ]] || { echo "postgres.sh: no PostgreSQL server installed (scripts/install-deps.sh)" >&2; exit 1; }
as_owner() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}
case $cmd in
  start)
    mkdir -p "$dir"
    [[ $(id -u) -eq 0 ]] && chown postgres: "$dir"
    port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    password=$(od -An -N12 -tx1 /dev/urandom | tr -d ' \n')
    as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync >/dev/null
    # Local (socket) connections for this script only; TCP needs the password.
    printf 'local all postgres trust\nhost all all 127.0.0.1/32 scram-sha-256\n' > "$dir/data/pg_hba.conf"
    as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/log" -w -t 60 \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off" start >/dev/null
    as_owner psql -h "$dir" -p "$port" -U postgres -q -v ON_ERROR_STOP=1 \
      -c "CREATE ROLE cordon_test LOGIN PASSWORD '$password'" -c "CREATE DATABASE cordon_test OWNER cordon_test" >/dev/null
    echo "postgresql://cordon_test:$password@127.0.0.1:$port/cordon_test"
    ;;
  stop)
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    ;;
  *) echo "postgres.sh: unknown command $cmd" >&2; exit 2 ;;
esac
