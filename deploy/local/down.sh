#!/usr/bin/env bash
# Stops the services, then Kafka and Zipkin (PostgreSQL is the machine's and stays up).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
# shellcheck source=deploy/local/services.sh
source deploy/local/services.sh
# Every service gets SIGTERM at once and has its shutdown deadline (KETENLINK_SHUTDOWN_TIMEOUT_MS,
# default 10 s, docs/adr/0017-availability-and-shutdown.md) plus 2 s; whatever still runs then
# is killed. Services exit by their deadline on their own, Kafka reachable or not.
deadline_ms=$((${KETENLINK_SHUTDOWN_TIMEOUT_MS:-10000} + 2000))
pids=()
for app in $KETENLINK_APPS; do
  name="${app%%:*}"
  pidfile="$KETENLINK_DATA/run/$name.pid"
  [ -f "$pidfile" ] || continue
  pid="$(cat "$pidfile")"
  if kill -0 "$pid" 2>/dev/null; then
    echo "== stopping $name (pid $pid)"
    kill -TERM "$pid"
    pids+=("$pid")
  fi
  rm -f "$pidfile"
done
end=$((SECONDS * 1000 + deadline_ms))
for pid in "${pids[@]}"; do
  while kill -0 "$pid" 2>/dev/null && [ $((SECONDS * 1000)) -lt "$end" ]; do sleep 0.25; done
  if kill -0 "$pid" 2>/dev/null; then
    echo "!! pid $pid still running after ${deadline_ms} ms: SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
done
bash deploy/local/infra.sh down
