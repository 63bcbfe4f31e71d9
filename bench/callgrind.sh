#!/usr/bin/env bash
# Instructions per request, which do not depend on the machine's load (figures for the issue
# notes; not a test): ihosd and build/beast_reference_server each run under
# `valgrind --tool=callgrind`; after a warm-up the counters are zeroed, exactly N requests are sent
# over one keep-alive connection (bench/keepalive_client.py) and the counters dumped, so
# instructions per request = the dump's total / N (every thread: I/O, workers, the log flusher).
# Prints each figure and its ratio to the reference, and callgrind_annotate's top entries.
# WHAT=verify: POST /api/v1/healthcode/verify of one card (a gate's scan, the verified-card cache warm),
# beside the instructions of one raw ES256 verify (ECDSA_verify inclusive / its calls under
# `openssl speed ecdsap256`).
# Usage: bench/callgrind.sh [N=20000] [WHAT=healthz|me|all|verify]   (BUILD=build; SQLite in a temp dir;
#        OUT=dir keeps the callgrind files; TOP=entries listed, 25 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
N=${1:-20000}
WHAT=${2:-all}
TOP=${TOP:-25}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ihos-callgrind.XXXXXX")
OUT=${OUT:-$tmp}
mkdir -p "$OUT"
pid=""
cleanup() {
  [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
  rm -rf "$tmp"
}
trap cleanup EXIT
client=bench/keepalive_client.py

wait_port() { for _ in $(seq 600); do [[ -s $1 ]] && return; sleep 0.1; done; echo "no port in $1" >&2; exit 1; }

# measure LABEL PID PORT PATH [client args...]: zero, N requests, dump; prints Ir per request.
measure() {
  local label=$1 p=$2 port=$3 path=$4; shift 4
  python3 "$client" "$port" 200 "$path" "$@" >/dev/null  # warm-up (lazy set-up, caches)
  callgrind_control -z "$p" >/dev/null 2>&1
  local statuses
  statuses=$(python3 "$client" "$port" "$N" "$path" "$@")
  callgrind_control --dump="$label" "$p" >/dev/null 2>&1
  local f total
  f=$(ls -t "$OUT"/callgrind.out."$p".* | head -1)
  total=$(awk '/^(summary|totals):/ {print $2; exit}' "$f")
  cp "$f" "$OUT/$label.callgrind"
  printf '%-28s %14s Ir / %d requests = %9.0f Ir/request   statuses %s\n' "$label" "$total" "$N" \
    "$(echo "$total / $N" | bc -l)" "$statuses"
  echo "$total" >"$OUT/$label.total"
}

vg=(valgrind --tool=callgrind --callgrind-out-file="$OUT/callgrind.out.%p")
echo "callgrind, $N requests over one keep-alive connection; ihosd $(git rev-parse --short HEAD 2>/dev/null || echo '?')"

"${vg[@]}" "$BUILD/beast_reference_server" "$tmp/ref_port" 2>"$tmp/ref.vg" &
pid=$!
wait_port "$tmp/ref_port"
measure reference "$pid" "$(cat "$tmp/ref_port")" /healthz
kill "$pid" && wait "$pid" 2>/dev/null || true
pid=""
ref=$(cat "$OUT/reference.total")

db=sqlite:$tmp/bench.db
if [[ $WHAT == verify ]]; then
  "$BUILD/ihos" --db "$db" admin create --phone 13700000001 --password Bench2026admin --real-name 压测门岗 \
    --id-number 110105198001010016 --password-hash-profile test >/dev/null
fi
"${vg[@]}" "$BUILD/ihosd" --db "$db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent --password-hash-profile test --register-sms-code off ${IHOSD_FLAGS:-} 2>"$tmp/ihosd.vg" &
pid=$!
wait_port "$tmp/port"
port=$(cat "$tmp/port")
if [[ $WHAT == healthz || $WHAT == all ]]; then
  measure healthz "$pid" "$port" /healthz
  echo "healthz / reference: $(echo "scale=2; $(cat "$OUT/healthz.total") / $ref" | bc) x the reference's instructions"
fi
if [[ $WHAT == me || $WHAT == all ]]; then
  base="http://127.0.0.1:$port"
  curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000000","password":"Bench2026pass","real_name":"压测用户","id_number":"110105199001010010"}' "$base/api/v1/auth/register" >/dev/null
  token=$(curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000000","password":"Bench2026pass"}' "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
  measure me "$pid" "$port" /api/v1/me GET "" "Authorization: Bearer $token"
  echo "me / reference: $(echo "scale=2; $(cat "$OUT/me.total") / $ref" | bc) x the reference's instructions"
fi
if [[ $WHAT == verify ]]; then
  base="http://127.0.0.1:$port"
  login() { curl -sf -H 'Content-Type: application/json' -d "{\"phone\":\"$1\",\"password\":\"$2\"}" "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])'; }
  curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002","password":"Bench2026pass","real_name":"压测用户","id_number":"110105199001010010"}' "$base/api/v1/auth/register" >/dev/null
  ptoken=$(login 13700000002 Bench2026pass)
  gtoken=$(login 13700000001 Bench2026admin)
  qr=$(curl -sf -H "Authorization: Bearer $ptoken" "$base/api/v1/me/healthcode" | python3 -c 'import json,sys; print(json.load(sys.stdin)["card"]["qr_text"])')
  measure verify "$pid" "$port" /api/v1/healthcode/verify POST "{\"qr\":\"$qr\",\"gate\":\"bench\"}" "Authorization: Bearer $gtoken"
  kill "$pid" && wait "$pid" 2>/dev/null || true
  pid=""
  valgrind --tool=callgrind --callgrind-out-file="$OUT/openssl.callgrind" openssl speed -seconds 2 ecdsap256 >/dev/null 2>&1
  # callgrind names a function once as "(id) name" and then by "(id)" alone.
  raw=$(awk '!id && / ECDSA_verify$/ {match($0, /\([0-9]+\)/); id = substr($0, RSTART, RLENGTH)}
             id && index($0, "cfn=" id) == 1 {getline; split($1, c, "="); calls += c[2]; getline; ir += $2}
             END {if (calls) printf "%.0f", ir / calls}' "$OUT/openssl.callgrind")
  echo "raw ES256 verify (openssl ECDSA_verify): $raw Ir; verify / raw: $(echo "scale=2; $(cat "$OUT/verify.total") / $N / $raw" | bc) x"
fi
for f in "$OUT"/reference.callgrind "$OUT"/healthz.callgrind "$OUT"/me.callgrind "$OUT"/verify.callgrind; do
  [[ -f $f ]] || continue
  echo "== $(basename "$f" .callgrind): top $TOP inclusive"
  callgrind_annotate --inclusive=yes "$f" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -"$TOP" | cut -c1-200
  echo "== $(basename "$f" .callgrind): top $TOP exclusive"
  callgrind_annotate "$f" 2>/dev/null | grep -E '^ *[0-9,]+ ' | head -"$TOP" | cut -c1-200
done
