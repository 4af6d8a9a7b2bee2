// Strict IP address parsing and formatting. Hot path (every signal, every lookup): hand-written
// char loops, no regex, one shared scratch buffer for IPv6.

export interface ParsedIpv4 {
  readonly version: 4;
  /** uint32 (0 .. 2^32-1) */
  readonly value: number;
  /** dotted quad, no leading zeros */
  readonly text: string;
}

export interface ParsedIpv6 {
  readonly version: 6;
  /** upper 64 bits */
  readonly hi: bigint;
  /** lower 64 bits */
  readonly lo: bigint;
  /** canonical RFC 5952 text */
  readonly text: string;
}

export type ParsedIp = ParsedIpv4 | ParsedIpv6;

/** Longest accepted text: `ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255`. */
export const MAX_IP_TEXT_LENGTH = 45;

const scratchWords = new Uint16Array(8);
const formatWords = new Uint16Array(8);
const scratchView = new DataView(new ArrayBuffer(16));

/**
 * Parses `s.slice(start, end)` as a strict dotted quad (no leading zeros, no spaces).
 * Returns the uint32 value, or -1 when invalid. Allocation-free.
 */
export function parseIpv4Value(s: string, start = 0, end = s.length): number {
  const len = end - start;
  if (len < 7 || len > 15) return -1;
  let value = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let first = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 0) first = c;
      else if (first === 48) return -1; // leading zero: "01" is ambiguous (octal in some parsers)
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || ++dots > 3) return -1;
      value = value * 256 + octet;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (dots !== 3 || digits === 0) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  if (lower >= 97 && lower <= 102) return lower - 87;
  return -1;
}

/**
 * Parses `s.slice(start, end)` as IPv6 text (all RFC 4291 forms, including `::` and a trailing
 * dotted quad) into eight 16-bit words. Does NOT unwrap IPv4-mapped addresses. Rejects zone ids,
 * brackets, spaces. Returns false when invalid (then `out` holds garbage).
 */
export function parseIpv6Words(s: string, out: Uint16Array, start = 0, end = s.length): boolean {
  const len = end - start;
  if (len < 2 || len > MAX_IP_TEXT_LENGTH) return false;
  let i = start;
  let n = 0;
  let gap = -1;
  if (s.charCodeAt(i) === 58) {
    if (s.charCodeAt(i + 1) !== 58) return false;
    gap = 0;
    i += 2;
  }
  while (i < end) {
    const groupStart = i;
    let v = 0;
    let digits = 0;
    while (i < end) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      if (++digits > 4) return false;
      v = v * 16 + h;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      if (n > 6) return false;
      const v4 = parseIpv4Value(s, groupStart, end);
      if (v4 < 0) return false;
      out[n++] = v4 >>> 16;
      out[n++] = v4 & 0xffff;
      break;
    }
    if (digits === 0 || n >= 8) return false;
    out[n++] = v;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i === end) return false; // a single trailing colon
    if (s.charCodeAt(i) === 58) {
      if (gap >= 0) return false;
      gap = n;
      i++;
    }
  }
  if (gap < 0) return n === 8;
  if (n > 7) return false;
  const tail = n - gap;
  for (let k = 1; k <= tail; k++) out[8 - k] = out[n - k];
  for (let k = gap; k < 8 - tail; k++) out[k] = 0;
  return true;
}

/** Strict IPv4 or IPv6 parse; `::ffff:a.b.c.d` (IPv4-mapped) is normalised to IPv4. */
export function parseIp(input: string): ParsedIp | null {
  const len = input.length;
  if (len === 0 || len > MAX_IP_TEXT_LENGTH) return null;
  if (len <= 15 && input.indexOf(':') < 0) {
    const v = parseIpv4Value(input);
    return v < 0 ? null : { version: 4, value: v, text: input };
  }
  if (!parseIpv6Words(input, scratchWords)) return null;
  return ipFromWords(scratchWords);
}

function ipFromWords(w: Uint16Array): ParsedIp {
  if (w[0] === 0 && w[1] === 0 && w[2] === 0 && w[3] === 0 && w[4] === 0 && w[5] === 0xffff) {
    return ipv4FromValue(((w[6] << 16) | w[7]) >>> 0);
  }
  for (let k = 0; k < 8; k++) scratchView.setUint16(k * 2, w[k]);
  const hi = scratchView.getBigUint64(0);
  const lo = scratchView.getBigUint64(8);
  return { version: 6, hi, lo, text: formatIpv6Words(w) };
}

export function ipv4FromValue(value: number): ParsedIpv4 {
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw new RangeError(`not a uint32: ${value}`);
  }
  return { version: 4, value, text: formatIpv4(value) };
}

