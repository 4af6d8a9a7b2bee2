import { DomainError } from '../../common/errors/domain-error.js';
import { formatIpv4, formatIpv6, ipKey, parseCidr, parseIp } from '../../common/ip/index.js';

/** The widest ranges the listings search takes (docs/operators.md, "Listings"): at most 65,536 keys. */
export const MIN_IPV4_PREFIX = 16;
/** IPv6 is scored per /64, so a /48 holds 65,536 keys. */
export const MIN_IPV6_PREFIX = 48;

export type ListingQuery =
  | { kind: 'ip'; text: string; key: string }
  | { kind: 'range'; text: string; keys: string[] };

/**
 * An IP (its scoring key: itself, or its /64 for IPv6) or a CIDR range (every scoring key inside it,
 * in address order). A range wider than a /16 (IPv4) or a /48 (IPv6) is refused with 400.
 */
export function parseListingQuery(input: string): ListingQuery {
  const text = input.trim();
  if (!text.includes('/')) {
    const ip = parseIp(text);
    if (!ip) throw DomainError.badRequest('Not an IPv4 or IPv6 address, nor a CIDR range');
    return { kind: 'ip', text: ip.text, key: ipKey(ip) };
  }
  const cidr = parseCidr(text);
  if (!cidr) throw DomainError.badRequest('Not an IPv4 or IPv6 address, nor a CIDR range');
  if (cidr.version === 4) {
    if (cidr.prefix < MIN_IPV4_PREFIX) throw DomainError.badRequest(`An IPv4 range may be at most a /${MIN_IPV4_PREFIX}`);
    const keys: string[] = [];
    for (let v = cidr.start; v <= cidr.end; v++) keys.push(formatIpv4(v));
    return { kind: 'range', text: cidr.text, keys };
  }
  if (cidr.prefix < MIN_IPV6_PREFIX) throw DomainError.badRequest(`An IPv6 range may be at most a /${MIN_IPV6_PREFIX}`);
  if (cidr.prefix >= 64) return { kind: 'range', text: cidr.text, keys: [`${formatIpv6(cidr.startHi, 0n)}/64`] };
  const keys: string[] = [];
  for (let hi = cidr.startHi; hi <= cidr.endHi; hi++) keys.push(`${formatIpv6(hi, 0n)}/64`);
  return { kind: 'range', text: cidr.text, keys };
}
