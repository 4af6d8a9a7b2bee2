-- GDPR R6 (network pseudonym keys with rotation), R10 (delisting escalation) and R13 (erasure ledger).
-- See docs/privacy.md.

-- AlterTable
ALTER TABLE "delisting_request" ADD COLUMN "escalated_at" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "network_key" (
    "id" INTEGER NOT NULL,
    "secret" BYTEA,
    "valid_from" TIMESTAMPTZ(3) NOT NULL,
    "retire_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyed_at" TIMESTAMPTZ(3),

    CONSTRAINT "network_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "erasure_ledger" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "erasure_ledger_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "erasure_ledger_kind_subject_key" ON "erasure_ledger"("kind", "subject");

-- CreateIndex
CREATE INDEX "erasure_ledger_erased_at_idx" ON "erasure_ledger"("erased_at");
