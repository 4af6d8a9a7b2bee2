-- Fewer bytes per signal in the indexes of the signal table (docs/scaling.md "Storage per signal"):
--  * The primary key becomes (id, received_at): it serves the scoring run's read of the rows after its
--    cursor (`WHERE id > $last ORDER BY id`), so the separate index on id goes. A partitioned table's
--    key must include the partition key, hence received_at second.
--  * The index on (ip_key, received_at) becomes one on ip_key alone: day partitions already bound every
--    read by received_at, and without the timestamp the B-tree deduplicates the entries of one key (an
--    IP reported many times costs a few bytes per further signal instead of a full entry).
-- Built on the partitioned parent: every existing and future day partition gets them. Existing rows are
-- kept; the table is locked while the indexes are built.

ALTER TABLE "signal" DROP CONSTRAINT "signal_pkey";
ALTER TABLE "signal" ADD CONSTRAINT "signal_pkey" PRIMARY KEY ("id", "received_at");
DROP INDEX "signal_id_idx";

DROP INDEX "signal_ip_key_received_at_idx";
CREATE INDEX "signal_ip_key_idx" ON "signal"("ip_key");
