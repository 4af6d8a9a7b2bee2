-- CreateTable
CREATE TABLE "plan" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "burst_per_second" INTEGER NOT NULL,
    "daily_quota" INTEGER NOT NULL,
    "monthly_quota" INTEGER NOT NULL,
    "bulk_size" INTEGER NOT NULL,
    "fields" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "views" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "plan_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "organization_plan" (
    "organization_id" UUID NOT NULL,
    "plan_id" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "organization_plan_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "api_key" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "scopes" TEXT[],
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "usage_counter" (
    "organization_id" UUID NOT NULL,
    "api_key_id" UUID NOT NULL,
    "hour" TIMESTAMPTZ(0) NOT NULL,
    "lookups" BIGINT NOT NULL,

    CONSTRAINT "usage_counter_pkey" PRIMARY KEY ("api_key_id","hour")
);

-- CreateIndex
CREATE INDEX "organization_plan_plan_id_idx" ON "organization_plan"("plan_id");

-- CreateIndex
CREATE UNIQUE INDEX "api_key_key_hash_key" ON "api_key"("key_hash");

-- CreateIndex
CREATE INDEX "api_key_organization_id_idx" ON "api_key"("organization_id");

-- CreateIndex
CREATE INDEX "usage_counter_organization_id_hour_idx" ON "usage_counter"("organization_id", "hour");

-- AddForeignKey
ALTER TABLE "organization_plan" ADD CONSTRAINT "organization_plan_plan_id_fkey" FOREIGN KEY ("plan_id") REFERENCES "plan"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Seed: the four commercial plans (operators edit them later through /v1/admin/plans/{id}).
INSERT INTO "plan" ("id", "name", "burst_per_second", "daily_quota", "monthly_quota", "bulk_size", "fields", "views") VALUES
  ('free', 'Free', 5, 1000, 10000, 0, ARRAY['reporters', 'history', 'network'], ARRAY['ip']),
  ('pro', 'Pro', 20, 20000, 500000, 100, ARRAY['reporters', 'scenarios', 'history', 'network'], ARRAY['ip', 'bulk']),
  ('business', 'Business', 100, 200000, 5000000, 500, ARRAY['reporters', 'scenarios', 'history', 'network', 'range'], ARRAY['ip', 'bulk', 'range']),
  ('enterprise', 'Enterprise', 1000, 5000000, 100000000, 1000, ARRAY['reporters', 'scenarios', 'history', 'network', 'range'], ARRAY['ip', 'bulk', 'range']);
