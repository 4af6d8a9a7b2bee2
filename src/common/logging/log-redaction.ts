/**
 * Logs never carry secrets, tokens or raw IP addresses (GDPR R15). Headers with credentials are
 * censored by path; free text is scrubbed of anything shaped like an IPv4 or IPv6 address.
 */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
  'req.headers["x-quorum-signature"]',
  'req.headers["stripe-signature"]',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.secret',
  '*.apiKey',
  '*.enrollKey',
];

const IPV4 = /\b(?:\d{1,3}\.){3}\d{1,3}\b/g;
// The compressed form (`::`) is tried first: otherwise `2001:db8::77` would leave its tail behind.
const IPV6 = /\b(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?|\b(?:[0-9a-f]{1,4}:){2,7}(?::|[0-9a-f]{1,4})\b/gi;

export function scrubIps(text: string): string {
  return text.replace(IPV4, '<ip>').replace(IPV6, '<ip>');
}
