#!/usr/bin/env bash
# Installs what ihos needs and is missing: Debian packages with apt-get (apt-get update first)
# and web packages with `npm ci` from the committed package-lock.json. Nothing else is
# downloaded: Node.js is Debian 12's own `nodejs` (18.20) with its `npm`, never one fetched from
# elsewhere. Safe to run again: it does nothing when everything is present.
set -euo pipefail
cd "$(dirname "$0")/.."

PACKAGES=(
  # npm ci fetches over https: the CA bundle (a minimal Debian has none)
  ca-certificates
  g++ cmake ninja-build pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libsqlite3-dev libpq-dev libsodium-dev libspdlog-dev libfmt-dev libcli11-dev
  libgtest-dev libgmock-dev
  postgresql-15
  chromium fonts-noto-cjk
  wrk
  # triage (AI self-check): fastText as a library; OpenCC (with its data) folds traditional characters
  libfasttext-dev libopencc-dev libopencc-data
  # health code: ES256, raw DEFLATE, QR SVG; zbarimg + rsvg-convert read the QR back in tests
  libssl-dev zlib1g-dev libqrencode-dev zbar-tools librsvg2-bin
  # drug catalogue: pinyin initials for search (布洛芬 -> blf), from Unihan via go-pinyin's table
  golang-github-mozillazg-go-pinyin-dev
  # fuzzing (fuzz/, scripts/fuzz.sh): clang 14 with libFuzzer, ASan and UBSan; ccache for its build;
  # TLS test (tests/api/tls_test.cpp): the openssl CLI makes a self-signed certificate
  clang-14 libclang-rt-14-dev ccache openssl
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
# The web build (Vite 6) and the browser tests run on Debian 12's own nodejs (18.20) or newer.
# A Node.js that is already installed (e.g. a newer one) is used as it is; when there is none,
# Debian's nodejs and npm are installed.
if ! command -v node >/dev/null 2>&1; then
  missing+=(nodejs npm)
elif ! command -v npm >/dev/null 2>&1; then
  missing+=(npm)
fi

if [[ ${#missing[@]} -gt 0 ]]; then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y --no-install-recommends "${missing[@]}"
fi

if ! node -e 'const [a, b] = process.versions.node.split(".").map(Number); process.exit(a > 18 || (a === 18 && b >= 20) ? 0 : 1)'; then
  echo "install-deps: Node.js $(node --version) is too old; the web build needs 18.20 or newer (Debian 12's nodejs package)" >&2
  exit 1
fi

# npm ci when node_modules is missing or older than the lock file. A node_modules that is a
# symbolic link (a git worktree sharing another checkout's install) is left alone: npm ci would
# empty the folder it points to.
if [[ -L node_modules ]]; then
  echo "install-deps: node_modules is a link to $(readlink node_modules); not running npm ci"
elif [[ ! -f node_modules/.package-lock.json || package-lock.json -nt node_modules/.package-lock.json ]]; then
  echo "install-deps: npm ci"
  npm ci --no-audit --no-fund
fi
