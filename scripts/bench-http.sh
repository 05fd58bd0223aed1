#!/usr/bin/env bash
# HTTP benchmark of `wangge serve` with wrk (DESIGN.md targets: single-point GET >= 50k req/s on
# 2 cores with keep-alive and p99 <= 2 ms; batch POST >= 3M points/s; cached tiles >= 50k/s). Each
# figure is printed next to the server's own ceiling measured in the same run: GET /healthz, which
# does no work.
#
#   scripts/bench-http.sh                      # Putian-scale synthetic data (generated once, cached)
#   scripts/bench-http.sh --dataset my.gpkg --duration 20 --connections 64
#
# Options: --build DIR (default build), --dataset FILE, --duration SECONDS (10),
# --connections N (32), --wrk-threads N (2), --server-threads N (0 = cores), --batch N (100000),
# --access-log DEST (off; e.g. a file to include logging in the figures).
# wrk and the server share the machine: the figures are lower bounds for the server alone. On 2
# cores the default (2 server threads, 2 wrk threads) oversubscribes them and p99 then measures
# the scheduler (/healthz shows it too); `--server-threads 1 --wrk-threads 1 --connections 16`
# gives each its own core.
set -euo pipefail
cd "$(dirname "$0")/.."

build=build
dataset=""
duration=10
connections=32
wrk_threads=2
server_threads=0
batch=100000
access_log=off
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --dataset) dataset=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    --connections) connections=$2; shift 2 ;;
    --wrk-threads) wrk_threads=$2; shift 2 ;;
    --server-threads) server_threads=$2; shift 2 ;;
    --batch) batch=$2; shift 2 ;;
    --access-log) access_log=$2; shift 2 ;;
    *) echo "bench-http.sh: unknown option $1" >&2; exit 2 ;;
  esac
done

scripts/setup.sh --bench
if [ ! -x "$build/src/cli/wangge" ]; then
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$build" --target wangge
fi
wangge="$build/src/cli/wangge"
for tool in wrk curl awk; do
  command -v "$tool" >/dev/null || { echo "bench-http.sh: $tool is missing" >&2; exit 2; }
done

work=$(mktemp -d "${TMPDIR:-/tmp}/wangge-bench-http.XXXXXX")
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$dataset" ]; then
  cache="${TMPDIR:-/tmp}/wangge-bench-cache"
  mkdir -p "$cache"
  dataset="$cache/putian-seed1.gpkg"
  if [ ! -f "$dataset" ]; then
    echo "== generating the Putian-scale synthetic dataset (once) into $dataset"
    "$wangge" synth --districts data/putian/districts.geojson --scale putian --seed 1 \
      --output "$dataset" >/dev/null
  fi
fi

echo "== starting wangge serve $dataset"
start=$(date +%s.%N)
"$wangge" serve "$dataset" --port 0 --threads "$server_threads" --access-log "$access_log" \
  >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 600); do
  port=$(sed -n 's|.*http://[^:]*:\([0-9]*\)/$|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 3; }
  sleep 0.1
done
[ -n "$port" ] || { echo "bench-http.sh: the server did not start" >&2; exit 3; }
base="http://127.0.0.1:$port"
ready=$(date +%s.%N)
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$server_pid/status")
echo "   ready in $(awk -v a="$start" -v b="$ready" 'BEGIN {printf "%.1f", b - a}') s (load + indexes), RSS $((rss_kb / 1024)) MiB"

# Points: uniform in the dataset's extent, kept where a unit owns them (what intake sends).
bbox=$(curl -sf "$base/collections" | grep -o '"bbox":\[\[[^]]*\]' | head -1 | tr -d '"bbox:[]')
awk -v bbox="$bbox" -v n=60000 'BEGIN {
  split(bbox, b, ","); srand(1); print "id,lon,lat"
  for (i = 0; i < n; i++) printf "%d,%.7f,%.7f\n", i, b[1] + rand() * (b[3] - b[1]), b[2] + rand() * (b[4] - b[2])
}' >"$work/candidates.csv"
curl -sf -H 'Content-Type: text/csv' --data-binary "@$work/candidates.csv" "$base/v1/locate" \
  | awk -F, 'NR > 1 && ($2 == "inside" || $2 == "boundary") {print $1}' >"$work/inside.ids"
