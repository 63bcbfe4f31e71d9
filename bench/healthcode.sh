#!/usr/bin/env bash
# Health-code HTTP benchmark on loopback (figures for the issue note; not a test), in one run:
#  0. `openssl speed ecdsap256` on 2 processes: the raw ES256 verify rate of this machine, and the
#     trivial Beast server (build/beast_reference_server, as in bench/run.sh): the two references;
#  1. GET /api/v1/me/healthcode ("show my code": status lookup + signed card + QR), one person
#     (served from memory: the card is served again while half its life remains), then PEOPLE
#     different people in turn (each one's first view signs a card and draws its QR);
#  2. POST /api/v1/healthcode/verify (online verification: parse, inflate, ES256, revocation, scan log);
#  3. build/healthcode_bench: in-process card issue / verify / QR rates and the exposure search.
# Usage: bench/healthcode.sh [DURATION_SECONDS] [CHECKINS] [PEOPLE=2000]   (BUILD=build; SQLite in a temp dir;
#        IHOSD_FLAGS="--session-cache-ms 0" passes flags to ihosd, e.g. to compare without the session cache)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
DUR=${1:-10}
CHECKINS=${2:-500000}
PEOPLE=${3:-2000}
CONNS=${CONNS:-64}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-hcbench.XXXXXX")
pid=""
ref_pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  [[ -n $ref_pid ]] && kill "$ref_pid" 2>/dev/null && wait "$ref_pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT

echo "== raw ES256 on this machine (openssl speed ecdsap256, 2 processes, 3 s)"
raw_verify=$(openssl speed -multi 2 -seconds 3 ecdsap256 2>/dev/null | grep -E '^ *256 bits ecdsa' | tail -1 | awk '{print $NF}')
awk -v v="$raw_verify" 'BEGIN {printf "raw ES256: %s verify/s (CPU per verify: %.0f us)\n", v, 2e6 / v}'

db=sqlite:$tmp/bench.db
"$BUILD/ihos" --db "$db" admin create --phone 13700000001 --password Bench2026admin --real-name 压测门岗 \
  --id-number 110105198001010016 --password-hash-profile test >/dev/null
