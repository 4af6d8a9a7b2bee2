/**
 * Allocation-light parser for blocklist values (an IPv4/IPv6 address or CIDR), built for the hot
 * render and ranking paths: one pass over the characters, no regex, numbers instead of bigint.
 *
 * Both families use the same object shape (four 32-bit words, IPv4 in `w3`) so that call sites
 * stay monomorphic. Host bits below the prefix are cleared: `10.0.0.5/24` and `10.0.0.0/24` are
 * the same network to a firewall, and the renderers must treat them as one element.
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
const groups = new Array<number>(8).fill(0);
const found = new Array<number>(8).fill(0);

/** Returns null for anything that is not a canonical-enough IP or CIDR; `/0` is refused too
 * (no blocklist may ban everything, and ipset's hash:net cannot store it). */
export function parseAddress(text: string): ParsedAddress | null {
  const out: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };
  return parseAddressInto(text, out) ? out : null;
}

/** `parseAddress` without allocating: fills `out` and returns whether `text` is valid. */
export function parseAddressInto(text: string, out: ParsedAddress): boolean {
  // Single pass for the common IPv4 case; whatever is not IPv4 so far (`2001:`, `fe80:`, `0:`)
  // is handed to the IPv6 parser, which also rejects what is neither.
  const length = text.length;
  let address = 0;
  let octet = 0;
  let digits = 0;
  let dots = 0;
  let i = 0;
  for (; i < length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      if (digits === 1 && octet === 0) return parseV6Into(text, out);
      octet = octet * 10 + (c - 48);
      if (octet > 255) return parseV6Into(text, out);
      digits++;
    } else if (c === 46) {
      if (digits === 0 || dots === 3) return parseV6Into(text, out);
      address = address * 256 + octet;
      octet = 0;
      digits = 0;
      dots++;
    } else if (c === 47) {
      break;
    } else {
      return parseV6Into(text, out);
    }
  }
  if (dots !== 3 || digits === 0) return false;
  address = address * 256 + octet;
  let prefix = 32;
  if (i < length) {
    prefix = parseDecimal(text, i + 1, length, 32);
    if (prefix < 1) return false;
  }
  out.family = 4;
  out.w0 = 0;
  out.w1 = 0;
  out.w2 = 0;
  out.w3 = prefix === 32 ? address : (address & (~0 << (32 - prefix))) >>> 0;
  out.prefix = prefix;
  return true;
}

function parseV6Into(text: string, out: ParsedAddress): boolean {
  const slash = text.indexOf('/');
  const end = slash < 0 ? text.length : slash;
  let prefix = 128;
  if (slash >= 0) {
    prefix = parseDecimal(text, slash + 1, text.length, 128);
    if (prefix < 1) return false;
  }
  if (end < 2 || !parseV6Groups(text, end)) return false;
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
  return (
    a.family - b.family ||
    a.w0 - b.w0 ||
    a.w1 - b.w1 ||
    a.w2 - b.w2 ||
    a.w3 - b.w3 ||
    a.prefix - b.prefix
  );
}

/** Clears the bits of `word` (bit offset `offset` within the 128-bit address) beyond `prefix`. */
export function maskWord(word: number, prefix: number, offset: number): number {
  const keep = prefix - offset;
  if (keep >= 32) return word;
  if (keep <= 0) return 0;
  return (word & (~0 << (32 - keep))) >>> 0;
}

/** Decimal without sign or leading zeros, at most `max`; -1 when invalid. */
function parseDecimal(s: string, start: number, end: number, max: number): number {
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

/** Dotted quad in s[start, end) as an unsigned 32-bit number; -1 when invalid. */
function parseV4(s: string, start: number, end: number): number {
  let result = 0;
  let octetStart = start;
  let octets = 0;
  for (let i = start; i <= end; i++) {
    if (i === end || s.charCodeAt(i) === 46) {
      const octet = parseDecimal(s, octetStart, i, 255);
      if (octet < 0) return -1;
      result = result * 256 + octet;
      octets++;
      octetStart = i + 1;
    }
  }
  return octets === 4 ? result : -1;
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/** Fills the module-level `groups` with the eight 16-bit groups of s[0, end). */
function parseV6Groups(s: string, end: number): boolean {
  let count = 0;
  let gapAt = -1;
  let i = 0;
  if (s.charCodeAt(0) === 58) {
    if (s.charCodeAt(1) !== 58) return false;
    gapAt = 0;
    i = 2;
  }
  while (i < end) {
    if (count >= 8) return false;
    const segStart = i;
    let value = 0;
    while (i < end && i - segStart < 5) {
      const h = hexValue(s.charCodeAt(i));
      if (h < 0) break;
      value = value * 16 + h;
      i++;
    }
    if (i < end && s.charCodeAt(i) === 46) {
      const v4 = parseV4(s, segStart, end);
      if (v4 < 0 || count > 6) return false;
      found[count++] = v4 >>> 16;
      found[count++] = v4 & 0xffff;
      break;
    }
    const digits = i - segStart;
    if (digits === 0 || digits > 4) return false;
    found[count++] = value;
    if (i === end) break;
    if (s.charCodeAt(i) !== 58) return false;
    i++;
    if (i < end && s.charCodeAt(i) === 58) {
      if (gapAt >= 0) return false;
      gapAt = count;
      i++;
    } else if (i === end) {
      return false;
    }
  }
  if (gapAt < 0) {
    if (count !== 8) return false;
    for (let g = 0; g < 8; g++) groups[g] = found[g];
    return true;
  }
  if (count > 7) return false;
  const zeros = 8 - count;
  let g = 0;
  for (let k = 0; k < gapAt; k++) groups[g++] = found[k];
  for (let k = 0; k < zeros; k++) groups[g++] = 0;
  for (let k = gapAt; k < count; k++) groups[g++] = found[k];
  return true;
}
