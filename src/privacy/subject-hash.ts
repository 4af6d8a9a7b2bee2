import { pseudonym } from '../common/crypto/pseudonym.js';

/** Keyed hashes under which privacy records name their subject: never the IP or the organisation id. */
export function ipSubject(secret: string, ipKey: string): string {
  return pseudonym(secret, `privacy-ip:${ipKey}`);
}

export function organizationSubject(secret: string, organizationId: string): string {
  return pseudonym(secret, `privacy-org:${organizationId}`);
}

/** One IPv6 address (IPv6 erasure is per address; `ipSubject` names its /64, the consensus key). */
export function ipAddressSubject(secret: string, address: string): string {
  return pseudonym(secret, `privacy-ip-address:${address}`);
}
