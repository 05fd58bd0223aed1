#!/usr/bin/env bash
# Installs what is missing, builds, generates the demo dataset (Putian's five real districts filled
# with a synthetic hierarchy) once, and serves it. Prints the URL.
#   scripts/run.sh                    serve on 127.0.0.1:8080
#   PORT=9000 HOST=0.0.0.0 scripts/run.sh
#   WANGGE_DEMO_SCALE=small scripts/run.sh   a few thousand units instead of Putian's 134,753
set -euo pipefail
cd "$(dirname "$0")/.."
host=${HOST:-127.0.0.1}
port=${PORT:-8080}
scale=${WANGGE_DEMO_SCALE:-putian}

scripts/setup.sh
[ -x scripts/setup-web.sh ] && scripts/setup-web.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build -j"$(nproc)"

demo="build/demo/putian-$scale.gpkg"
if [ ! -f "$demo" ]; then
  mkdir -p build/demo
  echo "run.sh: generating the demo dataset ($scale scale) into $demo"
  build/src/cli/wangge synth --districts data/putian/districts.geojson --scale "$scale" --seed 1 \
    --output "$demo"
fi
exec build/src/cli/wangge serve "$demo" --host "$host" --port "$port"
