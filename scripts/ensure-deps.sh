#!/usr/bin/env bash
# Installs the npm dependencies (Node 24 included: the `node` package) when they are missing or
# older than package-lock.json. Safe to run every time.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
if [ -x node_modules/.bin/node ] && [ node_modules/.package-lock.json -nt package-lock.json ]; then
  exit 0
fi
echo "== installing npm dependencies"
# `npm install`, not `npm ci`: npm 11.19 (the machine's) rejects its own lock files in `ci`
# because optional platform packages (@swc/core-darwin-*, …) are not recorded. With the lock
# present, `install` resolves the same versions.
npm install --no-audit --no-fund --loglevel=error
if ! node_modules/.bin/node --version | grep -q '^v24\.'; then
  echo "node_modules/.bin/node is not Node 24: $(node_modules/.bin/node --version)" >&2
  exit 1
fi
