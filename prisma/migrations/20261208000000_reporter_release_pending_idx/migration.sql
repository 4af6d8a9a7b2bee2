-- Every scoring run reads the quarantine releases still waiting to be applied
-- (src/consensus/quarantine-release/quarantine-release.repository.ts, `pending`). A partial index holds
-- only those rows, in the order the run applies them, so the read no longer scans the whole reporter
-- table on each run (docs/scaling.md). SQL only: Prisma's schema cannot express a partial index.
CREATE INDEX "reporter_release_pending_idx" ON "reporter" ("release_requested_at") WHERE "release_requested_at" IS NOT NULL AND "release_applied_at" IS NULL;
