#!/usr/bin/env bash
# Starts Quorum (API + worker in one process) on a fresh clone: installs dependencies, builds,
# makes sure PostgreSQL and Redis run, applies migrations, then serves. Extra args go to `quorum all`.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/with-build.mjs
bash scripts/ensure-services.sh
node bin/quorum.js migrate
exec node bin/quorum.js all "$@"
