# shellcheck shell=bash
# The platform's service processes: name and HTTP port. Sourced by up.sh, down.sh and the e2e tests.
KETENLINK_APPS="${KETENLINK_APPS:-trajectory:3001 placement-intake:3002 agreements:3003}"
export KETENLINK_APPS

# Node flags of every service process. A 4 MB young generation (semi-space) keeps a service near
# 150 MB RSS idle and under 200 MB after 10,000 requests instead of growing to ~360 MB
# (docs/benchmarks.md "Service start-up and memory"); override with KETENLINK_NODE_FLAGS.
KETENLINK_NODE_FLAGS="${KETENLINK_NODE_FLAGS:---max-semi-space-size=4}"
export KETENLINK_NODE_FLAGS

# Services run as compiled JavaScript (docs/adr/0018-build-and-module-graph.md): `nx run-many -t
# build` writes dist/<name>/ (cached by Nx); this is the entry point of one service.
ketenlink_service_main() {
  printf '%s/dist/%s/services/%s/src/main.js\n' "${KETENLINK_ROOT:-.}" "$1" "$1"
}
# Builds the services of KETENLINK_APPS (a no-op from Nx's cache when nothing changed).
ketenlink_build_services() {
  local names=()
  for app in $KETENLINK_APPS; do names+=("${app%%:*}"); done
  (cd "${KETENLINK_ROOT:-.}" && NX_DAEMON=false "${KETENLINK_ROOT:-.}/node_modules/.bin/nx" run-many \
    -t build -p "${names[@]}" --output-style=static)
}
