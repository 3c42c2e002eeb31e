# shellcheck shell=bash
# Ketenlink local infrastructure: the ONE place for ports, versions and paths.
# Sourced by deploy/local/infra.sh; source it in your shell too:
#   source deploy/local/env.sh
# Every value can be overridden by setting it in the environment beforehand.

KETENLINK_ROOT="${KETENLINK_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
KETENLINK_DATA="${KETENLINK_DATA:-$KETENLINK_ROOT/.data}"
export KETENLINK_ROOT KETENLINK_DATA

# --- Kafka (Apache Kafka, KRaft, one combined broker+controller) -------------
KAFKA_VERSION="${KAFKA_VERSION:-4.4.0}"            # see docs/adr/0002-kafka-broker-version.md
KAFKA_PORT="${KAFKA_PORT:-9092}"                   # PLAINTEXT listener (clients)
KAFKA_CONTROLLER_PORT="${KAFKA_CONTROLLER_PORT:-9093}"  # CONTROLLER listener (KRaft)
# SASL_PLAINTEXT listener with SCRAM-SHA-512 and ACLs (partner systems; docs/partner-gateway.md)
KAFKA_SASL_PORT="${KAFKA_SASL_PORT:-$((KAFKA_PORT + 2))}"
KAFKA_HEAP_OPTS="${KAFKA_HEAP_OPTS:--Xms128m -Xmx512m}"
export KAFKA_VERSION KAFKA_PORT KAFKA_CONTROLLER_PORT KAFKA_SASL_PORT KAFKA_HEAP_OPTS

# --- Zipkin -------------------------------------------------------------------
ZIPKIN_VERSION="${ZIPKIN_VERSION:-3.6.1}"
ZIPKIN_PORT="${ZIPKIN_PORT:-9411}"
ZIPKIN_HEAP_OPTS="${ZIPKIN_HEAP_OPTS:--Xms64m -Xmx256m}"
export ZIPKIN_VERSION ZIPKIN_PORT ZIPKIN_HEAP_OPTS

# --- PostgreSQL (the machine's server; not started/stopped by us except "start if down") --
PGHOST="${PGHOST:-127.0.0.1}"
PGPORT="${PGPORT:-5432}"
PGUSER="${PGUSER:-postgres}"
export PGHOST PGPORT PGUSER

# One database per service, plus ketenlink_<svc>_test for the tests.
KETENLINK_SERVICES="${KETENLINK_SERVICES:-trajectory placement_intake agreements plan_reviews handover partner_gateway messaging}"
export KETENLINK_SERVICES

# --- What the services read ---------------------------------------------------
export KAFKA_BROKERS="127.0.0.1:${KAFKA_PORT}"
export KAFKA_SASL_BROKERS="127.0.0.1:${KAFKA_SASL_PORT}"
export ZIPKIN_URL="http://127.0.0.1:${ZIPKIN_PORT}"

# DATABASE_URL for one service: ketenlink_database_url <service> [test]
ketenlink_database_url() {
  local db="ketenlink_$1"
  if [ "${2:-}" = "test" ]; then db="${db}_test"; fi
  printf 'postgres://%s@%s:%s/%s\n' "$PGUSER" "$PGHOST" "$PGPORT" "$db"
}

# --- Tools ------------------------------------------------------------------
if [ -z "${KETENLINK_NODE:-}" ]; then
  if [ -x "$KETENLINK_ROOT/node_modules/.bin/node" ]; then
    KETENLINK_NODE="$KETENLINK_ROOT/node_modules/.bin/node"
  else
    KETENLINK_NODE="node"
  fi
fi
JAVA="${JAVA:-java}"
MVN="${MVN:-mvn}"
# Maven's local repository for the jars we download (kept under .data/, wiped with it).
KETENLINK_M2="${KETENLINK_M2:-$KETENLINK_DATA/m2}"
KETENLINK_READY_TIMEOUT="${KETENLINK_READY_TIMEOUT:-90}"   # seconds per component
export KETENLINK_NODE JAVA MVN KETENLINK_M2 KETENLINK_READY_TIMEOUT

# The trajectory service's identity vault key (AES-256, docs/consent-model.md). Locally a key is
# made once and kept in .data/secrets (never committed); elsewhere the platform provides it.
if [ -z "${IDENTITY_ENCRYPTION_KEYS:-}" ]; then
  _identity_key_file="$KETENLINK_DATA/secrets/identity-encryption-keys"
  if [ ! -s "$_identity_key_file" ]; then
    mkdir -p "$(dirname "$_identity_key_file")"
    (umask 077 && printf 'local1:%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >"$_identity_key_file")
  fi
  IDENTITY_ENCRYPTION_KEYS="$(cat "$_identity_key_file")"
fi
export IDENTITY_ENCRYPTION_KEYS

# The partner gateway's key for webhook signing secrets at rest (AES-256, same pattern).
if [ -z "${PARTNER_SECRET_KEYS:-}" ]; then
  _partner_key_file="$KETENLINK_DATA/secrets/partner-secret-keys"
  if [ ! -s "$_partner_key_file" ]; then
    mkdir -p "$(dirname "$_partner_key_file")"
    (umask 077 && printf 'local1:%s\n' "$(head -c 32 /dev/urandom | base64 | tr -d '\n')" >"$_partner_key_file")
  fi
  PARTNER_SECRET_KEYS="$(cat "$_partner_key_file")"
fi
export PARTNER_SECRET_KEYS
# Local webhooks may go to a receiver on the loopback over plain HTTP (elsewhere: HTTPS only).
export PARTNER_WEBHOOK_ALLOW_LOOPBACK_HTTP="${PARTNER_WEBHOOK_ALLOW_LOOPBACK_HTTP:-true}"
