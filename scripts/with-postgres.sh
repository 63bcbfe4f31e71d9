#!/usr/bin/env bash
# Usage: scripts/with-postgres.sh CMD [ARGS...]
#
# Runs CMD with a private, throw-away PostgreSQL 15 server: a fresh data directory under a
# temporary directory, listening on 127.0.0.1 at a free port (its unix socket in the temporary
# directory), trust authentication, database "ihos_test". CMD sees
#   IHOS_TEST_PG=postgresql://USER@127.0.0.1:PORT/ihos_test
# The server is stopped and the directory removed afterwards, also when CMD fails or the
# script is interrupted; the exit status is CMD's. Quiet unless something goes wrong (the
# server log is printed when the server does not start).
#
# As root the server runs as the "postgres" system user (PostgreSQL refuses to run as root)
# and USER is postgres; otherwise it runs as the calling user, and USER is that user.
# Installing PostgreSQL is not this script's job (see the Makefile).
set -euo pipefail

if [[ $# -eq 0 ]]; then
  echo "usage: $0 CMD [ARGS...]" >&2
  exit 2
fi

PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
if [[ ! -x "$PGBIN/postgres" || ! -x "$PGBIN/initdb" || ! -x "$PGBIN/pg_ctl" ]]; then
  echo "with-postgres: PostgreSQL 15 binaries not found in $PGBIN (install postgresql-15)" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-pg.XXXXXX")
data="$tmp/data"
log="$tmp/server.log"
started=0

if [[ $(id -u) -eq 0 ]]; then
  if ! id postgres >/dev/null 2>&1; then
    echo "with-postgres: running as root but there is no 'postgres' user to run the server" >&2
    rm -rf "$tmp"
    exit 1
  fi
  chown postgres: "$tmp"
  chmod 700 "$tmp"
  pguser=postgres
  as_pg() { (cd "$tmp" && runuser -u postgres -- "$@"); }
else
  pguser=$(id -un)
  as_pg() { (cd "$tmp" && "$@"); }
fi

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if [[ $started -eq 1 ]]; then
    as_pg "$PGBIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 || {
      # pg_ctl could not stop it: end this server (its own postmaster PID) and nothing else.
      if [[ -f "$data/postmaster.pid" ]]; then
        kill -QUIT "$(head -n 1 "$data/postmaster.pid")" 2>/dev/null || true
      fi
    }
  fi
  rm -rf "$tmp"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

fail() {
  echo "with-postgres: $1" >&2
  if [[ -n ${2:-} && -f $2 ]]; then
    echo "---- $2 ----" >&2
    cat "$2" >&2
  fi
  exit 1
}

# C.UTF-8 sorts by code point and is built into glibc; fall back to C where it is missing.
if ! as_pg "$PGBIN/initdb" -D "$data" -U "$pguser" --auth=trust -E UTF8 --locale=C.UTF-8 \
    --no-sync >"$tmp/initdb.log" 2>&1; then
  rm -rf "$data"
  as_pg "$PGBIN/initdb" -D "$data" -U "$pguser" --auth=trust -E UTF8 --locale=C --no-sync \
    >"$tmp/initdb.log" 2>&1 || fail "initdb failed" "$tmp/initdb.log"
fi

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# The port is free when picked but could be taken before the server binds it: try a few.
for attempt in 1 2 3 4 5; do
  port=$(free_port)
  : >"$log"
  [[ $(id -u) -eq 0 ]] && chown postgres: "$log"
  if as_pg "$PGBIN/pg_ctl" -D "$data" -l "$log" -w -t 60 -s \
      -o "-c listen_addresses=127.0.0.1 -p $port -k $tmp -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
      start >/dev/null 2>&1; then
    started=1
    break
  fi
  if [[ -f "$data/postmaster.pid" ]]; then
    started=1  # it half-started; let cleanup stop it
    fail "PostgreSQL did not become ready" "$log"
  fi
  if [[ $attempt -eq 5 ]]; then
    fail "PostgreSQL did not start" "$log"
  fi
done

as_pg "$PGBIN/psql" -X -q -h "$tmp" -p "$port" -U "$pguser" -d postgres -v ON_ERROR_STOP=1 \
  -c "CREATE DATABASE ihos_test" >"$tmp/createdb.log" 2>&1 ||
  fail "cannot create database ihos_test" "$tmp/createdb.log"

export IHOS_TEST_PG="postgresql://$pguser@127.0.0.1:$port/ihos_test"

# CMD runs in the background so that a TERM or INT sent to this script is handled at once
# (bash defers traps while a foreground child runs): it is passed on to CMD as TERM (a
# background child of a non-interactive shell ignores INT), and the EXIT trap still stops the
# server. `<&0` keeps CMD's stdin, which would otherwise be /dev/null.
"$@" <&0 &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
status=0
while :; do
  wait "$child" && status=0 || status=$?
  kill -0 "$child" 2>/dev/null || break  # wait was only interrupted by a signal
done
exit "$status"
