import { parseIpv4Value, parseIpv6Words } from './ip-address.js';

/**
 * An IPv4/IPv6 address or CIDR as four 32-bit words, for the blocklist's hot render and ranking paths:
 * numbers instead of bigint, no allocation when parsed into a reused object. The grammar is the one of
 * `parseIp` / `parseCidr` (same strict dotted quad, same RFC 4291 IPv6 text: both run the character
 * loops of ip-address.ts), with two differences suited to blocklist values: an IPv4-mapped IPv6 address
 * stays IPv6 (a firewall set of one family must not receive the other), and `/0` is refused (no
 * blocklist may ban everything, and ipset's hash:net cannot store it).
 *
 * Both families use the same object shape (IPv4 in `w3`) so that call sites stay monomorphic. Host bits
 * below the prefix are cleared: `10.0.0.5/24` and `10.0.0.0/24` are the same network to a firewall, and
 * the renderers must treat them as one element.
 */
export interface ParsedAddress {
  family: 4 | 6;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
  /** Prefix length within the family (32 or 128 for a single address). */
  prefix: number;
}

// Scratch space: parsing is synchronous, so one buffer serves every call.
const groups = new Uint16Array(8);

/** Returns null for anything that is not an address or a CIDR with a prefix of at least 1. */
export function parseAddress(text: string): ParsedAddress | null {
  const out: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };
  return parseAddressInto(text, out) ? out : null;
}

/** `parseAddress` without allocating: fills `out` and returns whether `text` is valid. */
export function parseAddressInto(text: string, out: ParsedAddress): boolean {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  // The dotted-quad loop stops at the first character that is neither a digit nor a dot, so IPv6
  // text costs it one or a few characters before the IPv6 parser takes over.
  const v4 = parseIpv4Value(text, 0, end);
  if (v4 >= 0) {
    const prefix = slash < 0 ? 32 : parsePrefix(text, slash + 1, 32);
    if (prefix < 1) return false;
    out.family = 4;
    out.w0 = 0;
    out.w1 = 0;
    out.w2 = 0;
    out.w3 = maskWord(v4, prefix, 0);
    out.prefix = prefix;
    return true;
  }
  const prefix = slash < 0 ? 128 : parsePrefix(text, slash + 1, 128);
  if (prefix < 1 || !parseIpv6Words(text, groups, 0, end)) return false;
  out.family = 6;
  out.w0 = maskWord(((groups[0] << 16) | groups[1]) >>> 0, prefix, 0);
  out.w1 = maskWord(((groups[2] << 16) | groups[3]) >>> 0, prefix, 32);
  out.w2 = maskWord(((groups[4] << 16) | groups[5]) >>> 0, prefix, 64);
  out.w3 = maskWord(((groups[6] << 16) | groups[7]) >>> 0, prefix, 96);
  out.prefix = prefix;
  return true;
}

/** Total order: IPv4 before IPv6, then network address, then shorter prefix first. */
export function compareAddresses(a: ParsedAddress, b: ParsedAddress): number {
  return a.family - b.family || a.w0 - b.w0 || a.w1 - b.w1 || a.w2 - b.w2 || a.w3 - b.w3 || a.prefix - b.prefix;
}

/** Clears the bits of `word` (bit offset `offset` within the address) beyond `prefix`. */
export function maskWord(word: number, prefix: number, offset: number): number {
  const keep = prefix - offset;
  if (keep >= 32) return word;
  if (keep <= 0) return 0;
  return (word & (~0 << (32 - keep))) >>> 0;
}

/** Decimal s[start, end) without sign or leading zeros, at most `max`; -1 when invalid. */
function parsePrefix(s: string, start: number, max: number): number {
  const end = s.length;
  if (end <= start || end - start > 3) return -1;
  if (end - start > 1 && s.charCodeAt(start) === 48) return -1;
  let value = 0;
  for (let i = start; i < end; i++) {
    const d = s.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value <= max ? value : -1;
}
