-- Delisting requests: how control was shown (http, https, agent) or that the holder asked for a
-- reasoned review instead (carrier NAT...), the holder's reason and an optional contact. The contact is
-- cleared when the request closes (docs/privacy.md); the unused contact_hash goes.
ALTER TABLE "delisting_request" ADD COLUMN "proof_method" TEXT;
ALTER TABLE "delisting_request" ADD COLUMN "reason" TEXT;
ALTER TABLE "delisting_request" ADD COLUMN "contact" TEXT;
ALTER TABLE "delisting_request" ADD COLUMN "review_requested_at" TIMESTAMPTZ(3);
ALTER TABLE "delisting_request" DROP COLUMN "contact_hash";
