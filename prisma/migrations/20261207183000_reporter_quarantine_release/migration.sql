-- An operator's release of a reporter from the scoring engine's quarantine (docs/operators.md, "Community"):
-- the request is kept on the reporter row until a scoring run applies it (release_applied_at), and a
-- rebuilt or restored engine applies again the releases made after its snapshot.
ALTER TABLE "reporter" ADD COLUMN "release_requested_at" TIMESTAMPTZ(3),
ADD COLUMN "release_requested_by" TEXT,
ADD COLUMN "release_reason" TEXT,
ADD COLUMN "release_applied_at" TIMESTAMPTZ(3),
ADD COLUMN "release_outcome" TEXT;
