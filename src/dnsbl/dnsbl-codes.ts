// What each lookup classification answers in the DNSBL zone (pure). Documented in docs/lookup.md.
import type { Classification } from '../lookup/answer/ip-answer.js';

/**
 * `a`: the A record (127.0.0.x) or null for none. `exists`: whether the name exists (NOERROR, with a
 * TXT record) or not (NXDOMAIN). Only addresses worth refusing get an A record, so a consumer that
 * treats any A record as "listed" (Postfix `reject_rbl_client zone` without a filter) never refuses
 * a crawler, a resolver or a private address: benign and reserved names exist with a TXT record only.
 */
export const DNSBL_CODES: Readonly<Record<Classification, { a: string | null; exists: boolean }>> = {
  malicious: { a: '127.0.0.2', exists: true },
  suspicious: { a: '127.0.0.3', exists: true },
  benign: { a: null, exists: true },
  reserved: { a: null, exists: true },
  unknown: { a: null, exists: false },
};

/** RFC 5782 §5 test points: 127.0.0.2 is always listed, 127.0.0.1 never (IPv6: ::ffff:127.0.0.x). */
export const TEST_POINT_LISTED = 0x7f000002;
export const TEST_POINT_UNLISTED = 0x7f000001;

/** Seconds resolvers may cache an answer (positive and negative). */
export const DNSBL_TTL = 60;
