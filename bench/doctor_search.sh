#!/usr/bin/env bash
# Doctor search (GET /api/v1/doctors) on a synthetic directory: DOCTORS practitioners (default
# 3000) in 50 hospitals, two slots a day each for 14 days (84k slots for 3000 doctors).
# Prints req/s and p99 for: one department sorted by next free time, a name fragment, and a
# hospital + title filter. Usage: bench/doctor_search.sh [DURATION_SECONDS]
# (SQLite in a temp dir; BENCH_DB=postgresql://... for PostgreSQL, e.g. under scripts/with-postgres.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
CONNS=${CONNS:-64}
DOCTORS=${DOCTORS:-3000}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-bench.XXXXXX")
pid=""
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

db=${BENCH_DB:-sqlite:$tmp/bench.db}
"$BUILD/ihos" --db "$db" migrate >/dev/null
now_ms=$(($(date +%s) * 1000))
bench/directory_data.py "$DOCTORS" 50 "$now_ms" >"$tmp/data.sql"
t0=$(date +%s.%N)
if [[ $db == sqlite:* ]]; then sqlite3 "${db#sqlite:}" <"$tmp/data.sql"; else psql -q "$db" -f "$tmp/data.sql" >/dev/null; fi
echo "loaded $DOCTORS doctors and $((DOCTORS * 28)) slots in $(printf '%.1f' "$(echo "$(date +%s.%N) - $t0" | bc)") s"

"$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$tmp/port")"
curl -sf "$base/api/v1/doctors?department=endocrinology&limit=3" | python3 -c '
import json,sys; d=json.load(sys.stdin); print("endocrinology: %d doctors; first next free: %s" % (d["total"], d["items"][0]["next_free_start"]))'

run_wrk() {  # label, url
  local out rps p99
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$2")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  printf '%-44s %10s req/s   p99 %8s   non-2xx %s\n' "$1" "$rps" "$p99" "$(awk '/Non-2xx/ {print $5}' <<<"$out")"
}
echo "doctor search, $DUR s each, $CONNS connections, db ${db%%:*}:"
run_wrk "department, soonest first, 20 per page" "$base/api/v1/doctors?department=endocrinology&limit=20"
run_wrk "name fragment (Chinese)" "$base/api/v1/doctors?q=%E7%8E%8B&limit=20"
run_wrk "hospital + title, by rating" "$base/api/v1/doctors?hospital_id=7&title=chief_physician&sort=rating"
run_wrk "one doctor's profile" "$base/api/v1/doctors/42"
