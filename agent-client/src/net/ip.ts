/** An IP address as a number: IPv4 in 32 bits, IPv6 in 128 bits (IPv4-mapped IPv6 is folded to IPv4). */
export interface Address {
  family: 4 | 6;
  value: bigint;
  /** Canonical text: dotted quad, or RFC 5952 for IPv6. */
  text: string;
}

/** Parses a dotted quad between start and end; returns the uint32 or -1. Rejects leading zeros ("010"). */
export function parseIPv4(s: string, start = 0, end = s.length): number {
  let value = 0;
  let octet = 0;
  let digits = 0;
  let parts = 0;
  let firstDigit = 0;
  for (let i = start; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 0) firstDigit = c;
      else if (firstDigit === 48) return -1;
      octet = octet * 10 + (c - 48);
      if (++digits > 3 || octet > 255) return -1;
    } else if (c === 46) {
      if (digits === 0 || parts === 3) return -1;
      value = value * 256 + octet;
      parts++;
      octet = 0;
      digits = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || parts !== 3) return -1;
  return value * 256 + octet;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Parses an IPv6 address (no zone id, optional trailing dotted quad); returns the 128-bit value or null. */
export function parseIPv6(s: string): bigint | null {
  if (s.length < 2 || s.length > 45) return null;
  const groups: number[] = [];
  let gap = -1;
  let i = 0;
  if (s.startsWith('::')) {
    gap = 0;
    i = 2;
    if (s.length === 2) return 0n;
  } else if (s.charCodeAt(0) === 58) {
    return null;
  }
  while (i < s.length) {
    let j = i;
    let group = 0;
    while (j < s.length && j - i < 5) {
      const h = hexValue(s.charCodeAt(j));
      if (h < 0) break;
      group = group * 16 + h;
      j++;
    }
    if (j < s.length && s.charCodeAt(j) === 46) {
      const v4 = parseIPv4(s, i, s.length);
      if (v4 < 0 || groups.length > 6) return null;
      groups.push(Math.floor(v4 / 65536), v4 % 65536);
      break;
    }
    if (j === i || j - i > 4) return null;
    groups.push(group);
    if (j === s.length) break;
    if (s.charCodeAt(j) !== 58) return null;
    if (j + 1 < s.length && s.charCodeAt(j + 1) === 58) {
      if (gap >= 0) return null;
      gap = groups.length;
      i = j + 2;
    } else {
      if (j + 1 === s.length) return null;
      i = j + 1;
    }
  }
  if (groups.length > 8) return null;
  if (gap < 0 && groups.length !== 8) return null;
  if (gap >= 0 && groups.length === 8) return null;
  const full = gap < 0 ? groups : [...groups.slice(0, gap), ...new Array<number>(8 - groups.length).fill(0), ...groups.slice(gap)];
  let value = 0n;
  for (const g of full) value = (value << 16n) | BigInt(g);
  return value;
}

export function formatIPv4(n: number): string {
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

/** RFC 5952: lowercase, no leading zeros, the longest run (>= 2) of zero groups shortened to "::". */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let shift = 112n; shift >= 0n; shift -= 16n) groups.push(Number((value >> shift) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

export function parseAddress(input: string): Address | null {
  if (input.indexOf(':') < 0) {
    const v4 = parseIPv4(input);
    return v4 < 0 ? null : { family: 4, value: BigInt(v4), text: formatIPv4(v4) };
  }
  const v6 = parseIPv6(input);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) {
    const v4 = Number(v6 & 0xffffffffn);
    return { family: 4, value: BigInt(v4), text: formatIPv4(v4) };
  }
  return { family: 6, value: v6, text: formatIPv6(v6) };
}

/**
 * Canonical text of an address found inside a log line, or null when it is not an IP (sshd logs host
 * names when UseDNS is on). IPv4 text that parses is already canonical, so the hot path allocates nothing.
 */
export function canonicalIp(s: string, start = 0, end = s.length): string | null {
  if (parseIPv4(s, start, end) >= 0) return start === 0 && end === s.length ? s : s.slice(start, end);
  const text = s.slice(start, end);
  if (text.indexOf(':') < 0) return null;
  const parsed = parseAddress(text);
  return parsed ? parsed.text : null;
}
