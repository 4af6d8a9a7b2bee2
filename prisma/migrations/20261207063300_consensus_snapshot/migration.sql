-- Consensus engine snapshots (src/consensus/snapshot, docs/scaling.md "Snapshots and fail-over"): one
-- row per snapshot with the cursor and generation it matches, its bytes (gzip of a line-per-record
-- stream) in 1 MiB chunks. A row is only used once `complete` is set, after its last chunk.

-- CreateTable
CREATE TABLE "consensus_snapshot" (
    "id" BIGSERIAL NOT NULL,
    "generation" BIGINT NOT NULL,
    "last_signal_id" BIGINT NOT NULL,
    "run_at" TIMESTAMPTZ(3) NOT NULL,
    "format_version" INTEGER NOT NULL,
    "engine_version" INTEGER NOT NULL,
    "params_hash" TEXT NOT NULL,
    "raw_bytes" BIGINT NOT NULL DEFAULT 0,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "chunks" INTEGER NOT NULL DEFAULT 0,
    "sha256" TEXT,
    "complete" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consensus_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consensus_snapshot_chunk" (
    "snapshot_id" BIGINT NOT NULL,
    "seq" INTEGER NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "consensus_snapshot_chunk_pkey" PRIMARY KEY ("snapshot_id","seq")
);

-- The chunks are gzip already: PostgreSQL's own TOAST compression would only cost CPU.
ALTER TABLE "consensus_snapshot_chunk" ALTER COLUMN "data" SET STORAGE EXTERNAL;

-- CreateIndex
CREATE INDEX "consensus_snapshot_complete_generation_idx" ON "consensus_snapshot"("complete", "generation" DESC);

-- AddForeignKey
ALTER TABLE "consensus_snapshot_chunk" ADD CONSTRAINT "consensus_snapshot_chunk_snapshot_id_fkey" FOREIGN KEY ("snapshot_id") REFERENCES "consensus_snapshot"("id") ON DELETE CASCADE ON UPDATE CASCADE;
