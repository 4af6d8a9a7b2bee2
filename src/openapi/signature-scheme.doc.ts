/** The agent batch signature scheme, published in the OpenAPI description (also docs/signing.md). */
export const SIGNATURE_SCHEME_DOC = [
  '### Signed signal batches',
  'Every `POST /v1/signals` carries `Authorization: Bearer <agent JWT>` and three headers:',
  '`x-quorum-sent-at` (RFC 3339 UTC time, within 5 minutes of the server clock), `x-quorum-nonce`',
  '(16-64 characters of `[A-Za-z0-9_-]`, never reused by the agent within 24 h) and `x-quorum-signature`',
  '(base64 Ed25519 signature by the agent key). The signed message is the UTF-8 text',
  '`"quorum-signals-v1\\n" + agentId + "\\n" + sentAt + "\\n" + nonce + "\\n"` followed by the exact',
  'JSON body bytes (before any `Content-Encoding`).',
].join('\n');
