-- Operator console, revenue and customer actions (docs/operators.md).

-- An organisation suspended by a staff operator: its API keys are refused with 403
-- `organization_suspended` until it is resumed (agents domain; audited organization.suspended/resumed).
ALTER TABLE "organization" ADD COLUMN "suspended_at" TIMESTAMPTZ(3);
ALTER TABLE "organization" ADD COLUMN "suspension_reason" TEXT;

-- A payment that failed, as Stripe reported it on the invoice (invoice.payment_failed): the invoice keeps
-- Stripe's own status (open, paid, uncollectible, void); these say that and when a payment attempt failed.
ALTER TABLE "invoice" ADD COLUMN "attempt_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "invoice" ADD COLUMN "next_payment_attempt" TIMESTAMPTZ(3);
ALTER TABLE "invoice" ADD COLUMN "payment_failed_at" TIMESTAMPTZ(3);

-- Every state a subscription went through (the `subscription` row keeps only the newest one).
CREATE TABLE "subscription_change" (
    "id" BIGSERIAL NOT NULL,
    "subscription_id" TEXT NOT NULL,
    "organization_id" UUID NOT NULL,
    "status" TEXT NOT NULL,
    "plan_id" TEXT NOT NULL,
    "amount_cents" INTEGER NOT NULL,
    "state_at" BIGINT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "subscription_change_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "subscription_change_subscription_id_state_at_status_key" ON "subscription_change"("subscription_id", "state_at", "status");
CREATE INDEX "subscription_change_organization_id_at_idx" ON "subscription_change"("organization_id", "at");

-- The revenue figures of each UTC day, written by the billing job (the trend of the revenue page).
CREATE TABLE "billing_daily" (
    "day" DATE NOT NULL,
    "mrr_cents" BIGINT NOT NULL,
    "live_subscriptions" INTEGER NOT NULL,
    "past_due" INTEGER NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "billing_daily_pkey" PRIMARY KEY ("day")
);

-- A plan given free of charge for a period by a staff admin, with the reason (audited plan.comped).
CREATE TABLE "plan_comp" (
    "id" UUID NOT NULL,
    "organization_id" UUID NOT NULL,
    "plan_id" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "reason" TEXT NOT NULL,
    "granted_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "plan_comp_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "plan_comp_organization_id_ends_at_idx" ON "plan_comp"("organization_id", "ends_at");
