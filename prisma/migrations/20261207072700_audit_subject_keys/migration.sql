-- Audit subjects' keys (crypto-shredding): audit entries name a subject by HMAC(secret, identifier);
-- deleting the row (organisation erasure) leaves its entries unlinkable while the chain still verifies.
CREATE TABLE "audit_subject_key" (
    "subject" TEXT NOT NULL,
    "secret" BYTEA NOT NULL,
    "token" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_subject_key_pkey" PRIMARY KEY ("subject")
);

CREATE UNIQUE INDEX "audit_subject_key_token_key" ON "audit_subject_key"("token");
