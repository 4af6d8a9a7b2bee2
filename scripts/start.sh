#!/usr/bin/env bash
# Starts Quorum (API + worker in one process) on a fresh clone: installs dependencies, builds,
# makes sure PostgreSQL and Redis run, applies migrations, then serves. Extra args go to `quorum all`
# (with --embedded, PostgreSQL and Redis are neither needed nor started).
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/with-build.mjs
# `npm start -- --embedded`: no services at all (PGlite + in-process Redis under .data/embedded).
for arg in "$@"; do
  if [ "$arg" = "--embedded" ]; then exec node bin/quorum.js all "$@"; fi
done
bash scripts/ensure-services.sh
node bin/quorum.js migrate
exec node bin/quorum.js all "$@"
