#!/usr/bin/env bash
# Publish latency of a city-sized draft (upload -> live) on a running `wangge serve --store`, and
# GET /v1/locate throughput while the new version is built and swapped in, against steady state
# measured in the same run (issue 7). Not a test.
#   scripts/bench-publish.sh [--build DIR] [--dataset FILE.gpkg] [--duration SECONDS]
# The dataset is published twice: once as version 1 when the server starts, once through HTTP.
set -euo pipefail
cd "$(dirname "$0")/.."
build=build
dataset=build-bench/putian.gpkg
duration=8
while [ $# -gt 0 ]; do
  case "$1" in
    --build) build=$2; shift 2 ;;
    --dataset) dataset=$2; shift 2 ;;
    --duration) duration=$2; shift 2 ;;
    *) echo "bench-publish.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
wangge="$build/src/cli/wangge"
for tool in wrk curl; do
  command -v "$tool" >/dev/null || { echo "bench-publish.sh: needs $tool (scripts/setup.sh --bench)" >&2; exit 3; }
done
[ -f "$dataset" ] || { echo "bench-publish.sh: no dataset $dataset (scripts/bench-http.sh makes one)" >&2; exit 3; }
work=$(mktemp -d)
server_pid=""
trap '[ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null; wait 2>/dev/null; rm -rf "$work"' EXIT

key_out=$("$wangge" apikey bench --role planner)
key=$(sed -n 's/^key: //p' <<<"$key_out")
{ echo "api_keys:"; grep -v '^key:\|^#' <<<"$key_out"; } >"$work/serve.yaml"

"$wangge" serve "$dataset" --store "$work/store" --config "$work/serve.yaml" --port 0 \
  --access-log off >"$work/serve.out" 2>"$work/serve.err" &
server_pid=$!
port=""
for _ in $(seq 1 1200); do
  port=$(sed -n 's|.*http://[^:]*:\([0-9]*\)/$|\1|p' "$work/serve.out")
  [ -n "$port" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/serve.err" >&2; exit 3; }
  sleep 0.1
done
base="http://127.0.0.1:$port"
echo "== serving version 1 of $dataset at $base"

cat >"$work/get.lua" <<'EOF'
local i = 0
request = function()
  i = (i + 7919) % 40000
  local lon = 118.9 + (i % 200) * 0.0015
  local lat = 25.3 + math.floor(i / 200) * 0.0008
  return wrk.format("GET", "/v1/locate?lon=" .. lon .. "&lat=" .. lat)
end
EOF
rps() { awk '/Requests\/sec:/ {print $2}' "$1"; }
errors() { awk '/Non-2xx|Socket errors/ {print}' "$1"; }

sleep 3  # let the first version's tile tables finish building
wrk -t2 -c32 -d"${duration}s" -s "$work/get.lua" "$base" >"$work/steady.txt"
echo "   steady state: $(rps "$work/steady.txt") req/s $(errors "$work/steady.txt")"

now() { date +%s.%N; }
t0=$(now)
draft=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/geopackage+sqlite3' \
  --data-binary "@$dataset" "$base/v1/drafts?message=bench" | sed -n 's/.*"id":"\([0-9a-f]\{16\}\)".*/\1/p')
t1=$(now)
[ -n "$draft" ] || { echo "bench-publish.sh: the upload failed" >&2; exit 1; }
version=$(curl -sf -H "Authorization: Bearer $key" -H 'Content-Type: application/json' \
  -d '{"message":"bench","force":true,"reason":"benchmark"}' "$base/v1/drafts/$draft/publish" \
  | sed -n 's/.*"id":"\([0-9]*\)".*/\1/p')
t2=$(now)
wrk -t2 -c32 -d"${duration}s" -s "$work/get.lua" "$base" >"$work/swap.txt" &
wrk_pid=$!
until curl -sf "$base/v1/versions" | grep -q "\"served\":\"$version\""; do sleep 0.05; done
t3=$(now)
wait "$wrk_pid"
echo "   during the build and swap of version $version: $(rps "$work/swap.txt") req/s $(errors "$work/swap.txt")"
awk -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" -v s="$(rps "$work/steady.txt")" -v w="$(rps "$work/swap.txt")" 'BEGIN {
  printf "== publish latency: %.2f s upload -> live (upload and draft check %.2f s, publish %.2f s, build and swap %.2f s)\n", d - a, b - a, c - b, d - c
  printf "== locate during the swap: %.2f x steady state\n", w / s
}'
