import { type Address, formatIPv4, formatIPv6, parseAddress } from './ip.js';

export interface IpRange {
  family: 4 | 6;
  first: bigint;
  last: bigint;
}

export interface Cidr extends IpRange {
  prefix: number;
  /** Canonical text; a single address is written without its /32 or /128. */
  text: string;
}

export function familyBits(family: 4 | 6): number {
  return family === 4 ? 32 : 128;
}

export function formatCidr(family: 4 | 6, first: bigint, prefix: number): string {
  const ip = family === 4 ? formatIPv4(Number(first)) : formatIPv6(first);
  return prefix === familyBits(family) ? ip : `${ip}/${prefix}`;
}

function makeCidr(family: 4 | 6, base: bigint, prefix: number): Cidr {
  const hostBits = BigInt(familyBits(family) - prefix);
  const first = (base >> hostBits) << hostBits;
  const last = first | ((1n << hostBits) - 1n);
  return { family, first, last, prefix, text: formatCidr(family, first, prefix) };
}

/** Parses "addr" or "addr/prefix"; host bits are cleared, so "10.1.2.3/8" means 10.0.0.0/8. */
export function parseCidr(input: string): Cidr | null {
  const slash = input.indexOf('/');
  const address: Address | null = parseAddress(slash < 0 ? input : input.slice(0, slash));
  if (!address) return null;
  const bits = familyBits(address.family);
  let prefix = bits;
  if (slash >= 0) {
    const p = input.slice(slash + 1);
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p)) return null;
    prefix = Number(p);
    // an IPv4-mapped IPv6 CIDR folds to IPv4 with the prefix shifted
    if (address.family === 4 && input.indexOf(':') >= 0) prefix -= 96;
    if (prefix < 0 || prefix > bits) return null;
  }
  return makeCidr(address.family, address.value, prefix);
}

/** Largest-first CIDR cover of an inclusive range. */
export function rangeToCidrs(range: IpRange): Cidr[] {
  const bits = familyBits(range.family);
  const out: Cidr[] = [];
  let first = range.first;
  while (first <= range.last) {
    let hostBits = 0;
    while (hostBits < bits && ((first >> BigInt(hostBits)) & 1n) === 0n) hostBits++;
    while (hostBits > 0 && first + (1n << BigInt(hostBits)) - 1n > range.last) hostBits--;
    out.push(makeCidr(range.family, first, bits - hostBits));
    first += 1n << BigInt(hostBits);
  }
  return out;
}

function compareRanges(a: IpRange, b: IpRange): number {
  if (a.family !== b.family) return a.family - b.family;
  return a.first < b.first ? -1 : a.first > b.first ? 1 : 0;
}

/** Sorted (IPv4 first), overlapping ranges merged; adjacent ones are kept apart so exact CIDRs survive. */
export function mergeRanges(ranges: readonly IpRange[]): IpRange[] {
  const sorted = [...ranges].sort(compareRanges);
  const out: IpRange[] = [];
  for (const r of sorted) {
    const top = out[out.length - 1];
    if (top && top.family === r.family && r.first <= top.last) {
      if (r.last > top.last) top.last = r.last;
    } else {
      out.push({ family: r.family, first: r.first, last: r.last });
    }
  }
  return out;
}

/** `ranges` minus every address in `holes`. */
export function subtractRanges(ranges: readonly IpRange[], holes: readonly IpRange[]): IpRange[] {
  const cut = mergeRanges(holes);
  const out: IpRange[] = [];
  for (const r of mergeRanges(ranges)) {
    let pieces: IpRange[] = [r];
    for (const h of cut) {
      if (h.family !== r.family || h.last < r.first || h.first > r.last) continue;
      const next: IpRange[] = [];
      for (const p of pieces) {
        if (h.last < p.first || h.first > p.last) {
          next.push(p);
          continue;
        }
        if (h.first > p.first) next.push({ family: p.family, first: p.first, last: h.first - 1n });
        if (h.last < p.last) next.push({ family: p.family, first: h.last + 1n, last: p.last });
      }
      pieces = next;
    }
    out.push(...pieces);
  }
  return out;
}

/** Membership test over a fixed set of CIDRs: merged, sorted ranges and a binary search per family. */
export class CidrMatcher {
  private readonly v4: IpRange[];
  private readonly v6: IpRange[];

  constructor(cidrs: readonly IpRange[]) {
    const merged = mergeRanges(cidrs);
    this.v4 = merged.filter((r) => r.family === 4);
    this.v6 = merged.filter((r) => r.family === 6);
  }

  get size(): number {
    return this.v4.length + this.v6.length;
  }

  contains(address: Address): boolean {
    return this.overlaps({ family: address.family, first: address.value, last: address.value });
  }

  overlaps(range: IpRange): boolean {
    const list = range.family === 4 ? this.v4 : this.v6;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = list[mid];
      if (r.last < range.first) lo = mid + 1;
      else if (r.first > range.last) hi = mid - 1;
      else return true;
    }
    return false;
  }
}

/** Parses a list of CIDR strings, collecting the ones that do not parse. */
export function parseCidrList(inputs: readonly string[]): { cidrs: Cidr[]; invalid: string[] } {
  const cidrs: Cidr[] = [];
  const invalid: string[] = [];
  for (const input of inputs) {
    const c = parseCidr(input.trim());
    if (c) cidrs.push(c);
    else invalid.push(input);
  }
  return { cidrs, invalid };
}
