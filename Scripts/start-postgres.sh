#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the mapping-store tests and prints its URL on stdout:
#
#   URL=$(bash Scripts/start-postgres.sh)          # postgresql://postgres@127.0.0.1:54329/dicom_deid_test
#   DICOM_DEID_TEST_POSTGRES_URL=$URL swift test --filter MappingStoreTests
#   bash Scripts/start-postgres.sh --stop          # stops the server (the data folder stays, for reuse)
#   bash Scripts/start-postgres.sh --stop --purge  # stops it and removes the data folder
#
# The cluster lives in /tmp/dicom-deid-postgres (override with DICOM_DEID_POSTGRES_DIR), listens on 127.0.0.1
# port 54329 (DICOM_DEID_POSTGRES_PORT) only, with its socket in the same folder, and trusts every local
# connection: it is for tests, never for real mappings. Idempotent: a running server is reused, a stopped one
# restarted. As root, the server runs as the `postgres` user (created by Debian's postgresql package) through
# runuser, since PostgreSQL refuses to run as root. Needs the postgresql package (initdb, pg_ctl).
set -euo pipefail

DIR=${DICOM_DEID_POSTGRES_DIR:-/tmp/dicom-deid-postgres}
PORT=${DICOM_DEID_POSTGRES_PORT:-54329}
DB=dicom_deid_test
DATA=$DIR/data
LOG=$DIR/server.log

bindir=""
for candidate in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
  if [ -x "$candidate/initdb" ]; then bindir=$candidate; break; fi
done
if [ -z "$bindir" ] && command -v initdb >/dev/null; then bindir=$(dirname "$(command -v initdb)"); fi
if [ -z "$bindir" ]; then
  echo "start-postgres.sh: initdb not found; install the postgresql package (Scripts/setup.sh)" >&2
  exit 1
fi

# Run as the cluster owner: the postgres user when we are root, ourselves otherwise.
as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if [ "${1:-}" = "--stop" ]; then
  if [ -f "$DATA/PG_VERSION" ] && as_owner "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$DATA" -m fast -w stop >/dev/null
  fi
  if [ "${2:-}" = "--purge" ]; then rm -rf "$DIR"; fi
  exit 0
fi

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "start-postgres.sh: running as root but there is no postgres user to run the server" >&2
  exit 1
fi

mkdir -p "$DIR"
if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
chmod 700 "$DIR"

if [ ! -f "$DATA/PG_VERSION" ]; then
  rm -rf "$DATA"
  as_owner "$bindir/initdb" -D "$DATA" -U postgres --auth=trust --encoding=UTF8 --locale=C >"$DIR/initdb.log" 2>&1 \
    || { echo "start-postgres.sh: initdb failed, see $DIR/initdb.log" >&2; exit 1; }
fi

if ! as_owner "$bindir/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
  as_owner "$bindir/pg_ctl" -D "$DATA" -l "$LOG" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $PORT -k $DIR -c max_connections=100 -c fsync=on" start >/dev/null \
    || { echo "start-postgres.sh: the server did not start, see $LOG" >&2; exit 1; }
fi

if ! as_owner "$bindir/psql" -h 127.0.0.1 -p "$PORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$DB'" | grep -q 1; then
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$PORT" -U postgres "$DB"
fi

echo "postgresql://postgres@127.0.0.1:$PORT/$DB"
