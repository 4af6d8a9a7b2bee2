-- ip_key is stored only where it differs from ip (an IPv6 address's /64; a range's key is its own text,
-- an IPv4 address's is itself): about 15 bytes per IPv4 signal (docs/scaling.md "Storage per signal").
-- Every reader takes coalesce(ip_key, ip) (src/signals/signals-feed.repository.ts), and the index is on
-- that expression, so reads by key are served as before. Existing rows are kept: their redundant ip_key
-- is cleared (the UPDATE rewrites every row; run it in a maintenance window on a large database).

DROP INDEX "signal_ip_key_idx";
ALTER TABLE "signal" ALTER COLUMN "ip_key" DROP NOT NULL;
UPDATE "signal" SET "ip_key" = NULL WHERE "ip_key" = "ip";
CREATE INDEX "signal_ip_key_idx" ON "signal" ((coalesce("ip_key", "ip")));
