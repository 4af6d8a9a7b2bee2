-- CreateTable
CREATE TABLE "reporter" (
    "pseudonym" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "kind" TEXT NOT NULL DEFAULT 'community',
    "asn" INTEGER,
    "net" TEXT,
    "country" CHAR(2),
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "beta" DOUBLE PRECISION NOT NULL DEFAULT 3,
    "quarantined_at" TIMESTAMPTZ(3),
    "quarantine_reason" TEXT,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "reporter_pkey" PRIMARY KEY ("pseudonym")
);

-- CreateTable
CREATE TABLE "ip_score" (
    "ip_key" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "reporters" INTEGER NOT NULL,
    "established" INTEGER NOT NULL,
    "asns" INTEGER NOT NULL,
    "scenarios" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "listed" BOOLEAN NOT NULL DEFAULT false,
    "listed_at" TIMESTAMPTZ(3),
    "listed_until" TIMESTAMPTZ(3),
    "reason" TEXT,
    "honeypot" BOOLEAN NOT NULL DEFAULT false,
    "version" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ip_score_pkey" PRIMARY KEY ("ip_key")
);

-- CreateTable
CREATE TABLE "listing_explanation" (
    "id" BIGSERIAL NOT NULL,
    "ip_key" TEXT NOT NULL,
    "listed_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "score" REAL NOT NULL,
    "asns" INTEGER NOT NULL,
    "established" INTEGER NOT NULL,
    "scenario_classes" TEXT[],
    "first_seen" TIMESTAMPTZ(3) NOT NULL,
    "last_seen" TIMESTAMPTZ(3) NOT NULL,
    "voters" TEXT[],
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "listing_explanation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "consensus_cursor" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "last_signal_id" BIGINT NOT NULL DEFAULT 0,
    "generation" BIGINT NOT NULL DEFAULT 0,
    "last_tick_at" TIMESTAMPTZ(3),

    CONSTRAINT "consensus_cursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "never_list_entry" (
    "id" BIGSERIAL NOT NULL,
    "cidr" TEXT NOT NULL,
    "category" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "fetched_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "never_list_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "dark_canary" (
    "cidr" TEXT NOT NULL,
    "note" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "dark_canary_pkey" PRIMARY KEY ("cidr")
);

-- CreateTable
CREATE TABLE "delisting_request" (
    "id" UUID NOT NULL,
    "ip_key" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "token_hash" TEXT NOT NULL,
    "contact_hash" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verified_at" TIMESTAMPTZ(3),
    "suppressed_until" TIMESTAMPTZ(3),
    "decided_at" TIMESTAMPTZ(3),
    "decided_by" TEXT,
    "justification" TEXT,
    "closed_at" TIMESTAMPTZ(3),

    CONSTRAINT "delisting_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "reporter_owner_idx" ON "reporter"("owner");

-- CreateIndex
CREATE INDEX "ip_score_version_idx" ON "ip_score"("version");

-- CreateIndex
CREATE INDEX "ip_score_last_seen_idx" ON "ip_score"("last_seen");

-- CreateIndex
CREATE INDEX "listing_explanation_ip_key_listed_at_idx" ON "listing_explanation"("ip_key", "listed_at");

-- CreateIndex
CREATE INDEX "listing_explanation_created_at_idx" ON "listing_explanation"("created_at");

-- CreateIndex
CREATE INDEX "never_list_entry_source_idx" ON "never_list_entry"("source");

-- CreateIndex
CREATE UNIQUE INDEX "never_list_entry_cidr_category_source_key" ON "never_list_entry"("cidr", "category", "source");

-- CreateIndex
CREATE INDEX "delisting_request_ip_key_idx" ON "delisting_request"("ip_key");

-- CreateIndex
CREATE INDEX "delisting_request_status_idx" ON "delisting_request"("status");
