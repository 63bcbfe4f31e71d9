#!/usr/bin/env bash
# Drug search (GET /api/v1/drugs) over the full NRDL 2024 catalogue (4,750 rows) and the demo
# formulary, imported from the shared data (IHOS_DRUG_DATA, else ../shared/data). Prints req/s and
# p99 for pinyin initials (blf), a Chinese fragment (他汀), an English name and the catalogue scope,
# next to GET /healthz of the same server in the same run (the server's own ceiling here).
# Usage: bench/drug_search.sh [DURATION_SECONDS]   (BENCH_DB=postgresql://... for PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
CONNS=${CONNS:-64}
DATA=${IHOS_DRUG_DATA:-}
if [[ -z $DATA || ! -f $DATA/drugs_nrdl/nrdl_2024_drug_list.csv ]]; then
  for d in ../shared/data /work/shared/data; do
    [[ -f $d/drugs_nrdl/nrdl_2024_drug_list.csv ]] && DATA=$d && break
  done
fi
[[ -n $DATA ]] || { echo "no drug data: set IHOS_DRUG_DATA" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-bench.XXXXXX")
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

db=${BENCH_DB:-sqlite:$tmp/bench.db}
"$BUILD/ihos" --db "$db" drugs import --data "$DATA"
"$BUILD/ihos" --db "$db" seed-demo >/dev/null
"$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$tmp/port")"
token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"phone":"13800000003","password":"Demo2026ihos"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/drugs?q=blf" | python3 -c '
import json,sys; d=json.load(sys.stdin); print("blf first hits: " + ", ".join(i["drug"]["name"] + " " + i["strength"] for i in d["items"]))'

run_wrk() {  # label, url
  local out rps p99
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "Authorization: Bearer $token" "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-48s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "$(awk '/Non-2xx/ {print $5}' <<<"$out")"
}
echo "Drug search, $DUR s each, $CONNS connections, db ${db%%:*}:"
run_wrk "reference: GET /healthz (same server)" "$base/healthz"
run_wrk "formulary, pinyin initials blf" "$base/api/v1/drugs?q=blf"
run_wrk "formulary, Chinese fragment 他汀" "$base/api/v1/drugs?q=%E4%BB%96%E6%B1%80"
run_wrk "formulary, English name metformin" "$base/api/v1/drugs?q=metformin"
run_wrk "catalogue (4,750 rows), fragment 胰岛素, 20" "$base/api/v1/drugs?q=%E8%83%B0%E5%B2%9B%E7%B4%A0&scope=catalogue"
run_wrk "catalogue, pinyin initials ydS (prefix)" "$base/api/v1/drugs?q=yds&scope=catalogue"
