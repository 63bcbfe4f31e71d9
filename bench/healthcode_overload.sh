#!/usr/bin/env bash
# Load shedding under ten times the load (health code, issue #5 Speed; figures for the note, not a
# test), on loopback, bounded in time:
#  0. `openssl speed -multi 2 ecdsap256`: the raw ES256 rates of this machine, same run;
#  1. build/overload_bench against GET /api/v1/me/healthcode ("show my code"): normal load (C
#     clients), then 10 x C clients for DURATION seconds, then C clients again (recovery);
#  2. the server must still be the same process and answer /healthz; its /metrics shed counter.
# Usage: bench/healthcode_overload.sh [DURATION_SECONDS=10] [CLIENTS=64]
#        (BUILD=build; SQLite in a temp dir; ihosd flags in IHOSD_FLAGS, e.g. "--max-queue 128")
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
CLIENTS=${2:-64}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-hcover.XXXXXX")
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

echo "== raw ES256 on this machine (openssl speed -multi 2 ecdsap256, 3 s)"
openssl speed -multi 2 -seconds 3 ecdsap256 2>/dev/null | grep -E '^ *256 bits ecdsa' | tail -1 |
  awk '{printf "raw ES256: %s sign/s, %s verify/s\n", $(NF-1), $NF}'

db=sqlite:$tmp/bench.db
# shellcheck disable=SC2086
"$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" --log-level warn \
  --web-root /nonexistent --password-hash-profile test --max-connections 100000 --register-sms-code off ${IHOSD_FLAGS:-} &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"
curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002","password":"Bench2026pass","real_name":"压测用户","id_number":"110105199001010010"}' "$base/api/v1/auth/register" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002","password":"Bench2026pass"}' "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/me/healthcode" >/dev/null

echo "== GET /api/v1/me/healthcode on $(nproc) cores (the load generator shares them), ihosd ${IHOSD_FLAGS:-with default --max-queue/--max-queue-wait-ms}"
"$BUILD/overload_bench" "$port" /api/v1/me/healthcode "$token" "$CLIENTS" "$DUR" 10

if kill -0 "$pid" 2>/dev/null && [[ $(curl -s -o /dev/null -w '%{http_code}' "$base/healthz") == 200 ]]; then
  echo "server: same process (pid $pid) still running, /healthz 200"
else
  echo "server: CRASHED or not answering"; exit 1
fi
curl -s "$base/metrics" | grep -E '^ihos_http_shed_total|^ihos_worker_pool' || true