/** Builds an IP from two 64-bit halves; IPv4-mapped values become IPv4. */
export function ipFromHiLo(hi: bigint, lo: bigint): ParsedIp {
  writeHiLo(hi, lo);
  for (let k = 0; k < 8; k++) scratchWords[k] = scratchView.getUint16(k * 2);
  return ipFromWords(scratchWords);
}

export function formatIpv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

/** RFC 5952 text of two 64-bit halves (always hexadecimal, never dotted-quad). */
export function formatIpv6(hi: bigint, lo: bigint): string {
  writeHiLo(hi, lo);
  for (let k = 0; k < 8; k++) formatWords[k] = scratchView.getUint16(k * 2);
  return formatIpv6Words(formatWords);
}

function writeHiLo(hi: bigint, lo: bigint): void {
  if (hi < 0n || lo < 0n || hi > 0xffffffffffffffffn || lo > 0xffffffffffffffffn) {
    throw new RangeError('IPv6 halves must be unsigned 64-bit values');
  }
  scratchView.setBigUint64(0, hi);
  scratchView.setBigUint64(8, lo);
}

/** RFC 5952: lower case, no leading zeros, `::` for the longest (leftmost on ties) run of >= 2 zero words. */
export function formatIpv6Words(w: ArrayLike<number>): string {
  let bestStart = -1;
  let bestLen = 1;
  let runStart = -1;
  for (let k = 0; k <= 8; k++) {
    if (k < 8 && w[k] === 0) {
      if (runStart < 0) runStart = k;
    } else if (runStart >= 0) {
      if (k - runStart > bestLen) {
        bestStart = runStart;
        bestLen = k - runStart;
      }
      runStart = -1;
    }
  }
  let out = '';
  for (let k = 0; k < 8; k++) {
    if (k === bestStart) {
      out += '::';
      k += bestLen - 1;
      continue;
    }
    if (out.length > 0 && !out.endsWith(':')) out += ':';
    out += w[k].toString(16);
  }
  return out;
}

/** uint32 of an IPv4 address, or null for IPv6. */
export function ipv4Value(ip: ParsedIp): number | null {
  return ip.version === 4 ? ip.value : null;
}

/** The whole 128-bit value of an IPv6 address. */
export function ipv6BigInt(ip: ParsedIpv6): bigint {
  return (ip.hi << 64n) | ip.lo;
}

const V6_HALF_MASKS: bigint[] = [];
for (let b = 0; b <= 64; b++) {
  V6_HALF_MASKS.push(b === 0 ? 0n : ((1n << BigInt(b)) - 1n) << BigInt(64 - b));
}

/** Network mask of `bits` applied to a uint32. */
export function maskIpv4(value: number, bits: number): number {
  return bits === 0 ? 0 : (value & (0xffffffff << (32 - bits))) >>> 0;
}

/** Network part of (hi, lo) for a prefix of `bits` (0..128). */
export function maskIpv6(hi: bigint, lo: bigint, bits: number): [bigint, bigint] {
  return bits <= 64 ? [hi & V6_HALF_MASKS[bits], 0n] : [hi, lo & V6_HALF_MASKS[bits - 64]];
}

function checkBits(bits: number, max: number): void {
  if (!Number.isInteger(bits) || bits < 0 || bits > max) {
    throw new RangeError(`prefix length must be an integer in 0..${max}, got ${bits}`);
  }
}

/** Consensus vote key: the IPv4 text, or the IPv6 /64 as `2001:db8:1:2::/64`. */
export function ipKey(ip: ParsedIp): string {
  if (ip.version === 4) return ip.text;
  return `${formatIpv6(ip.hi, 0n)}/64`;
}

/** The enclosing network in CIDR text, e.g. `203.0.113.0/24` or `2001:db8:1::/48`. */
export function networkKey(ip: ParsedIp, v4Bits = 24, v6Bits = 48): string {
  if (ip.version === 4) {
    checkBits(v4Bits, 32);
    return `${formatIpv4(maskIpv4(ip.value, v4Bits))}/${v4Bits}`;
  }
  checkBits(v6Bits, 128);
  const [hi, lo] = maskIpv6(ip.hi, ip.lo, v6Bits);
  return `${formatIpv6(hi, lo)}/${v6Bits}`;
}

/** Writes the four big-endian 32-bit words of an IPv6 address into `out` (allocation-free). */
export function ipv6Words32(ip: ParsedIpv6, out: Uint32Array): void {
  scratchView.setBigUint64(0, ip.hi);
  scratchView.setBigUint64(8, ip.lo);
  out[0] = scratchView.getUint32(0);
  out[1] = scratchView.getUint32(4);
  out[2] = scratchView.getUint32(8);
  out[3] = scratchView.getUint32(12);
}

export function ipEquals(a: ParsedIp, b: ParsedIp): boolean {
  if (a.version === 4) return b.version === 4 && a.value === b.value;
  return b.version === 6 && a.hi === b.hi && a.lo === b.lo;
}
