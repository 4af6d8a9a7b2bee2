-- CreateTable
CREATE TABLE "blocklist_version" (
    "id" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "added" INTEGER NOT NULL,
    "removed" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,

    CONSTRAINT "blocklist_version_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "blocklist_entry" (
    "id" BIGSERIAL NOT NULL,
    "value" TEXT NOT NULL,
    "ip_key" TEXT NOT NULL,
    "scope" TEXT NOT NULL,
    "scenario_class" TEXT NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,
    "added_in" INTEGER NOT NULL,
    "removed_in" INTEGER,

    CONSTRAINT "blocklist_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "blocklist_entry_added_in_idx" ON "blocklist_entry"("added_in");

-- CreateIndex
CREATE INDEX "blocklist_entry_removed_in_until_idx" ON "blocklist_entry"("removed_in", "until");

-- CreateIndex
CREATE INDEX "blocklist_entry_ip_key_removed_in_idx" ON "blocklist_entry"("ip_key", "removed_in");
