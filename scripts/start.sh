#!/usr/bin/env bash
# Starts Quorum (API + worker in one process) on a fresh clone: installs dependencies and builds.
# - Neither DATABASE_URL nor REDIS_URL set (or --embedded): embedded mode, no services needed
#   (PGlite under .data/embedded, shared state in process, no Redis), demo data seeded on first start.
# - Otherwise: makes sure PostgreSQL and Redis run (installing Debian's packages when missing and
#   root), applies migrations, then serves on them. Extra args go to `quorum all`.
set -euo pipefail
cd "$(dirname "$0")/.."

node scripts/with-build.mjs
embedded=0
if [ -z "${DATABASE_URL:-}" ] && [ -z "${REDIS_URL:-}" ]; then embedded=1; fi
for arg in "$@"; do
  if [ "$arg" = "--embedded" ]; then embedded=1; fi
done
if [ "$embedded" = 1 ]; then
  args=("$@")
  case " $* " in *" --embedded "*) ;; *) args+=(--embedded) ;; esac
  exec node bin/quorum.js all "${args[@]}"
fi
bash scripts/ensure-services.sh
node bin/quorum.js migrate
exec node bin/quorum.js all "$@"
