#!/usr/bin/env bash
# Prints a PostgreSQL URL for the storage tests (stdout), starting a throwaway cluster of Debian's
# PostgreSQL on 127.0.0.1; installs the package first when it is missing and we are root.
# Prints nothing (and says why on stderr) when that cannot be done: the PostgreSQL tests then skip.
set -u
PORT=${SALESOPT_PG_PORT:-55432}
DIR=${SALESOPT_PG_DIR:-/tmp/salesopt-pg}
say() { echo "postgres-for-tests: $*" >&2; }

if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing Debian's postgresql"
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >/dev/null 2>&1 \
      || { say "could not install postgresql; the PostgreSQL tests skip"; exit 0; }
  else
    say "PostgreSQL is not installed (sudo apt-get install postgresql); the PostgreSQL tests skip"; exit 0
  fi
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
as_owner() {
  if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$1"; else sh -c "$1"; fi
}
if [ -f "$DIR/data/postmaster.pid" ] && as_owner "$BIN/pg_ctl -D $DIR/data status" >/dev/null 2>&1; then
  echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"; exit 0
fi
rm -rf "$DIR" && mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres "$DIR"
if as_owner "$BIN/initdb -D $DIR/data -A trust -U postgres" >/dev/null 2>&1 \
   && as_owner "$BIN/pg_ctl -D $DIR/data -o \"-p $PORT -k $DIR -c listen_addresses=127.0.0.1\" -l $DIR/log -w start" >/dev/null 2>&1; then
  echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
else
  say "could not start PostgreSQL (see $DIR/log); the PostgreSQL tests skip"
fi
