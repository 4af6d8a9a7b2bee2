import {
  formatIpv4,
  formatIpv6,
  maskIpv4,
  maskIpv6,
  parseIp,
  parseIpv4Value,
  parseIpv6Words,
  type ParsedIp,
} from './ip-address.js';

export interface ParsedCidrV4 {
  readonly version: 4;
  readonly prefix: number;
  /** first address (uint32) */
  readonly start: number;
  /** last address (uint32) */
  readonly end: number;
  /** canonical `network/prefix` text */
  readonly text: string;
  /** false when the input had host bits set (e.g. `10.1.2.3/8`); the value is normalised anyway */
  readonly isCanonical: boolean;
}

export interface ParsedCidrV6 {
  readonly version: 6;
  readonly prefix: number;
  readonly startHi: bigint;
  readonly startLo: bigint;
  readonly endHi: bigint;
  readonly endLo: bigint;
  readonly text: string;
  readonly isCanonical: boolean;
}

export type ParsedCidr = ParsedCidrV4 | ParsedCidrV6;

const ALL64 = 0xffffffffffffffffn;
const words = new Uint16Array(8);

function parsePrefixLength(s: string, from: number, max: number): number {
  const len = s.length - from;
  if (len < 1 || len > 3) return -1;
  let v = 0;
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return -1;
    v = v * 10 + (c - 48);
  }
  if (len > 1 && s.charCodeAt(from) === 48) return -1;
  return v <= max ? v : -1;
}

/**
 * Strict `address/prefix` parse. Host bits may be set: the block is normalised to its network
 * address and `isCanonical` is false. An IPv6 block inside `::ffff:0:0/96` with a prefix >= 96
 * becomes the equivalent IPv4 block, mirroring parseIp's IPv4-mapped normalisation.
 */
export function parseCidr(input: string): ParsedCidr | null {
  const slash = input.indexOf('/');
  if (slash <= 0 || input.length > 49) return null;
  if (input.indexOf(':') < 0) {
    const v = parseIpv4Value(input, 0, slash);
    const prefix = parsePrefixLength(input, slash + 1, 32);
    if (v < 0 || prefix < 0) return null;
    return cidrV4(v, prefix);
  }
  const prefix = parsePrefixLength(input, slash + 1, 128);
  if (prefix < 0 || !parseIpv6Words(input, words, 0, slash)) return null;
  if (prefix >= 96 && words[5] === 0xffff && words[0] === 0 && words[1] === 0 && words[2] === 0 && words[3] === 0 && words[4] === 0) {
    return cidrV4(((words[6] << 16) | words[7]) >>> 0, prefix - 96);
  }
  let hi = 0n;
  let lo = 0n;
  for (let k = 0; k < 4; k++) hi = (hi << 16n) | BigInt(words[k]);
  for (let k = 4; k < 8; k++) lo = (lo << 16n) | BigInt(words[k]);
  return cidrV6(hi, lo, prefix);
}

/** Like parseCidr, but a bare address is accepted as a host block (/32 or /128). */
export function parseCidrOrIp(input: string): ParsedCidr | null {
  if (input.indexOf('/') >= 0) return parseCidr(input);
  const ip = parseIp(input);
  return ip === null ? null : hostCidr(ip);
}

export function hostCidr(ip: ParsedIp): ParsedCidr {
  return ip.version === 4 ? cidrV4(ip.value, 32) : cidrV6(ip.hi, ip.lo, 128);
}

export function cidrV4(address: number, prefix: number): ParsedCidrV4 {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 32) throw new RangeError(`bad IPv4 prefix ${prefix}`);
  const start = maskIpv4(address, prefix);
  const end = prefix === 0 ? 0xffffffff : (start + 2 ** (32 - prefix) - 1);
  return { version: 4, prefix, start, end, text: `${formatIpv4(start)}/${prefix}`, isCanonical: start === address };
}

export function cidrV6(hi: bigint, lo: bigint, prefix: number): ParsedCidrV6 {
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > 128) throw new RangeError(`bad IPv6 prefix ${prefix}`);
  const [startHi, startLo] = maskIpv6(hi, lo, prefix);
  const [notHi, notLo] = maskIpv6(ALL64, ALL64, prefix);
  const endHi = startHi | (ALL64 ^ notHi);
  const endLo = startLo | (ALL64 ^ notLo);
  return {
    version: 6,
    prefix,
    startHi,
    startLo,
    endHi,
    endLo,
    text: `${formatIpv6(startHi, startLo)}/${prefix}`,
    isCanonical: startHi === hi && startLo === lo,
  };
}

/** IPv4 addresses only match IPv4 blocks (IPv4-mapped space is represented as IPv4). */
export function cidrContains(c: ParsedCidr, ip: ParsedIp): boolean {
  if (c.version === 4) return ip.version === 4 && ip.value >= c.start && ip.value <= c.end;
  if (ip.version !== 6) return false;
  if (ip.hi < c.startHi || ip.hi > c.endHi) return false;
  if (ip.hi === c.startHi && ip.lo < c.startLo) return false;
  return !(ip.hi === c.endHi && ip.lo > c.endLo);
}

/** True when block `inner` lies entirely inside `outer`. */
export function cidrCovers(outer: ParsedCidr, inner: ParsedCidr): boolean {
  if (outer.version === 4) return inner.version === 4 && inner.prefix >= outer.prefix && maskIpv4(inner.start, outer.prefix) === outer.start;
  if (inner.version !== 6 || inner.prefix < outer.prefix) return false;
  const [hi, lo] = maskIpv6(inner.startHi, inner.startLo, outer.prefix);
  return hi === outer.startHi && lo === outer.startLo;
}

/** First and last address: uint32 numbers for IPv4, 128-bit bigints for IPv6. */
export function cidrRange(c: ParsedCidrV4): [number, number];
export function cidrRange(c: ParsedCidrV6): [bigint, bigint];
export function cidrRange(c: ParsedCidr): [number, number] | [bigint, bigint];
export function cidrRange(c: ParsedCidr): [number, number] | [bigint, bigint] {
  if (c.version === 4) return [c.start, c.end];
  return [(c.startHi << 64n) | c.startLo, (c.endHi << 64n) | c.endLo];
}

/** Number of addresses in the block (bigint, since an IPv6 block can exceed 2^53). */
export function cidrSize(c: ParsedCidr): bigint {
  return 1n << BigInt((c.version === 4 ? 32 : 128) - c.prefix);
}
