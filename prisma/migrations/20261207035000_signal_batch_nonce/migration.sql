-- Signed-batch nonces kept in PostgreSQL for the replay window (twice the allowed clock skew), so a
-- batch replayed after Redis lost its data is refused like before (409 replayed_nonce). Written in the
-- same statement as the batch's signals (src/signals/signals.repository.ts); expired rows are swept by
-- the signal-nonce-sweep job.

-- CreateTable
CREATE TABLE "signal_batch_nonce" (
    "agent_id" UUID NOT NULL,
    "nonce" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "signal_batch_nonce_pkey" PRIMARY KEY ("agent_id","nonce")
);

-- CreateIndex
CREATE INDEX "signal_batch_nonce_expires_at_idx" ON "signal_batch_nonce"("expires_at");
