-- Resent signals are recognised against the signal rows themselves instead of a second table holding
-- every (reporter, uuid) pair again: signal_uuid cost ~150 bytes per signal, heap and index
-- (docs/scaling.md "Storage per signal"). The ingest statement looks the batch's uuids up in this index
-- on a 64-bit hash of (reporter, uuid), over the partitions of the resend window, and rechecks reporter
-- and uuid on the rows it finds (src/signals/signals.repository.ts). A partitioned table cannot hold a
-- unique index across its partitions, so the index is not unique: the reporter's batches are serialised
-- by a transaction-scoped advisory lock instead. Built on the partitioned parent: every existing and
-- future day partition gets it; rows without a uuid are left out.
--
-- Existing rows: every stored signal keeps its uuid, so what signal_uuid recognised is still recognised,
-- except a uuid whose signal row was erased (an IP's erasure removes its raw signals): a resend of it is
-- stored again, as a new report would be.

CREATE INDEX "signal_resend_idx" ON "signal" ((hashtextextended("reporter" || '/' || "uuid", 0))) WHERE "uuid" IS NOT NULL;

DROP TABLE "signal_uuid";