"$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent --password-hash-profile test --max-connections 100000 --log-level warn --register-sms-code off ${IHOSD_FLAGS:-} &
pid=$!
for _ in $(seq 100); do [[ -s $tmp/port ]] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$tmp/port")"
sleep 1
curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002","password":"Bench2026pass","real_name":"压测用户","id_number":"110105199001010010"}' "$base/api/v1/auth/register" >/dev/null
login() { curl -sf -H 'Content-Type: application/json' -d "{\"phone\":\"$1\",\"password\":\"$2\"}" "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
ptoken=$(login 13700000002 Bench2026pass)
gtoken=$(login 13700000001 Bench2026admin)
qr=$(curl -sf -H "Authorization: Bearer $ptoken" "$base/api/v1/me/healthcode" | python3 -c 'import json,sys; print(json.load(sys.stdin)["card"]["qr_text"])')
# PEOPLE more people, registered and logged in over one keep-alive connection; their tokens for wrk.
python3 - "$(cat "$tmp/port")" "$PEOPLE" >"$tmp/tokens.txt" <<'PY'
import http.client, json, sys
port, n = int(sys.argv[1]), int(sys.argv[2])
c = http.client.HTTPConnection("127.0.0.1", port)
def post(path, body):
    c.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    r = c.getresponse(); data = r.read()
    return r.status, data
W = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
def check(d): return "10X98765432"[sum(int(c) * w for c, w in zip(d, W)) % 11]
for i in range(n):
    first17 = "110105%04d0101%03d" % (1950 + i // 999, i % 999 + 1)
    idn = first17 + check(first17)
    phone = "136%08d" % i
    s, _ = post("/api/v1/auth/register", {"phone": phone, "password": "Bench2026pass", "real_name": "压测用户", "id_number": idn})
    s, d = post("/api/v1/auth/login", {"phone": phone, "password": "Bench2026pass"})
    if s == 200: print(json.loads(d)["token"])
PY
cat >"$tmp/people.lua" <<LUA
local tokens = {}
for line in io.lines("$tmp/tokens.txt") do tokens[#tokens + 1] = line end
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/me/healthcode", {["Authorization"] = "Bearer " .. tokens[(i % #tokens) + 1]})
end
LUA
cat >"$tmp/verify.lua" <<LUA
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer $gtoken"
wrk.body = '{"qr":"$qr","gate":"bench"}'
LUA

# ihosd's CPU time (user + system, clock ticks) so far: CPU per request does not depend on how
# much of the shared cores wrk and the other processes took during the run.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
run_wrk() {
  local label=$1; shift
  local out rps p99 non2xx reqs t0 t1
  t0=$(cpu_ticks)
  out=$(wrk -t2 -c"$CONNS" -d"${DUR}s" --latency "$@")
  t1=$(cpu_ticks)
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' <<<"$out")
  reqs=$(awk '/requests in/ {print $1}' <<<"$out")
  printf '%-40s %10s req/s   p99 %8s   non-2xx %s   ihosd CPU %s us/req\n' "$label" "$rps" "$p99" "${non2xx:-0}" \
    "$(awk -v t=$((t1 - t0)) -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.0f", (n > 0) ? t / hz * 1e6 / n : 0}')"
  echo "$rps" >"$tmp/last_rps"
}
# The ceiling of show my code: the trivial Beast server (bench/run.sh's reference), in this run.
ref=""
if [[ -x $BUILD/beast_reference_server ]]; then
  "$BUILD/beast_reference_server" "$tmp/ref_port" &
  ref_pid=$!
  for _ in $(seq 100); do [[ -s $tmp/ref_port ]] && break; sleep 0.1; done
  main_pid=$pid
  pid=$ref_pid
  run_wrk "reference (trivial Beast, its CPU)" "http://127.0.0.1:$(cat "$tmp/ref_port")/healthz"
  ref=$(cat "$tmp/last_rps")
  pid=$main_pid
  kill "$ref_pid" && wait "$ref_pid" 2>/dev/null || true
  ref_pid=""
fi
echo "== HTTP, ihosd on $(nproc) cores, SQLite, wrk -t2 -c$CONNS -d${DUR}s (wrk shares the cores); ihosd flags: ${IHOSD_FLAGS:-none}"
echo "show-my-code body: $(curl -sf -H "Authorization: Bearer $ptoken" "$base/api/v1/me/healthcode" | wc -c) bytes; load: $(cut -d' ' -f1-3 /proc/loadavg)"
run_wrk "GET /api/v1/me/healthcode (show my code)" -H "Authorization: Bearer $ptoken" "$base/api/v1/me/healthcode"
show=$(cat "$tmp/last_rps")
run_wrk "GET /me/healthcode, $(wc -l <"$tmp/tokens.txt") people in turn" -s "$tmp/people.lua" "$base/api/v1/me/healthcode"
run_wrk "  same people again (cards still valid)" -s "$tmp/people.lua" "$base/api/v1/me/healthcode"
run_wrk "POST /api/v1/healthcode/verify (online)" -s "$tmp/verify.lua" "$base/api/v1/healthcode/verify"
verify=$(cat "$tmp/last_rps")
[[ -n $ref ]] && awk -v s="$show" -v r="$ref" 'BEGIN {printf "ratio show my code : reference = %.2f (goal >= 0.40)\n", s / r}'
awk -v v="$verify" -v r="$raw_verify" 'BEGIN {printf "ratio verify : raw ES256 verify = %.2f (goal >= 0.80)\n", v / r}'
echo "load after the HTTP runs: $(cut -d' ' -f1-3 /proc/loadavg)"
kill "$pid"; wait "$pid" 2>/dev/null || true; pid=""
echo "== in-process ($BUILD/healthcode_bench $CHECKINS 3)"
"$BUILD/healthcode_bench" "$CHECKINS" 3
