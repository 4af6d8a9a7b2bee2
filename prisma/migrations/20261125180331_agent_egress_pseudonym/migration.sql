-- AlterTable
ALTER TABLE "agent" ADD COLUMN     "egress_pseudonym" TEXT;
