#!/usr/bin/env bash
# A private PostgreSQL + PostGIS cluster for benchmarks and test oracles. It never touches the
# system cluster: its own data directory, its own port, a Unix socket only (no TCP), trust auth,
# durability off (the data is scratch).
#   scripts/pg-cluster.sh start    initialise if needed, start, create db + postgis; prints the
#                                  libpq connection string
#   scripts/pg-cluster.sh url      prints the connection string
#   scripts/pg-cluster.sh stop     stops the cluster (the data directory stays)
#   scripts/pg-cluster.sh destroy  stops it and removes the data directory
# Environment: WANGGE_PG_DIR (default ${TMPDIR:-/tmp}/wangge-pg), WANGGE_PG_PORT (default 55432).
# Needs postgresql-15 and postgresql-15-postgis-3 (scripts/setup.sh installs them). As root, the
# server runs as the `postgres` user (PostgreSQL refuses to run as root).
set -euo pipefail

dir=${WANGGE_PG_DIR:-${TMPDIR:-/tmp}/wangge-pg}
port=${WANGGE_PG_PORT:-55432}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "pg-cluster.sh: PostgreSQL server binaries not found (scripts/setup.sh)" >&2; exit 3; }
url="host=$dir port=$port user=wangge dbname=wangge"

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

running() { as_owner "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; }

case "${1:-}" in
  start)
    if [ ! -f "$dir/PG_VERSION" ]; then
      mkdir -p "$dir"
      [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
      as_owner "$bin/initdb" -D "$dir" -A trust -U wangge -E UTF8 --no-sync >/dev/null
    fi
    if ! running; then
      as_owner "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w -o \
        "-p $port -k $dir -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=512MB -c work_mem=64MB -c maintenance_work_mem=512MB" \
        start >/dev/null
    fi
    as_owner "$bin/psql" -q -h "$dir" -p "$port" -U wangge -d postgres -tAc \
      "SELECT 1 FROM pg_database WHERE datname = 'wangge'" | grep -q 1 ||
      as_owner "$bin/createdb" -h "$dir" -p "$port" -U wangge wangge
    as_owner "$bin/psql" -q -h "$dir" -p "$port" -U wangge -d wangge -c \
      "CREATE EXTENSION IF NOT EXISTS postgis" >/dev/null
    echo "$url"
    ;;
  url) echo "$url" ;;
  stop) if running; then as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi ;;
  destroy)
    if running; then as_owner "$bin/pg_ctl" -D "$dir" -m fast -w stop >/dev/null; fi
    rm -rf "$dir"
    ;;
  *) echo "usage: $0 start|url|stop|destroy" >&2; exit 2 ;;
esac
