#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster with pg_cron preloaded, for tests and local tries.
# Source it and call pg_start / pg_stop, or run `scripts/pg-cluster.sh -- COMMAND...` to run a
# command with DATABASE_URL set and the cluster stopped afterwards, whatever happens.
#
# The cluster lives in a new temporary directory, listens on 127.0.0.1 on a free port and on a
# Unix socket in that directory, trusts local connections, and runs as a non-root user
# (`matview_pg`, created when we are root, since PostgreSQL refuses to run as root). fsync is
# off (tests need no durability) unless PG_FSYNC=on: benchmarks of the write path want commits
# that reach the disk, as in production.
# `matview dev` starts the same cluster in Swift (Sources/MatviewLive/Dev/ThrowawayPostgres.swift): keep the two alike.

PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}
PG_TEST_DATABASE=${PG_TEST_DATABASE:-matview_test}

_pg_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u matview_pg -- "$@"; else "$@"; fi
}

pg_start() {
  if [ "$(id -u)" -eq 0 ] && ! id matview_pg >/dev/null 2>&1; then
    useradd --system --no-create-home --shell /usr/sbin/nologin matview_pg
  fi
  PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/matview-pg.XXXXXX")
  chmod 755 "$PG_DIR"
  [ "$(id -u)" -eq 0 ] && chown matview_pg "$PG_DIR"
  PG_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  _pg_run "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >"$PG_DIR/initdb.log" 2>&1 \
    || { cat "$PG_DIR/initdb.log" >&2; return 1; }
  # Everyone is trusted, except one role that must give a password: tests use it to see how a
  # failed login is reported.
  { echo "host all matview_password_user 127.0.0.1/32 scram-sha-256"; cat "$PG_DIR/data/pg_hba.conf"; } > "$PG_DIR/pg_hba.conf"
  _pg_run cp "$PG_DIR/pg_hba.conf" "$PG_DIR/data/pg_hba.conf"
  _pg_server_start || return 1
  psql -X -q -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres -v ON_ERROR_STOP=1 -c "CREATE DATABASE $PG_TEST_DATABASE" >/dev/null
  export DATABASE_URL="postgres://postgres@127.0.0.1:$PG_PORT/$PG_TEST_DATABASE"
  export PG_DIR PG_PORT
  echo "PostgreSQL $(psql -X -At "$DATABASE_URL" -c 'SHOW server_version') on 127.0.0.1:$PG_PORT (data in $PG_DIR), pg_cron preloaded" >&2
}

# Starts the server of $PG_DIR on $PG_PORT (pg_start, and pg_resume after pg_pause).
# The server outlives this shell, so it must not inherit the caller's descriptors beyond the
# standard three: a parent that waits for them to close (Foundation's Process does, to learn that
# its child exited) would otherwise wait for the server to stop.
_pg_server_start() {
  (
    for fd in $(ls "/proc/$BASHPID/fd"); do [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done 2>/dev/null
    _pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 60 start -o \
      "-c port=$PG_PORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_DIR -c shared_preload_libraries=pg_cron -c cron.database_name=$PG_TEST_DATABASE -c fsync=${PG_FSYNC:-off}" \
      >/dev/null
  ) || { cat "$PG_DIR/server.log" >&2; return 1; }
}

# Stops the server but keeps its data, and pg_resume starts it again on the same port: for tests
# of what clients do while the database is down (PG_DIR and PG_PORT as pg_start exported them).
pg_pause() {
  _pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null
}

pg_resume() {
  _pg_server_start
}

pg_stop() {
  [ -n "${PG_DIR:-}" ] || return 0
  _pg_run "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$PG_DIR"
  unset PG_DIR DATABASE_URL
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  [ "${1:-}" = "--" ] && shift
  pg_start
  trap pg_stop EXIT
  "$@"
fi
