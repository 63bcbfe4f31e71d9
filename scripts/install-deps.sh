#!/usr/bin/env bash
# Installs what ihos needs and is missing: Debian packages with apt-get (apt-get update first)
# and web packages with `npm ci` from the committed package-lock.json. Nothing else is
# downloaded. Safe to run again: it does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev
  postgresql-15
  chromium fonts-noto-cjk
  wrk
  # triage (AI self-check): fastText as a library
  libfasttext-dev
  # health code: ES256, raw DEFLATE, QR SVG; zbarimg + rsvg-convert read the QR back in tests
  libssl-dev zlib1g-dev libqrencode-dev zbar-tools librsvg2-bin
  # drug catalogue: pinyin initials for search (布洛芬 -> blf), from Unihan via go-pinyin's table
  golang-github-mozillazg-go-pinyin-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# Node.js 20.19+ is needed by the web build (Vite); Debian 12's own nodejs is 18.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [[ $node_major -lt 20 ]]; then
  echo "install-deps: Node.js $(node --version) is too old; the web build needs 20.19 or newer" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file.
if [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund
fi
