#!/usr/bin/env bash
# The start command (README): infrastructure, topics, a build, migrations, every service (compiled
# JavaScript from dist/, not a TypeScript register hook), a seeded demo.
# Idempotent: running it again restarts nothing that is healthy.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
bash scripts/ensure-deps.sh
# shellcheck source=deploy/local/env.sh
source deploy/local/env.sh
# shellcheck source=deploy/local/services.sh
source deploy/local/services.sh
NODE="$ROOT/node_modules/.bin/node"
RUN="$KETENLINK_DATA/run"
LOGS="$KETENLINK_DATA/logs"
mkdir -p "$RUN" "$LOGS"

echo "== build (Nx, cached: dist/<service>)"
ketenlink_build_services

bash deploy/local/infra.sh up

echo "== topics"
"$NODE" -r @swc-node/register scripts/create-topics.ts

for app in $KETENLINK_APPS; do
  name="${app%%:*}"
  echo "== migrations: $name"
  "$NODE" "$(ketenlink_service_main "$name")" migrate
done

for app in $KETENLINK_APPS; do
  name="${app%%:*}"
  port="${app##*:}"
  pidfile="$RUN/$name.pid"
  if [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null; then
    echo "== $name already running (pid $(cat "$pidfile"))"
    continue
  fi
  echo "== starting $name on :$port (log: $LOGS/$name.log)"
  # shellcheck disable=SC2086 # KETENLINK_NODE_FLAGS is a list of flags
  PORT="$port" nohup "$NODE" $KETENLINK_NODE_FLAGS "$(ketenlink_service_main "$name")" >>"$LOGS/$name.log" 2>&1 &
  echo $! >"$pidfile"
done

for app in $KETENLINK_APPS; do
  name="${app%%:*}"
  port="${app##*:}"
  for _ in $(seq 1 120); do
    if curl -fsS "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; then
      echo "== $name ready on http://127.0.0.1:$port (OpenAPI: /openapi.json, docs: /docs)"
      continue 2
    fi
    if ! kill -0 "$(cat "$RUN/$name.pid")" 2>/dev/null; then
      echo "!! $name exited; last log lines:" >&2
      tail -n 30 "$LOGS/$name.log" >&2
      exit 1
    fi
    sleep 0.5
  done
  echo "!! $name not ready after 60 s; last log lines:" >&2
  tail -n 30 "$LOGS/$name.log" >&2
  exit 1
done

echo "== seeding the demo"
"$NODE" -r @swc-node/register scripts/seed-demo.ts