awk -F, 'NR == FNR {keep[$1] = 1; next} FNR > 1 && ($1 in keep) {print $2 "," $3}' \
  "$work/inside.ids" "$work/candidates.csv" >"$work/points.txt"
points=$(wc -l <"$work/points.txt")
[ "$points" -gt 1000 ] || { echo "bench-http.sh: too few points inside units ($points)" >&2; exit 3; }
echo "   $points distinct points inside units for the GET runs"

# Batch bodies: $batch points cycling through the inside points.
awk -v n="$batch" 'BEGIN {print "id,lon,lat"} {p[NR] = $0} END {for (i = 0; i < n; i++) print i "," p[i % NR + 1]}' \
  "$work/points.txt" >"$work/batch.csv"
awk -v n="$batch" '{p[NR] = $0} END {printf "["; for (i = 0; i < n; i++) {split(p[i % NR + 1], c, ","); printf "%s[%s,%s]", (i ? "," : ""), c[1], c[2]}; print "]"}' \
  "$work/points.txt" >"$work/batch.json"

cat >"$work/get.lua" <<'EOF'
local points = {}
for line in io.lines(os.getenv("WANGGE_BENCH_POINTS")) do
  local lon, lat = line:match("([^,]+),([^,]+)")
  points[#points + 1] = "/v1/locate?lon=" .. lon .. "&lat=" .. lat
end
local i = math.random(#points)
request = function()
  i = i % #points + 1
  return wrk.format("GET", points[i])
end
EOF
cat >"$work/post.lua" <<'EOF'
local f = assert(io.open(os.getenv("WANGGE_BENCH_BODY"), "rb"))
wrk.body = f:read("*a")
f:close()
wrk.method = "POST"
wrk.headers["Content-Type"] = os.getenv("WANGGE_BENCH_TYPE")
EOF

# Server CPU time (user + system) so far, in clock ticks.
server_ticks() { awk '{print $14 + $15}' "/proc/$server_pid/stat"; }

# Runs wrk; prints "requests/s p99_ms server_cpu_us_per_request" from its output and the server's
# CPU time (which, unlike requests/s, does not depend on what else the machine runs).
run_wrk() {
  local out=$1; shift
  local before after
  before=$(server_ticks)
  wrk --latency "$@" >"$out" 2>&1
  after=$(server_ticks)
  awk -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
       /Requests\/sec:/ {rps = $2}
       / requests in / {n = $1}
       /^ +99%/ {v = $2; if (v ~ /us$/) {sub(/us/, "", v); v /= 1000} else if (v ~ /ms$/) {sub(/ms/, "", v)} else if (v ~ /s$/) {sub(/s/, "", v); v *= 1000}; p99 = v}
       / Non-2xx/ {bad = $NF}
       END {if (bad) {print "bench-http.sh: " bad " answers were not 2xx" > "/dev/stderr"; exit 1}
            printf "%s %.3f %.1f\n", rps, p99, (n ? ticks / hz / n * 1e6 : 0)}' "$out"
}

common=(-t"$wrk_threads" -c"$connections" -d"${duration}s")
echo "== GET /healthz (ceiling): wrk ${common[*]}"
read -r health_rps health_p99 health_cpu < <(run_wrk "$work/healthz.txt" "${common[@]}" "$base/healthz")
echo "== GET /v1/locate?lon=&lat= ($points distinct points): wrk ${common[*]}"
read -r get_rps get_p99 get_cpu < <(WANGGE_BENCH_POINTS="$work/points.txt" run_wrk "$work/get.txt" \
  "${common[@]}" -s "$work/get.lua" "$base")
batch_common=(-t"$wrk_threads" -c"$wrk_threads" -d"${duration}s" --timeout 60s)
echo "== POST /v1/locate, CSV batches of $batch points: wrk ${batch_common[*]}"
read -r csv_rps csv_p99 csv_cpu < <(WANGGE_BENCH_BODY="$work/batch.csv" WANGGE_BENCH_TYPE=text/csv \
  run_wrk "$work/csv.txt" "${batch_common[@]}" -s "$work/post.lua" "$base/v1/locate")
echo "== POST /v1/locate, JSON batches of $batch points: wrk ${batch_common[*]}"
read -r json_rps json_p99 json_cpu < <(WANGGE_BENCH_BODY="$work/batch.json" WANGGE_BENCH_TYPE=application/json \
  run_wrk "$work/json.txt" "${batch_common[@]}" -s "$work/post.lua" "$base/v1/locate")

# Cached tiles: the z14 tiles over the city (up to 3000), each fetched once to fill the tile cache.
awk -v bbox="$bbox" 'function ty(lat, r) {r = lat * pi / 180; return int((1 - log(sin(r) / cos(r) + 1 / cos(r)) / pi) / 2 * n)}
  BEGIN {split(bbox, b, ","); pi = atan2(0, -1); n = 2 ^ 14
         for (x = int((b[1] + 180) / 360 * n); x <= int((b[3] + 180) / 360 * n); x++)
           for (y = ty(b[4]); y <= ty(b[2]); y++) if (k++ < 3000) print "/tiles/14/" x "/" y ".mvt"}' \
  >"$work/tiles.txt"
xargs -P 2 -I{} curl -s -o /dev/null "$base{}" <"$work/tiles.txt"
cat >"$work/tiles.lua" <<'EOF'
local tiles = {}
for line in io.lines(os.getenv("WANGGE_BENCH_TILES")) do tiles[#tiles + 1] = line end
local i = math.random(#tiles)
request = function()
  i = i % #tiles + 1
  return wrk.format("GET", tiles[i])
end
EOF
echo "== GET /tiles/14/x/y.mvt, cached ($(wc -l <"$work/tiles.txt") tiles): wrk ${common[*]}"
read -r tile_rps tile_p99 tile_cpu < <(WANGGE_BENCH_TILES="$work/tiles.txt" run_wrk "$work/tiles.txt.out" \
  "${common[@]}" -s "$work/tiles.lua" "$base")

cores=$(nproc)
cpu=$(awk -F: '/model name/ {print $2; exit}' /proc/cpuinfo | sed 's/^ *//')
echo
echo "== wangge HTTP benchmark: $cores cores ($cpu), wrk and the server on the same machine"
echo "   dataset: $dataset"
awk -v h="$health_rps" -v hp="$health_p99" -v hc="$health_cpu" -v g="$get_rps" -v gp="$get_p99" \
    -v gc="$get_cpu" -v c="$csv_rps" -v cp="$csv_p99" -v cc="$csv_cpu" -v j="$json_rps" \
    -v jp="$json_p99" -v jc="$json_cpu" -v n="$batch" -v t="$tile_rps" -v tp="$tile_p99" \
    -v tc="$tile_cpu" 'BEGIN {
  printf "   %-30s %11s %9s %11s %14s\n", "", "requests/s", "p99 ms", "vs healthz", "server CPU"
  printf "   %-30s %11.0f %9.3f %11s %11.1f us\n", "GET /healthz (ceiling)", h, hp, "1.00", hc
  printf "   %-30s %11.0f %9.3f %11.2f %11.1f us   target >= 50000 req/s, p99 <= 2 ms\n", "GET /v1/locate (one point)", g, gp, g / h, gc
  printf "   %-30s %11.0f %9.3f %11.2f %11.1f us   target >= 50000 tiles/s\n", "GET /tiles (cached)", t, tp, t / h, tc
  printf "   %-30s %11.2f %9.1f %11s %11.2f us/point\n", "POST /v1/locate CSV batch", c, cp, "", cc / n
  printf "   %-30s %11.2f %9.1f %11s %11.2f us/point\n", "POST /v1/locate JSON batch", j, jp, "", jc / n
  printf "   batch throughput: CSV %.0f points/s (%.1f x /healthz req/s), JSON %.0f points/s   target >= 3M points/s\n", c * n, c * n / h, j * n
}'
