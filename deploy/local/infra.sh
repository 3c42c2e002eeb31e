#!/usr/bin/env bash
# Ketenlink local infrastructure without Docker.
#
#   deploy/local/infra.sh up     [kafka|zipkin|postgres ...]   start (idempotent), wait until ready
#   deploy/local/infra.sh status [kafka|zipkin|postgres ...]   print up/down; exit 1 if something is down
#   deploy/local/infra.sh down   [kafka|zipkin ...]            stop Kafka and Zipkin (PostgreSQL is left alone)
#   deploy/local/infra.sh reset                                down + wipe Kafka's data (keeps the jars)
#
# Ports, versions and paths: deploy/local/env.sh. Everything we create lives under $KETENLINK_DATA (.data/).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source-path=SCRIPTDIR source=env.sh
source "$HERE/env.sh"

DATA="$KETENLINK_DATA"
RUN_DIR="$DATA/run"
LOG_DIR="$DATA/logs"

KAFKA_HOME="$DATA/kafka"
KAFKA_LIBS="$KAFKA_HOME/libs"
KAFKA_STAMP="$KAFKA_HOME/libs.stamp"
KAFKA_CONF="$KAFKA_HOME/config"
KAFKA_DATA="$KAFKA_HOME/data"
KAFKA_LOGS="$KAFKA_HOME/logs"
KAFKA_PID="$RUN_DIR/kafka.pid"
KAFKA_POM="$HERE/kafka/pom.xml"

ZIPKIN_HOME="$DATA/zipkin"
ZIPKIN_JAR="$ZIPKIN_HOME/zipkin-server-${ZIPKIN_VERSION}-exec.jar"
ZIPKIN_LOGS="$ZIPKIN_HOME/logs"
ZIPKIN_PID="$RUN_DIR/zipkin.pid"
ZIPKIN_MEM_MAX_SPANS="${ZIPKIN_MEM_MAX_SPANS:-50000}"

DEP_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
STOP_TIMEOUT="${KETENLINK_STOP_TIMEOUT:-30}"

# ----------------------------------------------------------------------------- helpers
log() { printf '[infra] %s\n' "$*" >&2; }
die() { printf '[infra] ERROR: %s\n' "$*" >&2; exit 1; }

# tail_logs <file>...: show the end of each existing log file on stderr
tail_logs() {
  local f
  for f in "$@"; do
    if [ -s "$f" ]; then
      printf '[infra] ---- last 40 lines of %s ----\n' "$f" >&2
      tail -n 40 "$f" >&2
      printf '[infra] ----\n' >&2
    fi
  done
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null; }

# who listens on a TCP port (for error messages)
port_owner() { ss -Hltnp "sport = :$1" 2>/dev/null | head -n 3 || true; }

# pid_alive <pidfile> <marker>: the pid in the file runs and its command line contains marker
pid_alive() {
  local pidfile="$1" marker="$2" pid
  [ -s "$pidfile" ] || return 1
  pid="$(cat "$pidfile")"
  [[ "$pid" =~ ^[0-9]+$ ]] || return 1
  kill -0 "$pid" 2>/dev/null || return 1
  tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF -- "$marker"
}

# wait_ready <name> <pidfile> <marker> <check-fn> <log>...: poll check-fn until it succeeds,
# failing fast if the process died and failing after KETENLINK_READY_TIMEOUT seconds.
wait_ready() {
  local name="$1" pidfile="$2" marker="$3" check="$4"
  shift 4
  local deadline=$((SECONDS + KETENLINK_READY_TIMEOUT))
  while true; do
    if ! pid_alive "$pidfile" "$marker"; then
      tail_logs "$@"
      die "$name exited during start-up (logs above)"
    fi
    if "$check" >/dev/null 2>&1; then
      return 0
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail_logs "$@"
      die "$name not ready after ${KETENLINK_READY_TIMEOUT}s (logs above); it is still running, pid $(cat "$pidfile")"
    fi
    sleep 1
  done
}

