#!/bin/sh
# Stand-in for Prisma's native schema-engine binary, which the CLI downloads before every command
# (impossible offline). `prisma generate` only checks that the file exists and never runs it.
# Migrations use the WebAssembly engine instead: `quorum migrate` / `quorum migrate-dev <name>`.
echo "prisma/engine-stub.sh: the native schema engine is not installed; use 'quorum migrate' instead of the Prisma CLI" >&2
exit 1
