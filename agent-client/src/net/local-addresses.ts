import { networkInterfaces } from 'node:os';

import { type Cidr, parseCidr } from './cidr.js';

/** Loopback, RFC 1918, CGNAT, link-local and unique-local ranges: never worth reporting to a community list. */
export const PRIVATE_RANGES: readonly string[] = [
  '0.0.0.0/8',
  '10.0.0.0/8',
  '100.64.0.0/10',
  '127.0.0.0/8',
  '169.254.0.0/16',
  '172.16.0.0/12',
  '192.168.0.0/16',
  '::/128',
  '::1/128',
  'fc00::/7',
  'fe80::/10',
];

/** The host's own addresses, as single-address CIDRs. */
export function ownAddresses(): Cidr[] {
  const out: Cidr[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const info of list ?? []) {
      const c = parseCidr(info.address.split('%')[0]);
      if (c) out.push(c);
    }
  }
  return out;
}

export function privateRanges(): Cidr[] {
  return PRIVATE_RANGES.map((r) => {
    const c = parseCidr(r);
    if (!c) throw new Error(`bad built-in range ${r}`);
    return c;
  });
}
