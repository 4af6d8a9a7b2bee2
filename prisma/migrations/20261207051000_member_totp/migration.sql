-- Optional TOTP second factor of customer members (src/members/totp.ts).
-- AlterTable
ALTER TABLE "member" ADD COLUMN     "totp_enabled_at" TIMESTAMPTZ(3),
ADD COLUMN     "totp_last_step" BIGINT,
ADD COLUMN     "totp_secret" TEXT;
