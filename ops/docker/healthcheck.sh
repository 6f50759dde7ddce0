#!/usr/bin/env bash
# Container health check: GET /health/ready on the service's own HTTP port, healthy on 200 only.
# Pure bash (/dev/tcp): the JRE image needs no curl or wget.
#   healthcheck [port] [path]   (defaults: $GUARD_HTTP_PORT, /health/ready)
set -uo pipefail
port=${1:-${GUARD_HTTP_PORT:?GUARD_HTTP_PORT is not set}}
path=${2:-/health/ready}
if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  echo "unhealthy: nothing listens on 127.0.0.1:$port" >&2
  exit 1
fi
printf 'GET %s HTTP/1.0\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' "$path" >&3
IFS= read -r -t 5 status <&3 || status=""
body=$(timeout 5 cat <&3 2>/dev/null | tr -d '\r' | sed '1,/^$/d' | head -c 300 || true)
exec 3<&-
case "$status" in
  "HTTP/1."?" 200"*) exit 0 ;;
  *) echo "unhealthy: ${status%$'\r'} ${body}" >&2; exit 1 ;;
esac
