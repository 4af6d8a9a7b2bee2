-- List prices of the plans, for the public plan list (GET /v1/plans) when Stripe has no price for a plan.
-- AlterTable
ALTER TABLE "plan" ADD COLUMN     "currency" TEXT NOT NULL DEFAULT 'usd',
ADD COLUMN     "price_cents" INTEGER;

UPDATE "plan" SET "price_cents" = 0 WHERE "id" = 'free';
UPDATE "plan" SET "price_cents" = 4900 WHERE "id" = 'pro';
UPDATE "plan" SET "price_cents" = 19900 WHERE "id" = 'business';
