-- CreateTable
CREATE TABLE "privacy_request" (
    "id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "ip" TEXT,
    "status" TEXT NOT NULL,
    "token_hash" TEXT,
    "grounds" TEXT,
    "outcome" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "verified_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "privacy_request_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ip_protection" (
    "ip_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ip_protection_pkey" PRIMARY KEY ("ip_hash")
);

-- CreateTable
CREATE TABLE "audit_anchor" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "after_id" BIGINT NOT NULL,
    "hash" TEXT NOT NULL,
    "pruned_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "audit_anchor_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "privacy_request_subject_idx" ON "privacy_request"("subject");

-- CreateIndex
CREATE INDEX "privacy_request_created_at_idx" ON "privacy_request"("created_at");

-- CreateIndex
CREATE INDEX "privacy_request_closed_at_idx" ON "privacy_request"("closed_at");

-- CreateIndex
CREATE INDEX "ip_protection_expires_at_idx" ON "ip_protection"("expires_at");
