#!/usr/bin/env bash
# Measures how long `wangge serve DATASET` takes until it is ready (GET /readyz answers 200), and
# its peak RSS up to then (/usr/bin/time -v), over a few runs.
#   scripts/bench-ready.sh [WANGGE_BINARY] DATASET [RUNS]
set -euo pipefail
if [ $# -ge 2 ] && [ -x "$1" ] && [ ! -d "$1" ]; then wangge=$1; shift; else wangge=build-bench/src/cli/wangge; fi
dataset=${1:?usage: scripts/bench-ready.sh [WANGGE_BINARY] DATASET [RUNS]}
runs=${2:-3}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for run in $(seq "$runs"); do
  rm -f "$tmp/out" "$tmp/err" "$tmp/time"
  : >"$tmp/out"
  start=$(date +%s.%N)
  /usr/bin/time -v -o "$tmp/time" "$wangge" serve "$dataset" --port 0 --access-log off \
    >"$tmp/out" 2>"$tmp/err" &
  pid=$!
  url=""
  while [ -z "$url" ]; do
    if ! kill -0 "$pid" 2>/dev/null; then echo "server exited:"; cat "$tmp/err"; exit 1; fi
    url=$(grep -o 'http://[^ ]*' "$tmp/out" || true)
    [ -n "$url" ] || sleep 0.02
  done
  until curl -sf -o /dev/null "${url}readyz"; do sleep 0.02; done
  ready=$(date +%s.%N)
  # Stop the server (the child of /usr/bin/time), then read time's report.
  kill -TERM "$(pgrep -P "$pid")" 2>/dev/null || true
  wait "$pid" || true
  rss=$(awk -F': ' '/Maximum resident/ {print $2}' "$tmp/time")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {print u+s}' "$tmp/time")
  printf 'run %d: ready after %.2f s wall; peak RSS %.0f MB; CPU %.2f s (until stopped)\n' \
    "$run" "$(echo "$ready - $start" | bc)" "$(echo "$rss / 1024" | bc -l)" "$cpu"
done
