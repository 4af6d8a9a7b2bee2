-- Local mirrors of the lookup index (docs/lookup.md "Local mirror"): premium plans get the `mirror`
-- view, and each mirror that synced on a UTC day is one row (the billing count: active mirrors per
-- organisation per day).
CREATE TABLE "mirror_activity" (
    "organization_id" UUID NOT NULL,
    "day" DATE NOT NULL,
    "mirror_id" TEXT NOT NULL,
    "api_key_id" UUID NOT NULL,
    "first_sync_at" TIMESTAMPTZ(3) NOT NULL,
    "last_sync_at" TIMESTAMPTZ(3) NOT NULL,
    "syncs" INTEGER NOT NULL,

    CONSTRAINT "mirror_activity_pkey" PRIMARY KEY ("organization_id", "day", "mirror_id")
);

CREATE INDEX "mirror_activity_day_idx" ON "mirror_activity"("day");

UPDATE "plan" SET "views" = array_append("views", 'mirror') WHERE "id" IN ('business', 'enterprise') AND NOT ('mirror' = ANY("views"));
