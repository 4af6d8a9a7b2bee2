-- CreateTable
CREATE TABLE "crowdsec_cursor" (
    "id" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "pulled_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "crowdsec_cursor_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crowdsec_bouncer_key" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),
    "last_pull_at" TIMESTAMPTZ(3),
    "user_agent" TEXT,

    CONSTRAINT "crowdsec_bouncer_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "crowdsec_metrics" (
    "agent_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "payload" JSONB NOT NULL,

    CONSTRAINT "crowdsec_metrics_pkey" PRIMARY KEY ("agent_id","kind")
);

-- CreateIndex
CREATE UNIQUE INDEX "crowdsec_bouncer_key_key_hash_key" ON "crowdsec_bouncer_key"("key_hash");

-- CreateIndex
CREATE INDEX "crowdsec_bouncer_key_organization_id_idx" ON "crowdsec_bouncer_key"("organization_id");
