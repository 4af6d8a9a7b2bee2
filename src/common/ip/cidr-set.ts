import { cidrRange, parseCidrOrIp, type ParsedCidr } from './cidr.js';
import type { ParsedIp } from './ip-address.js';
import { Ipv4RangeTable, Ipv6RangeTable } from './ip-range-table.js';

interface Block<N> {
  start: N;
  end: N;
  prefix: number;
  /** index into the values array (insertion order) */
  index: number;
}

interface Segments<N> {
  starts: N[];
  ends: N[];
  payloads: number[];
}

/**
 * Paints CIDR blocks (which are always nested or disjoint) onto disjoint segments: every address
 * takes the value of the most specific block covering it; an identical block added later
 * replaces the earlier one. Adjacent segments holding the same value are merged.
 */
function flatten<N extends number | bigint>(blocks: Block<N>[], values: readonly unknown[], one: N): Segments<N> {
  const add = (a: N, b: N): N => ((a as number) + (b as number)) as N;
  const sub = (a: N, b: N): N => ((a as number) - (b as number)) as N;
  blocks.sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : a.prefix - b.prefix || a.index - b.index));
  const out: Segments<N> = { starts: [], ends: [], payloads: [] };
  const emit = (s: N, e: N, payload: number): void => {
    if (e < s) return;
    const last = out.starts.length - 1;
    if (last >= 0 && values[out.payloads[last]] === values[payload] && add(out.ends[last], one) === s) {
      out.ends[last] = e;
      return;
    }
    out.starts.push(s);
    out.ends.push(e);
    out.payloads.push(payload);
  };
  const stack: Block<N>[] = [];
  let cursor: N | undefined;
  const closeUntil = (limit: N | undefined): void => {
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      if (limit !== undefined && top.end >= limit) return;
      if (cursor === undefined || cursor <= top.end) emit(cursor ?? top.start, top.end, top.index);
      cursor = add(top.end, one);
      stack.pop();
    }
  };
  for (const b of blocks) {
    closeUntil(b.start);
    const top = stack[stack.length - 1];
    if (top !== undefined) {
      if (top.start === b.start && top.end === b.end) {
        top.index = b.index;
        continue;
      }
      if (cursor !== undefined && cursor < b.start) emit(cursor, sub(b.start, one), top.index);
    }
    cursor = b.start;
    stack.push(b);
  }
  closeUntil(undefined);
  return out;
}

export type CidrSetInput = string | ParsedCidr;

/**
 * Longest-prefix-match set of CIDR blocks, built once. IPv4 lookups binary-search sorted
 * Uint32Arrays; IPv6 lookups binary-search 32-bit words. Bare addresses count as host blocks.
 */
export class CidrSet<T> {
  private constructor(
    private readonly v4: Ipv4RangeTable,
    private readonly v6: Ipv6RangeTable,
    private readonly values: readonly T[],
    /** number of entries the set was built from */
    readonly size: number,
  ) {}

  /** Throws on an unparsable entry unless `onInvalid` is given (it then receives the entry). */
  static build<T>(entries: Iterable<readonly [CidrSetInput, T]>, onInvalid?: (input: string) => void): CidrSet<T> {
    const values: T[] = [];
    const v4: Block<number>[] = [];
    const v6: Block<bigint>[] = [];
    for (const [input, value] of entries) {
      const cidr = typeof input === 'string' ? parseCidrOrIp(input) : input;
      if (cidr === null) {
        if (onInvalid === undefined) throw new Error(`invalid CIDR: ${JSON.stringify(input)}`);
        onInvalid(input as string);
        continue;
      }
      const index = values.push(value) - 1;
      if (cidr.version === 4) {
        v4.push({ start: cidr.start, end: cidr.end, prefix: cidr.prefix, index });
      } else {
        const [start, end] = cidrRange(cidr);
        v6.push({ start, end, prefix: cidr.prefix, index });
      }
    }
    const s4 = flatten(v4, values, 0 + 1);
    const s6 = flatten(v6, values, 1n);
    const table4 = new Ipv4RangeTable(Uint32Array.from(s4.starts), Uint32Array.from(s4.ends), Uint32Array.from(s4.payloads));
    const table6 = Ipv6RangeTable.fromBigInts(s6.starts, s6.ends, s6.payloads);
    return new CidrSet(table4, table6, values, values.length);
  }

  static fromCidrs(cidrs: Iterable<CidrSetInput>, onInvalid?: (input: string) => void): CidrSet<true> {
    const entries = function* (): Generator<[CidrSetInput, true]> {
      for (const c of cidrs) yield [c, true];
    };
    return CidrSet.build(entries(), onInvalid);
  }

  /** Value of the most specific block containing `ip`, or undefined. */
  match(ip: ParsedIp): T | undefined {
    const p = ip.version === 4 ? this.v4.find(ip.value) : this.v6.find(ip);
    return p < 0 ? undefined : this.values[p];
  }

  has(ip: ParsedIp): boolean {
    return (ip.version === 4 ? this.v4.find(ip.value) : this.v6.find(ip)) >= 0;
  }

  /** Disjoint ranges after flattening (IPv4, IPv6): a measure of memory use. */
  get rangeCounts(): { v4: number; v6: number } {
    return { v4: this.v4.size, v6: this.v6.size };
  }
}
