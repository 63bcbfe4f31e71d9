#!/usr/bin/env bash
# ICD-10 catalogue search (GET /api/v1/icd10) on the full 北京临床版 v601 catalogue (40k codes,
# imported from the shared data: IHOS_ICD10_FILE, else ../shared/data/icd10_cn). Prints the import
# time and req/s and p99 for: a Chinese fragment (糖尿病), a one-character fragment (癌), a code
# prefix (E11) and one code. Usage: bench/icd10_search.sh [DURATION_SECONDS]
# (SQLite in a temp dir; BENCH_DB=postgresql://... for PostgreSQL, e.g. under scripts/with-postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
CONNS=${CONNS:-64}
FILE=${IHOS_ICD10_FILE:-}
if [[ -z $FILE || ! -f $FILE ]]; then
  for d in ../shared/data/icd10_cn /work/shared/data/icd10_cn; do
    [[ -f $d/icd10_beijing_clinical_v601.csv ]] && FILE=$d/icd10_beijing_clinical_v601.csv && break
  done
fi
[[ -n $FILE && -f $FILE ]] || { echo "no ICD-10 data: set IHOS_ICD10_FILE" >&2; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-bench.XXXXXX")
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

db=${BENCH_DB:-sqlite:$tmp/bench.db}
"$BUILD/ihos" --db "$db" migrate >/dev/null
"$BUILD/ihos" --db "$db" icd10 import --file "$FILE"
"$BUILD/ihos" --db "$db" admin create --phone 13900000777 --password Bench2026ihos --real-name 压测管理员 \
  --id-number 110105198001010112 --password-hash-profile test >/dev/null 2>&1 || true

"$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$tmp/port")"
token=$(curl -sf "$base/api/v1/auth/login" -H 'Content-Type: application/json' \
  -d '{"phone":"13900000777","password":"Bench2026ihos"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/icd10?q=%E7%B3%96%E5%B0%BF%E7%97%85&limit=3" | python3 -c '
import json,sys; d=json.load(sys.stdin); print("糖尿病 first hits: " + ", ".join(i["code"] + " " + i["name_zh"] for i in d["items"]))'

run_wrk() {  # label, url
  local out rps p99
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency -H "Authorization: Bearer $token" "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-44s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "$(awk '/Non-2xx/ {print $5}' <<<"$out")"
}
echo "ICD-10 search, $DUR s each, $CONNS connections, db ${db%%:*}:"
run_wrk "Chinese fragment 糖尿病, 20 per page" "$base/api/v1/icd10?q=%E7%B3%96%E5%B0%BF%E7%97%85&limit=20"
run_wrk "Chinese fragment 骨折 (common), 20" "$base/api/v1/icd10?q=%E9%AA%A8%E6%8A%98&limit=20"
run_wrk "one character 癌 (scan), 20" "$base/api/v1/icd10?q=%E7%99%8C&limit=20"
run_wrk "code prefix E11, 20" "$base/api/v1/icd10?q=E11&limit=20"
run_wrk "one code E11.9" "$base/api/v1/icd10/E11.9"
