#!/usr/bin/env bash
# Creates ketenlink_<svc> and ketenlink_<svc>_test for every service in KETENLINK_SERVICES
# (same list and names as deploy/local/env.sh / infra.sh). Run by the postgres image on an
# empty data volume only.
set -euo pipefail
for svc in ${KETENLINK_SERVICES:?}; do
  [[ "$svc" =~ ^[a-z0-9_]+$ ]] || { echo "bad service name: $svc" >&2; exit 1; }
  for db in "ketenlink_${svc}" "ketenlink_${svc}_test"; do
    if ! psql -XAtq -U "${POSTGRES_USER:-postgres}" -d postgres -c "SELECT 1 FROM pg_database WHERE datname = '${db}'" | grep -q 1; then
      psql -Xq -v ON_ERROR_STOP=1 -U "${POSTGRES_USER:-postgres}" -d postgres -c "CREATE DATABASE \"${db}\""
    fi
  done
done
