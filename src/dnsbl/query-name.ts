// Splits a DNSBL query name into the queried address and the key label (pure).
import { type ParsedIp, parseIp } from '../common/ip/ip-address.js';

export type ParsedQueryName =
  /** outside the zone: not ours to answer (REFUSED) */
  | { kind: 'outside' }
  /** the zone apex itself */
  | { kind: 'apex' }
  /** in the zone but not `<reversed address>.<key>.<zone>` (NXDOMAIN once the key is good) */
  | { kind: 'malformed'; key: string | null }
  | { kind: 'address'; key: string; ip: ParsedIp };

const NIBBLE = /^[0-9a-f]$/i;

/**
 * `d.c.b.a.<key>.<zone>` for IPv4 a.b.c.d; for IPv6 the 32 nibbles of the address in reverse order
 * (as in ip6.arpa), then the key label. The zone matches case-insensitively; the key keeps its case.
 */
export function parseQueryName(name: string, zone: string): ParsedQueryName {
  const lower = name.toLowerCase().replace(/\.$/, '');
  if (lower === zone) return { kind: 'apex' };
  if (!lower.endsWith(`.${zone}`)) return { kind: 'outside' };
  const labels = name.slice(0, lower.length - zone.length - 1).split('.');
  const key = labels.pop() ?? '';
  if (key.length === 0) return { kind: 'malformed', key: null };
  const ip = labels.length === 4 ? ipv4Of(labels) : labels.length === 32 ? ipv6Of(labels) : null;
  return ip ? { kind: 'address', key, ip } : { kind: 'malformed', key };
}

function ipv4Of(labels: string[]): ParsedIp | null {
  // parseIp refuses leading zeros and octets past 255.
  return parseIp(`${labels[3]}.${labels[2]}.${labels[1]}.${labels[0]}`);
}

function ipv6Of(labels: string[]): ParsedIp | null {
  if (!labels.every((l) => NIBBLE.test(l))) return null;
  const hex = labels.reverse().join('');
  const groups: string[] = [];
  for (let i = 0; i < 32; i += 4) groups.push(hex.slice(i, i + 4));
  return parseIp(groups.join(':'));
}

/** The query name of an address under `suffix` (`<key>.<zone>`): for tests, benches and docs. */
export function queryNameOf(ip: string, suffix: string): string {
  const parsed = parseIp(ip);
  if (!parsed) throw new Error(`not an IP address: ${ip}`);
  if (parsed.version === 4) return `${parsed.text.split('.').reverse().join('.')}.${suffix}`;
  const full = ((parsed.hi << 64n) | parsed.lo).toString(16).padStart(32, '0');
  return `${[...full].reverse().join('.')}.${suffix}`;
}
