#!/usr/bin/env bash
# The test command (README): everything CI checks, in CI's order, doing its own set-up:
# lint → format → type check → contract compatibility → unit → integration → end to end.
# Integration and e2e tests start the local Kafka/Zipkin/PostgreSQL themselves (or use
# testcontainers when Docker is there, or KAFKA_BROKERS + PG_BASE_URL when given).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
bash scripts/ensure-deps.sh
export PATH="$ROOT/node_modules/.bin:$PATH"
RESULTS="$ROOT/.data/test-results"
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
echo "node $(node --version)"

step() { echo; echo "== $*"; }
step "lint (ESLint with Nx module boundaries)"
nx show projects >/dev/null # builds the project graph the boundary rule reads
eslint . --max-warnings=0
step "format (Prettier)"
prettier --check . --log-level warn
step "type check (tsc strict)"
tsc -p tsconfig.json --noEmit
step "contracts: published schemas unchanged or compatible"
node -r @swc-node/register contracts/tools/check-compat.ts

status=0
for tier in unit int e2e; do
  step "tests: $tier"
  extra=()
  [ "$tier" = unit ] || extra=(--runInBand)
  jest --selectProjects "$tier" "${extra[@]}" --json --outputFile="$RESULTS/$tier.json" || status=$?
  [ "$status" -eq 0 ] || break
done

node -e '
const fs = require("fs"); let p = 0, f = 0, s = 0;
for (const t of ["unit", "int", "e2e"]) {
  const file = `${process.argv[1]}/${t}.json`;
  if (!fs.existsSync(file)) continue;
  const r = JSON.parse(fs.readFileSync(file, "utf8"));
  p += r.numPassedTests; f += r.numFailedTests + r.numRuntimeErrorTestSuites; s += r.numPendingTests + r.numTodoTests;
  console.log(`${t}: ${r.numPassedTests} passed, ${r.numFailedTests} failed`);
}
console.log(`tests: ${p} passed, ${f} failed, ${s} skipped`);
' "$RESULTS"
exit "$status"
