#!/usr/bin/env bash
# PostGIS oracle for `wangge check`: the usual SQL recipe for coverage defects, run on the same
# data in a private PostgreSQL/PostGIS cluster (127.0.0.1 only, in a temporary directory, stopped
# and removed on exit), for the oracle test (tests/core/coverage/postgis_oracle_test.cc, label
# `postgis`) and the benchmark (bench/coverage).
#
#   scripts/postgis-oracle.sh DATASET.gpkg OUT.csv [TIMING.txt]
#
# DATASET is a GeoPackage in wangge's default layout: one layer per level named after it (city,
# district, town, community, grid, unit; absent ones are skipped), fields code, parent, name.
# For every level with a parent level it computes, per parent group (children grouped by their
# declared parent code):
#   overlap_m2  sum over sibling pairs whose interiors intersect (ST_Relate '2********') of the
#               geodesic area of their intersection;
#   gap_m2      geodesic area of the parent minus the union of its children;
# and writes OUT.csv: level,parent,overlap_m2,gap_m2 (one row per parent, sorted).
# Invalid polygons are repaired with ST_MakeValid first (the recipe fails on them otherwise);
# their codes go to OUT.csv.invalid so that comparisons can leave their groups out.
# TIMING.txt gets `postgis_seconds=<wall time of the two queries>` (loading excluded).
#
# Needs postgresql-15, postgresql-15-postgis-3 and gdal-bin (scripts/setup.sh). Run as root (the
# server then runs as the postgres user) or as an ordinary user.
set -euo pipefail

if [[ $# -lt 2 ]]; then
  sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'
  exit 2
fi
dataset=$(realpath "$1")
out=$2
timing=${3:-}
bin=/usr/lib/postgresql/15/bin
[[ -x $bin/initdb ]] || { echo "postgis-oracle: $bin/initdb not found (install postgresql-15)" >&2; exit 3; }
[[ -r $dataset ]] || { echo "postgis-oracle: cannot read $dataset" >&2; exit 3; }

work=$(mktemp -d "${TMPDIR:-/tmp}/wangge-postgis.XXXXXX")
as_server() {
  if [[ $(id -u) -eq 0 ]]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
cleanup() {
  if [[ -f $work/data/postmaster.pid ]]; then
    as_server "$bin/pg_ctl -D '$work/data' -m immediate -w stop" >/dev/null 2>&1 || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
[[ $(id -u) -eq 0 ]] && chown postgres:postgres "$work"

as_server "$bin/initdb -D '$work/data' -U postgres --auth=trust -E UTF8 --locale=C.UTF-8" >/dev/null
port=""
for try in 1 2 3 4 5; do
  candidate=$((20000 + (RANDOM % 20000)))
  if as_server "$bin/pg_ctl -D '$work/data' -l '$work/server.log' -w -o \
      '-c listen_addresses=127.0.0.1 -p $candidate -k $work -c fsync=off \
       -c synchronous_commit=off -c full_page_writes=off -c max_wal_size=4GB'" start >/dev/null; then
    port=$candidate
    break
  fi
done
[[ -n $port ]] || { echo "postgis-oracle: the server did not start" >&2; cat "$work/server.log" >&2; exit 3; }

export PGOPTIONS='-c client_min_messages=warning'
psql_gis() { psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d gis "$@"; }
psql -X -q -h 127.0.0.1 -p "$port" -U postgres -c "CREATE DATABASE gis" >/dev/null
psql_gis -c "CREATE EXTENSION postgis" >/dev/null

levels=()
present=$(ogrinfo -ro -q "$dataset" 2>/dev/null | sed -n 's/^[0-9]*: \([A-Za-z_]*\).*/\1/p')
for level in city district town community grid unit; do
  if grep -qx "$level" <<<"$present"; then
    ogr2ogr -f PostgreSQL "PG:host=127.0.0.1 port=$port user=postgres dbname=gis" "$dataset" "$level" \
      -nln "$level" -lco GEOMETRY_NAME=geom -lco FID=fid -lco SPATIAL_INDEX=GIST \
      -nlt PROMOTE_TO_MULTI -a_srs EPSG:4326 -gt 65536
    levels+=("$level")
  fi
done
[[ ${#levels[@]} -ge 2 ]] || { echo "postgis-oracle: need at least two levels in $dataset" >&2; exit 3; }

# Repair invalid polygons (recorded), index the parent codes.
: >"$out.invalid"
for level in "${levels[@]}"; do
  psql_gis -A -t -c "SELECT code FROM $level WHERE NOT ST_IsValid(geom)" >>"$out.invalid"
  psql_gis -c "UPDATE $level SET geom = ST_Multi(ST_CollectionExtract(ST_MakeValid(geom), 3))
               WHERE NOT ST_IsValid(geom); CREATE INDEX ON $level (parent); ANALYZE $level;"
done

# The recipe, level pair by level pair.
sql="CREATE TABLE result (level text, parent text, overlap_m2 float8, gap_m2 float8);"
for ((i = 1; i < ${#levels[@]}; ++i)); do
  p=${levels[i - 1]} c=${levels[i]}
  sql+="
  INSERT INTO result
  WITH pair_overlaps AS (
    SELECT a.parent, sum(ST_Area(ST_CollectionExtract(ST_Intersection(a.geom, b.geom), 3)::geography)) AS area
    FROM $c a JOIN $c b ON a.parent = b.parent AND a.fid < b.fid AND a.geom && b.geom
    WHERE ST_Relate(a.geom, b.geom, '2********')
    GROUP BY a.parent),
  child_unions AS (SELECT parent, ST_Union(geom) AS geom FROM $c GROUP BY parent)
  SELECT '$c', p.code, coalesce(o.area, 0),
         ST_Area(ST_CollectionExtract(CASE WHEN u.geom IS NULL THEN p.geom
                                           ELSE ST_Difference(p.geom, u.geom) END, 3)::geography)
  FROM $p p LEFT JOIN child_unions u ON u.parent = p.code
    LEFT JOIN pair_overlaps o ON o.parent = p.code;"
done
start=$(date +%s.%N)
psql_gis -c "$sql"
end=$(date +%s.%N)
psql_gis -c "\\copy (SELECT level, parent, overlap_m2, gap_m2 FROM result ORDER BY level, parent) TO '$work/result.csv' CSV HEADER"
cp "$work/result.csv" "$out"
if [[ -n $timing ]]; then
  awk -v s="$start" -v e="$end" 'BEGIN { printf "postgis_seconds=%.3f\n", e - s }' >"$timing"
fi
