import { pseudonym } from '../common/crypto/pseudonym.js';

/** Keyed hashes under which privacy records name their subject: never the IP or the organisation id. */
export function ipSubject(secret: string, ipKey: string): string {
  return pseudonym(secret, `privacy-ip:${ipKey}`);
}

export function organizationSubject(secret: string, organizationId: string): string {
  return pseudonym(secret, `privacy-org:${organizationId}`);
}

/** The reporter-count bucket shown to IP holders (same buckets as the public explanation). */
export function reporterBucket(count: number): '0' | '1-2' | '3-5' | '6-20' | '>20' {
  if (count <= 0) return '0';
  if (count <= 2) return '1-2';
  if (count <= 5) return '3-5';
  if (count <= 20) return '6-20';
  return '>20';
}