# stop_proc <name> <pidfile> <marker>: SIGTERM, wait, then SIGKILL
stop_proc() {
  local name="$1" pidfile="$2" marker="$3" pid
  if ! pid_alive "$pidfile" "$marker"; then
    rm -f "$pidfile"
    log "$name: not running"
    return 0
  fi
  pid="$(cat "$pidfile")"
  log "$name: stopping (SIGTERM to pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT))
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$SECONDS" -ge "$deadline" ]; then
      log "$name: still running after ${STOP_TIMEOUT}s, SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 1
      break
    fi
    sleep 0.5
  done
  rm -f "$pidfile"
  log "$name: stopped"
}

# start_bg <pidfile> <logfile> <cmd...>: run detached (own session, survives the caller's
# process group being killed); the child writes its own pid before exec'ing the command.
start_bg() {
  local pidfile="$1" logfile="$2"
  shift 2
  rm -f "$pidfile"
  # shellcheck disable=SC2016
  # 9>&- : do not hand the infra.sh lock to the long-running child.
  setsid nohup bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null 9>&- &
  local _
  for _ in $(seq 1 50); do
    [ -s "$pidfile" ] && return 0
    sleep 0.1
  done
  die "could not start: $*"
}

check_java() {
  command -v "$JAVA" >/dev/null 2>&1 || die "java not found (set JAVA=...); Java 17+ is required"
  local v
  v="$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n1)"
  if [ -n "$v" ] && [ "$v" -ge 17 ]; then return 0; fi
  die "Java 17+ required, found: $("$JAVA" -version 2>&1 | head -n1)"
}

mvn_run() { # mvn_run <logfile> <args...>
  local logfile="$1"
  shift
  command -v "$MVN" >/dev/null 2>&1 || die "mvn not found (set MVN=...); needed once to download jars"
  mkdir -p "$KETENLINK_M2"
  if ! "$MVN" -B -ntp -Dmaven.repo.local="$KETENLINK_M2" "$@" >"$logfile" 2>&1; then
    tail_logs "$logfile"
    die "maven failed (full log: $logfile)"
  fi
}

# ----------------------------------------------------------------------------- kafka
kafka_marker="kafka.Kafka $KAFKA_CONF/server.properties"

kafka_stamp() {
  printf 'kafka=%s pom=%s\n' "$KAFKA_VERSION" "$(sha256sum "$KAFKA_POM" | cut -c1-16)"
}

kafka_libs_current() {
  [ -d "$KAFKA_LIBS" ] && [ -f "$KAFKA_STAMP" ] && [ "$(cat "$KAFKA_STAMP")" = "$(kafka_stamp)" ]
}

kafka_ensure_libs() {
  kafka_libs_current && return 0
  log "kafka: fetching Apache Kafka $KAFKA_VERSION jars from Maven Central (once) -> $KAFKA_LIBS"
  rm -rf "$KAFKA_LIBS.tmp"
  mvn_run "$LOG_DIR/maven-kafka.log" -f "$KAFKA_POM" -Dkafka.version="$KAFKA_VERSION" \
    "$DEP_PLUGIN:copy-dependencies" -DincludeScope=runtime -DoutputDirectory="$KAFKA_LIBS.tmp"
  [ -f "$KAFKA_LIBS.tmp/kafka_2.13-$KAFKA_VERSION.jar" ] ||
    die "kafka_2.13-$KAFKA_VERSION.jar missing after download (see $LOG_DIR/maven-kafka.log)"
  rm -rf "$KAFKA_LIBS"
  mv "$KAFKA_LIBS.tmp" "$KAFKA_LIBS"
  kafka_stamp >"$KAFKA_STAMP"
}

kafka_write_config() {
  mkdir -p "$KAFKA_CONF" "$KAFKA_DATA" "$KAFKA_LOGS"
  cat >"$KAFKA_CONF/server.properties" <<EOF
# Generated by deploy/local/infra.sh -- edits are overwritten on the next "up".
# Single node, KRaft, combined broker + controller, static quorum of one voter.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:${KAFKA_CONTROLLER_PORT}
# PLAINTEXT (loopback): the platform's own services, unchanged. SASL_PLAINTEXT: partner systems,
# each with its own SCRAM-SHA-512 user that the ACLs below the authorizer let read only its
# own topic and commit only its own group (docs/partner-gateway.md; production: TLS as well).
listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},CONTROLLER://127.0.0.1:${KAFKA_CONTROLLER_PORT},SASL_PLAINTEXT://127.0.0.1:${KAFKA_SASL_PORT}
advertised.listeners=PLAINTEXT://127.0.0.1:${KAFKA_PORT},SASL_PLAINTEXT://127.0.0.1:${KAFKA_SASL_PORT}
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
sasl.enabled.mechanisms=SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;

