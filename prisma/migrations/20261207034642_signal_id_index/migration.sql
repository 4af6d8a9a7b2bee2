-- The scoring run reads the signals after its cursor (`WHERE id > $last ORDER BY id`). The primary key
-- starts with received_at, so without an index on id that read scans whole day partitions: its cost
-- grew with the table instead of with the new rows. Created on the partitioned parent, so every day
-- partition (existing and future) gets its own index.

-- CreateIndex
CREATE INDEX "signal_id_idx" ON "signal"("id");
