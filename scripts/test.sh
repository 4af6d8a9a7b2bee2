#!/usr/bin/env bash
# The whole test suite: lint, type-check, unit, integration (real PostgreSQL + Redis) and e2e tiers.
# Works as the first command on a fresh clone: installs dependencies and starts services when missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ]; then
  echo "==> installing dependencies (npm ci)"
  npm ci --no-audit --no-fund
fi
echo "==> services"
bash scripts/ensure-services.sh
echo "==> tools for format tests"
bash scripts/ensure-firewall-tools.sh
echo "==> prisma client"
node scripts/prisma-generate.mjs >/dev/null
echo "==> lint"
npx eslint --max-warnings 0 src test bench agent-client/src agent-client/bench
echo "==> type-check"
npx tsc -p tsconfig.json --noEmit
if [ -f agent-client/tsconfig.json ]; then npx tsc -p agent-client/tsconfig.json --noEmit; fi
echo "==> tests"
# No --forceExit: every test closes what it opens (apps, servers, clients, timers, workers, child
# processes), so Jest exits by itself; a leak shows as "Jest did not exit" (find it with --detectOpenHandles).
# One test file at a time (they share the test database), in one worker process that Jest replaces once
# its heap passes JEST_WORKER_MEMORY after a file: a single process running every file in band kept
# each file's module graph and died at V8's 4 GB heap limit three quarters of the way through.
NODE_OPTIONS="${NODE_OPTIONS:-} --experimental-vm-modules" npx jest --config jest.config.cjs --maxWorkers=1 --workerIdleMemoryLimit="${JEST_WORKER_MEMORY:-1536MB}" --ci "$@"
