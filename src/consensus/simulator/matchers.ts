import { CidrSet } from '../../common/ip/cidr-set.js';
import { parseCidrOrIp } from '../../common/ip/cidr.js';
import { ipKey, parseIp, type ParsedIp } from '../../common/ip/ip-address.js';
import { specialPurpose } from '../../common/ip/special-purpose.js';

/** Parses a vote key (IPv4 text or an IPv6 `/64`) back to its base address. */
export function parseVoteKey(key: string): ParsedIp | null {
  const slash = key.indexOf('/');
  return parseIp(slash >= 0 ? key.slice(0, slash) : key);
}

/**
 * Never-list matcher over vote keys: scenario entries, IANA special-purpose space and our own
 * sensors. An IPv6 /64 key matches when any never-list block lies inside that /64, since
 * listing the /64 would block the protected address.
 */
export function buildNeverList(entries: { cidr: string; category: string }[], ownInfra: string[]): (key: string) => string | null {
  const rows: [string, string][] = entries.map((e) => [e.cidr, e.category]);
  for (const ip of ownInfra) rows.push([ip, 'own-infra']);
  const set = CidrSet.build(rows);
  const inside64 = new Map<string, string>();
  for (const [cidr, category] of rows) {
    const c = parseCidrOrIp(cidr);
    if (c === null || c.version !== 6 || c.prefix <= 64) continue;
    const base = parseIp(c.text.slice(0, c.text.indexOf('/')));
    if (base !== null) inside64.set(ipKey(base), category);
  }
  return (key) => {
    const ip = parseVoteKey(key);
    if (ip === null) return 'invalid';
    if (specialPurpose(ip) !== null) return 'special-purpose';
    return set.match(ip) ?? inside64.get(key) ?? null;
  };
}

export function buildCanaries(canaries: string[]): (key: string) => boolean {
  if (canaries.length === 0) return () => false;
  const set = CidrSet.fromCidrs(canaries);
  return (key) => {
    const ip = parseVoteKey(key);
    return ip !== null && set.has(ip);
  };
}
