import { type ParsedCidr, parseCidr } from '../../common/ip/cidr.js';
import { formatIpv4, formatIpv6, type ParsedIp, parseIp, parseIpv4Value } from '../../common/ip/ip-address.js';
import { ScenarioSets } from './scenario-sets.js';
import { bucketOf, confidenceOf, encodeRow, FLAG_HONEYPOT, listedAt, ScoreColumns, type ScoreRow } from './score-columns.js';
import { V4ScoreTable } from './v4-score-table.js';
import { V6ScoreTable } from './v6-score-table.js';

/** What the index holds about one scored IPv4 address or IPv6 /64. */
export interface ScoreFields {
  /** public score 0-100 */
  score: number;
  /** listed by consensus and not past `listedUntil` */
  listed: boolean;
  listedUntil: number;
  /** index into REPORTER_BUCKETS */
  reporterBucket: number;
  /** index into CONFIDENCES */
  confidence: number;
  honeypot: boolean;
  firstSeen: number;
  lastSeen: number;
  scenarios: readonly string[];
}

/** Where a row key points: an IPv4 address (uint32) or an IPv6 /64 (upper 64 bits). */
export type IndexKey = { v: 4; key: number } | { v: 6; key: bigint };

/** Parses an ip_score key: IPv4 text or `2001:db8:1:2::/64` (a bare IPv6 address is taken as its /64). */
export function parseIndexKey(text: string): IndexKey | null {
  if (text.indexOf(':') < 0) {
    const v = parseIpv4Value(text);
    return v < 0 ? null : { v: 4, key: v };
  }
  const cidr = text.indexOf('/') >= 0 ? parseCidr(text) : null;
  if (cidr) return cidr.version === 6 && cidr.prefix === 64 ? { v: 6, key: cidr.startHi } : null;
  const ip = parseIp(text);
  return ip?.version === 6 ? { v: 6, key: ip.hi } : null;
}

/**
 * The in-memory lookup index: scored IPv4 addresses and IPv6 /64s in typed-array tables, plus the
 * interned scenario lists. Updated in place by `apply` (catch-up by version), compacted when the delta
 * grows. Reads never allocate per stored IP.
 */
export class IpScoreIndex {
  version: number;

  constructor(
    readonly v4: V4ScoreTable,
    readonly v6: V6ScoreTable,
    readonly scenarios: ScenarioSets,
    version: number,
  ) {
    this.version = version;
  }

  static empty(): IpScoreIndex {
    return new IpScoreIndex(V4ScoreTable.empty(), V6ScoreTable.empty(), new ScenarioSets(), 0);
  }

  get size(): number {
    return this.v4.size + this.v6.size;
  }

  /** Applies changed rows (any order; the caller sets `version`); returns how many keys were unparsable and skipped. */
  apply(rows: Iterable<ScoreRow>): number {
    let skipped = 0;
    for (const row of rows) {
      const key = parseIndexKey(row.ipKey);
      if (!key) {
        skipped++;
        continue;
      }
      const encoded = encodeRow(row, this.scenarios.intern(row.scenarios));
      if (key.v === 4) this.v4.upsert(key.key, encoded);
      else this.v6.upsert(key.key, encoded);
    }
    return skipped;
  }

  /** Merges deltas into the sorted bases once they pass `threshold` rows (or 1/16 of the base). */
  compactIfNeeded(threshold = 50_000): boolean {
    let done = false;
    for (const table of [this.v4, this.v6]) {
      if (table.deltaSize > 0 && table.deltaSize >= Math.min(threshold, Math.max(1024, table.baseSize >>> 4))) {
        table.compact();
        done = true;
      }
    }
    return done;
  }

  lookup(ip: ParsedIp, nowSec: number): ScoreFields | null {
    if (ip.version === 4) {
      const h = this.v4.find(ip.value);
      return h === -1 ? null : this.fields(this.v4.columnsOf(h), this.v4.rowOf(h), nowSec);
    }
    const h = this.v6.find(ip.hi);
    return h === -1 ? null : this.fields(this.v6.columnsOf(h), this.v6.rowOf(h), nowSec);
  }

  private fields(c: ScoreColumns, row: number, nowSec: number): ScoreFields {
    const flags = c.flags[row];
    return {
      score: c.score[row],
      listed: listedAt(flags, c.listedUntil[row], nowSec),
      listedUntil: c.listedUntil[row],
      reporterBucket: bucketOf(flags),
      confidence: confidenceOf(flags),
      honeypot: (flags & FLAG_HONEYPOT) !== 0,
      firstSeen: c.firstSeen[row],
      lastSeen: c.lastSeen[row],
      scenarios: this.scenarios.get(c.scenarioSet[row]),
    };
  }

  /**
   * Visits every scored member of `cidr` (IPv4 addresses, or IPv6 /64s inside an IPv6 block) in
   * ascending order, with its fields; `visit` returns false to stop.
   */
  scanRange(cidr: ParsedCidr, nowSec: number, visit: (key: string, fields: ScoreFields) => boolean | void): void {
    if (cidr.version === 4) {
      this.v4.scan(cidr.start, cidr.end, (key, h) => visit(formatIpv4(key), this.fields(this.v4.columnsOf(h), this.v4.rowOf(h), nowSec)));
      return;
    }
    // An IPv6 block narrower than /64 still lies within one /64 vote key.
    const start = cidr.startHi;
    const end = cidr.prefix >= 64 ? cidr.startHi : cidr.endHi;
    this.v6.scan(start, end, (key, h) => visit(formatV6Key(key), this.fields(this.v6.columnsOf(h), this.v6.rowOf(h), nowSec)));
  }

  /** Listed count and highest public score inside `cidr`, without building member objects. */
  summarize(cidr: ParsedCidr, nowSec: number): { scored: number; listed: number; maxScore: number } {
    const out = { scored: 0, listed: 0, maxScore: 0 };
    const count = (c: ScoreColumns, row: number): void => {
      out.scored++;
      if (listedAt(c.flags[row], c.listedUntil[row], nowSec)) out.listed++;
      if (c.score[row] > out.maxScore) out.maxScore = c.score[row];
    };
    if (cidr.version === 4) this.v4.scan(cidr.start, cidr.end, (_k, h) => count(this.v4.columnsOf(h), this.v4.rowOf(h)));
    else this.v6.scan(cidr.startHi, cidr.prefix >= 64 ? cidr.startHi : cidr.endHi, (_k, h) => count(this.v6.columnsOf(h), this.v6.rowOf(h)));
    return out;
  }

  /** Typed-array bytes of both tables plus the interned scenario lists. */
  get byteLength(): number {
    return this.v4.byteLength + this.v6.byteLength + this.scenarios.approxBytes;
  }
}

function formatV6Key(hi: bigint): string {
  return `${formatIpv6(hi, 0n)}/64`;
}
