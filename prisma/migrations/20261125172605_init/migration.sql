-- CreateEnum
CREATE TYPE "OrganizationKind" AS ENUM ('customer', 'community', 'internal');

-- CreateEnum
CREATE TYPE "OperatorRole" AS ENUM ('admin', 'billing', 'support');

-- CreateEnum
CREATE TYPE "AgentKind" AS ENUM ('quorum', 'crowdsec', 'honeypot');

-- CreateEnum
CREATE TYPE "AgentStatus" AS ENUM ('active', 'revoked', 'quarantined');

-- CreateTable
CREATE TABLE "organization" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "kind" "OrganizationKind" NOT NULL DEFAULT 'customer',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "erased_at" TIMESTAMPTZ(3),

    CONSTRAINT "organization_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reporter_key" (
    "organization_id" UUID NOT NULL,
    "secret" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "destroyed_at" TIMESTAMPTZ(3),

    CONSTRAINT "reporter_key_pkey" PRIMARY KEY ("organization_id")
);

-- CreateTable
CREATE TABLE "operator_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "OperatorRole" NOT NULL,
    "disabled" BOOLEAN NOT NULL DEFAULT false,
    "failed_logins" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "organization_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "operator_user_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "enrollment_key" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "prefix" TEXT NOT NULL,
    "key_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "enrollment_key_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "agent" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "kind" "AgentKind" NOT NULL DEFAULT 'quorum',
    "name" TEXT NOT NULL,
    "machine_id" TEXT,
    "password_hash" TEXT,
    "public_key" TEXT,
    "key_version" INTEGER NOT NULL DEFAULT 1,
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "scenarios" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "status" "AgentStatus" NOT NULL DEFAULT 'active',
    "network_pseudonym" TEXT,
    "asn" INTEGER,
    "country" CHAR(2),
    "enrolled_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "enroll_network" TEXT,
    "revoked_at" TIMESTAMPTZ(3),
    "quarantined_at" TIMESTAMPTZ(3),
    "last_login_at" TIMESTAMPTZ(3),
    "last_signal_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "agent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "signal" (
    "id" BIGSERIAL NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL,
    "reporter" TEXT NOT NULL,
    "owner" TEXT NOT NULL,
    "reporter_asn" INTEGER,
    "reporter_net" TEXT,
    "reporter_country" CHAR(2),
    "source" TEXT NOT NULL,
    "ip" TEXT NOT NULL,
    "ip_key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "scenario" TEXT NOT NULL,
    "scenario_version" TEXT,
    "scenario_hash" TEXT,
    "scenario_trust" TEXT,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "stopped_at" TIMESTAMPTZ(3) NOT NULL,
    "uuid" TEXT,
    "labels" JSONB,
    "weight" REAL NOT NULL,
    "flags" SMALLINT NOT NULL DEFAULT 0,

    CONSTRAINT "signal_pkey" PRIMARY KEY ("received_at","id")
) PARTITION BY RANGE ("received_at");

-- Day partitions around the migration time; the worker keeps creating them ahead (ensure-signal-partitions)
-- and retention drops whole days.
DO $$
DECLARE d date;
BEGIN
  FOR d IN SELECT generate_series((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7, interval '1 day')::date LOOP
    EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF "signal" FOR VALUES FROM (%L) TO (%L)',
      'signal_p' || to_char(d, 'YYYYMMDD'), d::text || ' 00:00:00+00', (d + 1)::text || ' 00:00:00+00');
  END LOOP;
END $$;

-- CreateTable
CREATE TABLE "signal_uuid" (
    "reporter" TEXT NOT NULL,
    "uuid" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "signal_uuid_pkey" PRIMARY KEY ("reporter","uuid")
);

-- CreateIndex
CREATE UNIQUE INDEX "operator_user_email_key" ON "operator_user"("email");

-- CreateIndex
CREATE UNIQUE INDEX "enrollment_key_key_hash_key" ON "enrollment_key"("key_hash");

-- CreateIndex
CREATE INDEX "enrollment_key_organization_id_idx" ON "enrollment_key"("organization_id");

-- CreateIndex
CREATE UNIQUE INDEX "agent_machine_id_key" ON "agent"("machine_id");

-- CreateIndex
CREATE INDEX "agent_organization_id_idx" ON "agent"("organization_id");

-- CreateIndex
CREATE INDEX "agent_enroll_network_enrolled_at_idx" ON "agent"("enroll_network", "enrolled_at");

-- CreateIndex
CREATE INDEX "signal_ip_key_received_at_idx" ON "signal"("ip_key", "received_at");

-- CreateIndex
CREATE INDEX "signal_uuid_created_at_idx" ON "signal_uuid"("created_at");

-- AddForeignKey
ALTER TABLE "enrollment_key" ADD CONSTRAINT "enrollment_key_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "agent" ADD CONSTRAINT "agent_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organization"("id") ON DELETE CASCADE ON UPDATE CASCADE;
