import { parseIpv4Value, parseIpv6Words } from './ip-address.js';
import { Ipv4RangeTable, Ipv6RangeTable, normaliseRanges, type RangeFixStats } from './ip-range-table.js';

const words = new Uint16Array(8);
const view = new DataView(new ArrayBuffer(16));

/** 128-bit value of the IPv6 text in t[start, end), or -1n. IPv4-mapped text stays IPv6 here. */
function v6Value(t: string, start: number, end: number): bigint {
  if (!parseIpv6Words(t, words, start, end)) return -1n;
  for (let k = 0; k < 8; k++) view.setUint16(k * 2, words[k]);
  return (view.getBigUint64(0) << 64n) | view.getBigUint64(8);
}

function hasColon(t: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (t.charCodeAt(i) === 58) return true;
  return false;
}

/** Collects inclusive address ranges of both families (parsed in place from a text) with a payload. */
export class RangeCollector {
  private readonly s4: number[] = [];
  private readonly e4: number[] = [];
  private readonly p4: number[] = [];
  private readonly s6: bigint[] = [];
  private readonly e6: bigint[] = [];
  private readonly p6: number[] = [];
  invalid = 0;

  /** Range t[s0, e0) .. t[s1, e1); both bounds must be of the same family. */
  add(t: string, s0: number, e0: number, s1: number, e1: number, payload: number): void {
    if (!hasColon(t, s0, e0)) {
      const s = parseIpv4Value(t, s0, e0);
      const e = parseIpv4Value(t, s1, e1);
      if (s < 0 || e < s) {
        this.invalid++;
      } else {
        this.s4.push(s);
        this.e4.push(e);
        this.p4.push(payload);
      }
      return;
    }
    const s = v6Value(t, s0, e0);
    const e = v6Value(t, s1, e1);
    if (s < 0n || e < s) {
      this.invalid++;
    } else {
      this.s6.push(s);
      this.e6.push(e);
      this.p6.push(payload);
    }
  }

  /** Sorted, disjoint tables; overlap repairs are added to `fixes`. */
  build(fixes: RangeFixStats): [Ipv4RangeTable, Ipv6RangeTable] {
    const n4 = normaliseRanges(this.s4, this.e4, this.p4, 1);
    const n6 = normaliseRanges(this.s6, this.e6, this.p6, 1n);
    for (const f of [n4.stats, n6.stats]) {
      fixes.clipped += f.clipped;
      fixes.split += f.split;
      fixes.dropped += f.dropped;
    }
    return [
      new Ipv4RangeTable(Uint32Array.from(n4.starts), Uint32Array.from(n4.ends), Uint32Array.from(n4.payloads)),
      Ipv6RangeTable.fromBigInts(n6.starts, n6.ends, n6.payloads),
    ];
  }
}
