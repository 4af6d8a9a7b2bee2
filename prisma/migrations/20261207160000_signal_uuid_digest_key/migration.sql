-- signal_uuid (idempotency of resent signals) was a third of the bytes stored per signal, mostly its
-- text primary key (reporter, uuid): ~125 bytes per row. Uniqueness of (reporter, uuid) is now a
-- unique index on a 16-byte digest of it, md5(reporter || '/' || uuid) as a uuid: ~40 bytes per row.
-- Reporter pseudonyms are hex and uuids never contain '/', so the text hashed is one-to-one; the
-- reporter pseudonym is a keyed HMAC nobody outside the service knows, so no client can aim a
-- digest collision at another reporter's uuids. The insert's `ON CONFLICT DO NOTHING` uses it as its
-- arbiter (src/signals/signals.repository.ts). created_at only serves the retention sweep of rows
-- inserted in time order: a BRIN index instead of a B-tree. Existing rows are kept.
-- Sizes: docs/scaling.md "Storage per signal".

ALTER TABLE "signal_uuid" DROP CONSTRAINT "signal_uuid_pkey";
CREATE UNIQUE INDEX "signal_uuid_digest_key" ON "signal_uuid" ((md5("reporter" || '/' || "uuid")::uuid));

DROP INDEX "signal_uuid_created_at_idx";
CREATE INDEX "signal_uuid_created_at_idx" ON "signal_uuid" USING BRIN ("created_at") WITH (autosummarize = on);
