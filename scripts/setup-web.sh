#!/usr/bin/env bash
# Installs what the one-map page and its browser tests need, when missing. Idempotent and quiet
# when all is there.
#   - Debian chromium (headless browser for tests/e2e) and fonts: fonts-wqy-microhei draws the
#     Chinese labels and UI (MapLibre renders CJK label glyphs from local fonts), fonts-liberation
#     the Latin text;
#   - npm packages of web/ (MapLibre GL, served by wangge itself) and tests/e2e/ (playwright-core),
#     with `npm ci` from their lock files when node_modules is missing or older than the lock.
# Never `apt-get install npm`: the image's nodejs bundles npm and Debian's npm conflicts with it.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

packages=(chromium fonts-wqy-microhei fonts-liberation)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup-web.sh: installing ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Latin letters and digits of labels: a Debian font the page hands to MapLibre (style font-faces);
# CJK comes from the browser's local fonts. web/fonts/ is generated here, not committed.
font=/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf
if [ ! -f "$root/web/fonts/LiberationSans-Regular.ttf" ] && [ -f "$font" ]; then
  mkdir -p "$root/web/fonts"
  cp "$font" "$root/web/fonts/"
fi

if ! command -v npm >/dev/null; then
  echo "setup-web.sh: npm (from Node.js) is required" >&2
  exit 1
fi
for dir in web tests/e2e; do
  lock="$root/$dir/package-lock.json"
  stamp="$root/$dir/node_modules/.package-lock.json"  # npm writes it on every install
  if [ ! -f "$stamp" ] || [ "$lock" -nt "$stamp" ]; then
    echo "setup-web.sh: npm ci in $dir"
    (cd "$root/$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
done