# ACLs (KRaft). Clients on the loopback PLAINTEXT and CONTROLLER listeners are User:ANONYMOUS:
# super users, so internal traffic needs no ACL. Everyone else needs an ACL (deny by default).
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:ANONYMOUS
allow.everyone.if.no.acl.found=false
log.dirs=${KAFKA_DATA}

# The platform creates its topics itself.
auto.create.topics.enable=false
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1

# Internal topics on one node.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=10
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1

# Fast consumer-group joins for development and tests.
group.initial.rebalance.delay.ms=0

# Small machine.
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
log.retention.hours=72
log.segment.bytes=104857600
EOF
  cat >"$KAFKA_CONF/log4j2.properties" <<EOF
# Generated by deploy/local/infra.sh: the broker logs to ${KAFKA_LOGS}/server.log
status = warn
name = ketenlink-kafka
appender.file.type = RollingFile
appender.file.name = FILE
appender.file.fileName = \${sys:ketenlink.kafka.logfile:-${KAFKA_LOGS}/server.log}
appender.file.filePattern = \${sys:ketenlink.kafka.logfile:-${KAFKA_LOGS}/server.log}.%i
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
appender.file.policies.type = Policies
appender.file.policies.size.type = SizeBasedTriggeringPolicy
appender.file.policies.size.size = 20MB
appender.file.strategy.type = DefaultRolloverStrategy
appender.file.strategy.max = 3
rootLogger.level = INFO
rootLogger.appenderRef.file.ref = FILE
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.authorizer.name = kafka.authorizer.logger
logger.authorizer.level = WARN
EOF
}

