#!/usr/bin/env bash
# Builds and runs the benchmarks on the Putian-scale synthetic dataset. Each prints its figures
# next to a baseline measured in the same run. Not part of the tests.
#   scripts/bench.sh                 all
#   scripts/bench.sh locate tiles    some
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --bench
cmake -S . -B build-bench -G Ninja -DCMAKE_BUILD_TYPE=Release -DWANGGE_BUILD_BENCHMARKS=ON >/dev/null
cmake --build build-bench -j"$(nproc)"

dataset=build-bench/putian.gpkg
[ -f "$dataset" ] || build-bench/src/cli/wangge synth --districts data/putian/districts.geojson \
  --scale putian --seed 1 --output "$dataset"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"

selected=("$@")
run() { local name=$1; shift; if [ ${#selected[@]} -eq 0 ] || [[ " ${selected[*]} " == *" $name "* ]]; then echo "== $name"; "$@"; fi; }

run load /usr/bin/time -f "load: %e s wall, %M KB peak RSS" build-bench/src/cli/wangge inspect "$dataset" >/dev/null
run snapshot build-bench/bench/snapshot/snapshot_bench --dataset "$dataset" --rounds 3
run ready scripts/bench-ready.sh build-bench/src/cli/wangge "$dataset" 3
run locate env WANGGE_LOCATE_DATASET="$dataset" build-bench/bench/locate/locate_benchmark
if [ -x build-bench/bench/tiles/tiles_bench ]; then
  run tiles bash -c "scripts/pg-cluster.sh start >/dev/null && build-bench/bench/tiles/tiles_bench --dataset '$dataset' --zoom 8-16 --postgis \"\$(scripts/pg-cluster.sh url)\""
fi
[ -x scripts/bench-http.sh ] && run http scripts/bench-http.sh "$dataset"
exit 0
