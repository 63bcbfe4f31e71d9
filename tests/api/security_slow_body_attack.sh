#!/usr/bin/env bash
# Runs security_slow_body_attack.py against a fresh ihosd on 127.0.0.1 (SQLite in a temp dir).
# usage: tests/api/security_slow_body_attack.sh IHOSD [ATTACK=10000] [DURATION=20] [SOURCES=1] [extra ihosd flags...]
set -euo pipefail
IHOSD=$1; ATTACK=${2:-10000}; DURATION=${3:-20}; SOURCES=${4:-1}; shift $(( $# < 4 ? $# : 4 ))
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d); pid=
cleanup() { [[ -n $pid ]] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT
"$IHOSD" --db "sqlite:$tmp/a.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent --password-hash-profile test --log-level warn "$@" &
pid=$!
for _ in $(seq 300); do [[ -s $tmp/port ]] && break; sleep 0.1; done
base="http://127.0.0.1:$(cat "$tmp/port")"
# Registration proves the phone: the code comes from the demo SMS endpoint (demo provider only).
curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002"}' "$base/api/v1/auth/register/code" >/dev/null
code=$(curl -sf "$base/api/v1/demo/sms?phone=13700000002" | python3 -c 'import json,re,sys; print(re.search(r"\d{6}", json.load(sys.stdin)["messages"][0]["text"]).group(0))')
curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002","password":"Attack2026pass","real_name":"测试用户","id_number":"110105199001010010","sms_code":"'"$code"'"}' "$base/api/v1/auth/register" >/dev/null
token=$(curl -sf -H 'Content-Type: application/json' -d '{"phone":"13700000002","password":"Attack2026pass"}' "$base/api/v1/auth/login" | python3 -c 'import json,sys; print(json.load(sys.stdin)["token"])')
python3 "$here/security_slow_body_attack.py" "$(cat "$tmp/port")" "$token" "$ATTACK" "$DURATION" "$SOURCES"