kafka_java() { # kafka_java <heap/jvm opts string> <main class> <args...>: the tools log to format.log
  local opts="$1"
  shift
  # shellcheck disable=SC2086
  "$JAVA" $opts -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_CONF/log4j2.properties" \
    -Dketenlink.kafka.logfile="$KAFKA_LOGS/format.log" \
    -Dkafka.logs.dir="$KAFKA_LOGS" \
    -cp "$KAFKA_LIBS/*" "$@"
}

kafka_format_once() {
  [ -f "$KAFKA_DATA/meta.properties" ] && return 0
  if [ ! -s "$KAFKA_HOME/cluster.id" ]; then
    kafka_java "-Xmx128m" kafka.tools.StorageTool random-uuid >"$KAFKA_HOME/cluster.id" 2>>"$KAFKA_LOGS/format.log" ||
      { tail_logs "$KAFKA_LOGS/format.log"; die "kafka: could not generate a cluster id"; }
  fi
  log "kafka: formatting storage (cluster id $(cat "$KAFKA_HOME/cluster.id"))"
  if ! kafka_java "-Xmx256m" kafka.tools.StorageTool format --ignore-formatted \
    --cluster-id "$(cat "$KAFKA_HOME/cluster.id")" --config "$KAFKA_CONF/server.properties" \
    >>"$KAFKA_LOGS/format.log" 2>&1; then
    tail_logs "$KAFKA_LOGS/format.log"
    die "kafka: storage format failed"
  fi
}

kafka_metadata_ok() { "$KETENLINK_NODE" "$HERE/kafka/ready.js" "127.0.0.1:$KAFKA_PORT"; }
kafka_ready() { port_open 127.0.0.1 "$KAFKA_PORT" && kafka_metadata_ok; }

kafka_up() {
  if pid_alive "$KAFKA_PID" "$kafka_marker"; then
    kafka_libs_current || log "kafka: WARNING running with other jars than $(kafka_stamp); run 'down' then 'up' to switch"
    wait_ready kafka "$KAFKA_PID" "$kafka_marker" kafka_ready "$KAFKA_LOGS/kafka.out" "$KAFKA_LOGS/server.log"
    log "kafka: already running (pid $(cat "$KAFKA_PID")) on 127.0.0.1:$KAFKA_PORT"
    return 0
  fi
  local p
  for p in "$KAFKA_PORT" "$KAFKA_CONTROLLER_PORT" "$KAFKA_SASL_PORT"; do
    if port_open 127.0.0.1 "$p"; then
      die "kafka: port $p is already in use by a process not started by this script: $(port_owner "$p")"
    fi
  done
  check_java
  kafka_ensure_libs
  kafka_write_config
  kafka_format_once
  log "kafka: starting Apache Kafka $KAFKA_VERSION on 127.0.0.1:$KAFKA_PORT (controller $KAFKA_CONTROLLER_PORT)"
  # shellcheck disable=SC2086
  start_bg "$KAFKA_PID" "$KAFKA_LOGS/kafka.out" \
    "$JAVA" $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35 \
    -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$KAFKA_CONF/log4j2.properties" -Dkafka.logs.dir="$KAFKA_LOGS" \
    -cp "$KAFKA_LIBS/*" kafka.Kafka "$KAFKA_CONF/server.properties"
  printf '%s\n' "$KAFKA_VERSION" >"$RUN_DIR/kafka.version"
  wait_ready kafka "$KAFKA_PID" "$kafka_marker" kafka_ready "$KAFKA_LOGS/kafka.out" "$KAFKA_LOGS/server.log"
  log "kafka: ready (pid $(cat "$KAFKA_PID"))"
}

kafka_down() { stop_proc kafka "$KAFKA_PID" "$kafka_marker"; }

kafka_status() {
  local where="127.0.0.1:$KAFKA_PORT (controller :$KAFKA_CONTROLLER_PORT)"
  if pid_alive "$KAFKA_PID" "$kafka_marker"; then
    if kafka_ready >/dev/null 2>&1; then
      printf '%-9s up    %s  pid %s, Apache Kafka %s\n' kafka "$where" "$(cat "$KAFKA_PID")" "$(kafka_running_version)"
      return 0
    fi
    printf '%-9s down  %s  process %s runs but the broker does not answer (log: %s)\n' kafka "$where" "$(cat "$KAFKA_PID")" "$KAFKA_LOGS/server.log"
    return 1
  fi
  if port_open 127.0.0.1 "$KAFKA_PORT"; then
    printf '%-9s down  %s  port taken by a process not started by infra.sh: %s\n' kafka "$where" "$(port_owner "$KAFKA_PORT")"
    return 1
  fi
  printf '%-9s down  %s\n' kafka "$where"
  return 1
}

kafka_running_version() { cat "$RUN_DIR/kafka.version" 2>/dev/null || printf '?'; }

kafka_reset() {
  kafka_down
  log "kafka: wiping data, config, logs and cluster id under $KAFKA_HOME (jars kept)"
  rm -rf "$KAFKA_DATA" "$KAFKA_CONF" "$KAFKA_LOGS" "$KAFKA_HOME/cluster.id"
}

# ----------------------------------------------------------------------------- zipkin
zipkin_marker="$ZIPKIN_JAR"

zipkin_ensure_jar() {
  [ -s "$ZIPKIN_JAR" ] && return 0
  log "zipkin: fetching io.zipkin:zipkin-server:$ZIPKIN_VERSION:exec from Maven Central (once)"
  mkdir -p "$ZIPKIN_HOME"
  mvn_run "$LOG_DIR/maven-zipkin.log" -f "$KAFKA_POM" "$DEP_PLUGIN:copy" \
    -Dartifact="io.zipkin:zipkin-server:${ZIPKIN_VERSION}:jar:exec" -DoutputDirectory="$ZIPKIN_HOME"
  [ -s "$ZIPKIN_JAR" ] || die "zipkin: $ZIPKIN_JAR missing after download (see $LOG_DIR/maven-zipkin.log)"
}

zipkin_ready() { curl -fsS -m 2 "http://127.0.0.1:$ZIPKIN_PORT/health" 2>/dev/null | grep -q '"UP"'; }

zipkin_up() {
  if pid_alive "$ZIPKIN_PID" "$zipkin_marker"; then
    wait_ready zipkin "$ZIPKIN_PID" "$zipkin_marker" zipkin_ready "$ZIPKIN_LOGS/zipkin.log"
    log "zipkin: already running (pid $(cat "$ZIPKIN_PID")) on 127.0.0.1:$ZIPKIN_PORT"
    return 0
  fi
  if port_open 127.0.0.1 "$ZIPKIN_PORT"; then
    die "zipkin: port $ZIPKIN_PORT is already in use by a process not started by this script: $(port_owner "$ZIPKIN_PORT")"
  fi
  check_java
  zipkin_ensure_jar
  mkdir -p "$ZIPKIN_LOGS"
  log "zipkin: starting Zipkin $ZIPKIN_VERSION on 127.0.0.1:$ZIPKIN_PORT (in-memory storage)"
  # KAFKA_BOOTSTRAP_SERVERS would switch on Zipkin's Kafka collector: make sure it is unset.
  # The armeria.ports[0] arguments bind the HTTP port to 127.0.0.1 only (default is all interfaces).
  # shellcheck disable=SC2086
  start_bg "$ZIPKIN_PID" "$ZIPKIN_LOGS/zipkin.log" \
    env -u KAFKA_BOOTSTRAP_SERVERS STORAGE_TYPE=mem MEM_MAX_SPANS="$ZIPKIN_MEM_MAX_SPANS" \
    QUERY_PORT="$ZIPKIN_PORT" \
    "$JAVA" $ZIPKIN_HEAP_OPTS -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -jar "$ZIPKIN_JAR" \
    "--armeria.ports[0].ip=127.0.0.1" "--armeria.ports[0].port=$ZIPKIN_PORT" "--armeria.ports[0].protocols[0]=http"
  wait_ready zipkin "$ZIPKIN_PID" "$zipkin_marker" zipkin_ready "$ZIPKIN_LOGS/zipkin.log"
  log "zipkin: ready (pid $(cat "$ZIPKIN_PID")) $ZIPKIN_URL"
}

zipkin_down() { stop_proc zipkin "$ZIPKIN_PID" "$zipkin_marker"; }

zipkin_status() {
  if pid_alive "$ZIPKIN_PID" "$zipkin_marker" && zipkin_ready; then
    printf '%-9s up    127.0.0.1:%s  pid %s, Zipkin %s\n' zipkin "$ZIPKIN_PORT" "$(cat "$ZIPKIN_PID")" "$ZIPKIN_VERSION"
    return 0
  fi
  if port_open 127.0.0.1 "$ZIPKIN_PORT"; then
    printf '%-9s down  127.0.0.1:%s  port taken but not a healthy Zipkin started by infra.sh: %s\n' zipkin "$ZIPKIN_PORT" "$(port_owner "$ZIPKIN_PORT")"
    return 1
  fi
  printf '%-9s down  127.0.0.1:%s\n' zipkin "$ZIPKIN_PORT"
  return 1
}

# ----------------------------------------------------------------------------- postgres
pg_ready() { pg_isready -q -h "$PGHOST" -p "$PGPORT" -t 2; }

pg_databases() {
  local svc
  for svc in $KETENLINK_SERVICES; do
    [[ "$svc" =~ ^[a-z0-9_]+$ ]] || die "bad service name in KETENLINK_SERVICES: '$svc'"
    printf 'ketenlink_%s\nketenlink_%s_test\n' "$svc" "$svc"
  done
}

postgres_up() {
  if ! pg_ready; then
    case "$PGHOST" in
      127.0.0.1 | localhost | ::1) ;;
      *) die "postgres: $PGHOST:$PGPORT does not answer and is not local; start it yourself" ;;
    esac
    command -v pg_ctlcluster >/dev/null 2>&1 || die "postgres: not running and pg_ctlcluster not found"
    local ver
    ver="$(find /etc/postgresql -mindepth 1 -maxdepth 1 -printf '%f\n' | sort -V | tail -n1)"
    log "postgres: not answering on $PGHOST:$PGPORT, starting cluster $ver/main"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start ||
      { tail_logs "/var/log/postgresql/postgresql-$ver-main.log"; die "postgres: start failed"; }
    local deadline=$((SECONDS + KETENLINK_READY_TIMEOUT))
    until pg_ready; do
      [ "$SECONDS" -lt "$deadline" ] ||
        { tail_logs "/var/log/postgresql/postgresql-$ver-main.log"; die "postgres: not ready after ${KETENLINK_READY_TIMEOUT}s"; }
      sleep 1
    done
  fi
  local existing db created=0
  existing="$(psql -XAtq -d postgres -c 'SELECT datname FROM pg_database')" ||
    die "postgres: cannot query $PGUSER@$PGHOST:$PGPORT"
  for db in $(pg_databases); do
    if ! grep -qx "$db" <<<"$existing"; then
      psql -Xq -v ON_ERROR_STOP=1 -d postgres -c "CREATE DATABASE \"$db\"" >/dev/null ||
        die "postgres: could not create database $db"
      created=$((created + 1))
    fi
  done
  log "postgres: ready on $PGHOST:$PGPORT ($(pg_databases | wc -l) databases, $created created now)"
}

postgres_status() {
  if ! pg_ready; then
    printf '%-9s down  %s:%s\n' postgres "$PGHOST" "$PGPORT"
    return 1
  fi
  local existing db missing=()
  existing="$(psql -XAtq -d postgres -c 'SELECT datname FROM pg_database' 2>/dev/null || true)"
  for db in $(pg_databases); do
    grep -qx "$db" <<<"$existing" || missing+=("$db")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    printf '%-9s down  %s:%s  server up, databases missing: %s (run: infra.sh up)\n' postgres "$PGHOST" "$PGPORT" "${missing[*]}"
    return 1
  fi
  printf '%-9s up    %s:%s  user %s, %s databases ketenlink_*\n' postgres "$PGHOST" "$PGPORT" "$PGUSER" "$(pg_databases | wc -l)"
}

# ----------------------------------------------------------------------------- main
usage() {
  sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

ALL=(postgres kafka zipkin)

COMPS=()
components() { # validate component names into COMPS; default: all
  if [ "$#" -eq 0 ]; then
    COMPS=("${ALL[@]}")
    return
  fi
  local c
  for c in "$@"; do
    case "$c" in
      kafka | zipkin | postgres) COMPS+=("$c") ;;
      *) die "unknown component '$c' (kafka, zipkin, postgres)" ;;
    esac
  done
}

cmd="${1:-}"
[ -n "$cmd" ] || usage
shift

mkdir -p "$RUN_DIR" "$LOG_DIR"
# One infra.sh at a time per data directory (several people/agents share the machine).
exec 9>"$RUN_DIR/infra.lock"
if ! flock -w 600 9; then die "another infra.sh holds $RUN_DIR/infra.lock for more than 10 minutes"; fi

case "$cmd" in
  up)
    start=$EPOCHREALTIME
    # The readiness checks run on the repo's Node 24; a fresh checkout installs it first.
    if [ ! -x "$KETENLINK_ROOT/node_modules/.bin/node" ]; then
      bash "$KETENLINK_ROOT/scripts/ensure-deps.sh"
      KETENLINK_NODE="$KETENLINK_ROOT/node_modules/.bin/node"
    fi
    components "$@"
    for c in "${COMPS[@]}"; do "${c}_up"; done
    log "up in $(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.1f", b - a }')s. KAFKA_BROKERS=$KAFKA_BROKERS ZIPKIN_URL=$ZIPKIN_URL PGHOST=$PGHOST PGPORT=$PGPORT"
    ;;
  down)
    components "$@"
    for c in "${COMPS[@]}"; do
      case "$c" in
        postgres) log "postgres: left alone (the machine's server)" ;;
        *) "${c}_down" ;;
      esac
    done
    ;;
  status)
    components "$@"
    rc=0
    for c in "${COMPS[@]}"; do "${c}_status" || rc=1; done
    exit "$rc"
    ;;
  reset)
    [ "$#" -eq 0 ] || die "reset takes no arguments"
    kafka_reset
    log "reset done; run: $0 up"
    ;;
  -h | --help | help) usage ;;
  *) usage ;;
esac
