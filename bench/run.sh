#!/usr/bin/env bash
# Server benchmarks on loopback (figures for the issue notes; not tests):
#  1. GET /healthz and GET /api/v1/me (valid bearer token), same wrk settings, same run:
#     req/s and p99 of each, and the ratio (goal: /me >= half of /healthz).
#  2. POST /api/v1/auth/login with the production Argon2id cost: logins per second.
#  3. Idle RSS of ihosd after start-up.
# Each HTTP figure is printed beside the reference in the same run: build/beast_reference_server, a
# trivial Boost.Beast coroutine server answering {"status":"ok"} (the ceiling of issue 18's table).
# Usage: bench/run.sh [DURATION_SECONDS]   (BUILD=build by default; the database is SQLite in a
# temp dir, or BENCH_DB, e.g. scripts/with-postgres.sh sh -c 'BENCH_DB=$IHOS_TEST_PG bench/run.sh';
# IHOSD_FLAGS="--session-cache-ms 0" passes flags to ihosd)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
CONNS=${CONNS:-64}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-bench.XXXXXX")
pid=""
ref_pid=""
cleanup() {
  [[ -n $ref_pid ]] && kill "$ref_pid" 2>/dev/null && wait "$ref_pid" 2>/dev/null
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

db=${BENCH_DB:-sqlite:$tmp/bench.db}
phone=13700000000
password=Bench2026pass
first17=11010519900101001
check=$(python3 -c "
w=[7,9,10,5,8,4,2,1,6,3,7,9,10,5,8,4,2]; s='$first17'
print('10X98765432'[sum(int(c)*x for c,x in zip(s,w))%11])")
"$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent --register-sms-code off ${IHOSD_FLAGS:-} &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
port=$(cat "$tmp/port")
base="http://127.0.0.1:$port"
sleep 1
rss_kb=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")

curl -sf -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\",\"password\":\"$password\",\"real_name\":\"压测用户\",\"id_number\":\"$first17$check\"}" "$base/api/v1/auth/register" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d "{\"phone\":\"$phone\",\"password\":\"$password\"}" "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')

# CPU time (user + system, clock ticks) of process $1 so far: CPU per request does not depend on
# how much of the shared cores wrk and the other processes took during the run.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
run_wrk() {  # label, extra wrk args... (CPU_PID: the server whose CPU per request is printed)
  local label=$1; shift
  local out t0 t1
  t0=$(cpu_ticks "${CPU_PID:-$pid}")
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$@")
  t1=$(cpu_ticks "${CPU_PID:-$pid}")
  local rps p99 reqs
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  local non2xx
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  printf '%-28s %12s req/s   p99 %8s   non-2xx %-6s CPU %s us/req\n' "$label" "$rps" "$p99" "${non2xx:-0}" \
    "$(awk -v t=$((t1 - t0)) -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", (n > 0) ? t / hz * 1e6 / n : 0}')"
  echo "$rps"  >"$tmp/last_rps"
}

echo "ihosd $(git rev-parse --short HEAD 2>/dev/null || echo '?') on $(nproc) cores, ${db%%:*}, wrk -t2 -c$CONNS -d${DUR}s (wrk shares the cores); flags: ${IHOSD_FLAGS:-none}; load: $(cut -d' ' -f1-3 /proc/loadavg)"
printf 'idle RSS after start-up: %d KiB (%.1f MiB)\n' "$rss_kb" "$(echo "$rss_kb/1024" | bc -l)"
if [[ -x $BUILD/beast_reference_server ]]; then
  "$BUILD/beast_reference_server" "$tmp/ref_port" &
  ref_pid=$!
  for _ in $(seq 100); do [[ -s $tmp/ref_port ]] && break; sleep 0.1; done
  CPU_PID=$ref_pid run_wrk "reference (trivial Beast)" "http://127.0.0.1:$(cat "$tmp/ref_port")/healthz"
  ref=$(cat "$tmp/last_rps")
  kill "$ref_pid" && wait "$ref_pid" 2>/dev/null || true
  ref_pid=""
fi
run_wrk "GET /healthz" "$base/healthz"
h=$(cat "$tmp/last_rps")
run_wrk "GET /api/v1/me (bearer)" -H "Authorization: Bearer $token" "$base/api/v1/me"
m=$(cat "$tmp/last_rps")
printf 'ratio /me : /healthz = %.2f (goal >= 0.50)\n' "$(echo "$m/$h" | bc -l)"
if [[ -n ${ref:-} ]]; then
  printf 'ratio /healthz : reference = %.2f (goal >= 0.60); /me : reference = %.2f (goal >= 0.50)\n' \
    "$(echo "$h/$ref" | bc -l)" "$(echo "$m/$ref" | bc -l)"
fi
BENCH_PHONE=$phone BENCH_PASSWORD=$password CONNS=8 run_wrk "POST /api/v1/auth/login" -c8 -s bench/login.lua "$base/api/v1/auth/login"
