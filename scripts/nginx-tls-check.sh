#!/bin/sh
# Tests deploy/nginx-ihos.conf: makes a self-signed certificate, starts ihosd on plain HTTP on a
# loopback port and nginx (Debian's nginx-light, a plain process with a temporary prefix) with the
# config in front of it, then checks over HTTPS, verifying the certificate: /healthz answers with
# HSTS, TLS 1.1 is refused, and a WebSocket upgrade of /api/v1/ws is switched through. Everything
# listens on 127.0.0.1 and is stopped (by its pid) at the end. Prints one line per check.
#
#   scripts/nginx-tls-check.sh [BUILD_DIR]      # default build; needs nginx, openssl, curl
set -eu
cd "$(dirname "$0")/.."
BUILD=${1:-build}
command -v nginx >/dev/null || { echo "nginx is not installed (apt-get install nginx-light)"; exit 2; }
tmp=$(mktemp -d)
ihosd_pid=""
nginx_pid=""
cleanup() {
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null || true
  [ -n "$ihosd_pid" ] && kill "$ihosd_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=DNS:localhost -keyout "$tmp/key.pem" -out "$tmp/cert.pem" 2>/dev/null

"$BUILD/ihosd" --db "sqlite:$tmp/ihos.db" --listen 127.0.0.1:0 --port-file "$tmp/port" --log-file "$tmp/ihosd.log" \
  --web-root /nonexistent --max-connections-per-client 0 &
ihosd_pid=$!
i=0
while [ ! -s "$tmp/port" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
[ -s "$tmp/port" ] || { echo "ihosd did not start"; exit 1; }
upstream="127.0.0.1:$(cat "$tmp/port")"

port=$(free_port)
mkdir -p "$tmp/nginx"
sed -e "s|@PREFIX@|$tmp/nginx|g" -e "s|@UPSTREAM@|$upstream|g" -e "s|@LISTEN@|127.0.0.1:$port|g" \
  -e "s|@SERVER_NAME@|localhost|g" -e "s|@CERT@|$tmp/cert.pem|g" -e "s|@KEY@|$tmp/key.pem|g" \
  deploy/nginx-ihos.conf > "$tmp/nginx/nginx.conf"
nginx -t -q -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log"
nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/error.log" -g 'daemon off;' &
nginx_pid=$!
i=0
while ! curl -s -o /dev/null --cacert "$tmp/cert.pem" --resolve "localhost:$port:127.0.0.1" "https://localhost:$port/healthz" \
  && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done

fail=0
# check NAME COMMAND...: runs COMMAND, prints ok/FAIL.
check() {
  name=$1
  shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
base="https://localhost:$port"
opts="-s --cacert $tmp/cert.pem --resolve localhost:$port:127.0.0.1 --max-time 10"

headers=$(curl $opts -D - -o /dev/null "$base/healthz" || true)
check "GET /healthz over HTTPS (certificate verified): 200" sh -c "echo '$headers' | grep -q '^HTTP/[0-9.]* 200'"
check "HSTS header" sh -c "echo '$headers' | grep -qi '^strict-transport-security: max-age=31536000; includeSubDomains'"
code=$(curl $opts -o /dev/null -w '%{http_code}' "$base/api/v1/me" || true)
check "GET /api/v1/me without a session: 401 from ihosd through nginx" test "$code" = 401
# A client that offers only TLS 1.1 (allowed on its side: SECLEVEL=0) gets the server's alert.
tls11=$(echo | timeout 10 openssl s_client -connect "127.0.0.1:$port" -servername localhost -tls1_1 \
  -cipher 'DEFAULT:@SECLEVEL=0' 2>&1 || true)
check "TLS 1.1 refused by the server (alert protocol version)" sh -c "echo '$tls11' | grep -q 'alert protocol version'"
ws=$(curl $opts --http1.1 -i -N --max-time 3 -H 'Connection: Upgrade' -H 'Upgrade: websocket' \
  -H 'Sec-WebSocket-Version: 13' -H 'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==' "$base/api/v1/ws" 2>/dev/null || true)
check "WebSocket upgrade of /api/v1/ws: 101 Switching Protocols" sh -c "echo '$ws' | grep -q '^HTTP/1.1 101'"
if [ $fail = 0 ]; then echo "nginx config: all checks passed"; else echo "nginx config: FAILED"; fi
exit $fail
