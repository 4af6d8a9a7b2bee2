-- An API key may expire (docs/customers.md, "API keys"): from expires_at on, the key is refused like a
-- revoked one. NULL: the key lasts until revoked (every existing key).
ALTER TABLE "api_key" ADD COLUMN "expires_at" TIMESTAMPTZ(3);
