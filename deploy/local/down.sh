#!/usr/bin/env bash
# Stops the services, then Kafka and Zipkin (PostgreSQL is the machine's and stays up).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
# shellcheck source=deploy/local/services.sh
source deploy/local/services.sh
for app in $KETENLINK_APPS; do
  name="${app%%:*}"
  pidfile="$KETENLINK_DATA/run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    echo "== stopping $name (pid $pid)"
    kill -TERM "$pid"
    for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
done
bash deploy/local/infra.sh down
