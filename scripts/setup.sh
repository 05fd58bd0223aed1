#!/usr/bin/env bash
# Installs every Debian package wangge needs, when missing. Idempotent and quiet when all is there.
#   scripts/setup.sh            build + test dependencies
#   scripts/setup.sh --bench    also the benchmark tools (wrk, hyperfine, libpq for the PostGIS baselines)
# Browser and npm packages for the web page are installed by scripts/setup-web.sh.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git ca-certificates
  libgeos-dev libgeos++-dev libproj-dev proj-data libgdal-dev gdal-bin
  libboost-dev libpistache-dev nlohmann-json3-dev libprotozero-dev libsqlite3-dev
  libyaml-cpp-dev libcli11-dev libtbb-dev libssl-dev zlib1g-dev
  libgtest-dev libgmock-dev libbenchmark-dev
  postgresql-15 postgresql-15-postgis-3
)
for arg in "$@"; do
  case "$arg" in
    --bench) packages+=(wrk hyperfine libpq-dev) ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup.sh: installing ${missing[*]}"
sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
