# shellcheck shell=bash
# The platform's service processes: name and HTTP port. Sourced by up.sh, down.sh and the e2e tests.
KETENLINK_APPS="${KETENLINK_APPS:-trajectory:3001 placement-intake:3002}"
export KETENLINK_APPS
