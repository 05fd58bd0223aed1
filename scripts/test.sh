#!/usr/bin/env bash
# Installs what is missing, builds with warnings as errors, runs every test; then builds the unit
# tests again under AddressSanitizer + UndefinedBehaviorSanitizer and runs them.
#   scripts/test.sh              everything (what CI runs)
#   scripts/test.sh --no-asan    skip the sanitizer pass
set -euo pipefail
cd "$(dirname "$0")/.."
asan=1
for arg in "$@"; do
  case "$arg" in
    --no-asan) asan=0 ;;
    *) echo "test.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done
jobs=$(nproc)

scripts/setup.sh
[ -x scripts/setup-web.sh ] && scripts/setup-web.sh

echo "== build (Release, -Werror)"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DWANGGE_DEVELOPER=ON >/dev/null
cmake --build build -j"$jobs"
echo "== tests"
ctest --test-dir build --output-on-failure -j"$jobs" --timeout 300

if [ "$asan" = 1 ]; then
  echo "== unit tests under ASan + UBSan"
  cmake -S . -B build-asan -G Ninja -DCMAKE_BUILD_TYPE=Debug -DWANGGE_DEVELOPER=ON \
        -DWANGGE_ENABLE_SANITIZERS=ON >/dev/null
  # Only what the unit tests run (their executables are named after their targets).
  targets=$(ctest --test-dir build -N -V -L unit |
    sed -n 's/^[0-9]*: Test command: \([^ ]*\).*/\1/p' | xargs -n1 basename | sort -u)
  # shellcheck disable=SC2086  # one word per target
  cmake --build build-asan -j"$jobs" --target $targets
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    ctest --test-dir build-asan -L unit --output-on-failure -j"$jobs" --timeout 300
fi
