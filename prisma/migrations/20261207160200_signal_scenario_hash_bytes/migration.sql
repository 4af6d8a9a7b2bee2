-- A signal's scenario_hash (a SHA-256 the ingest path accepts only as 64 hex digits) is stored as its
-- 32 bytes instead of 64 characters of text: 32 fewer bytes per signal that carries one
-- (docs/scaling.md "Storage per signal"). Existing hashes are converted, not dropped; the hex form
-- read back is lower case. ALTER TYPE rewrites every day partition under an exclusive lock.

ALTER TABLE "signal" ALTER COLUMN "scenario_hash" SET DATA TYPE BYTEA USING decode("scenario_hash", 'hex');
