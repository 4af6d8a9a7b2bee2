// The bench:mirror data set: the same scored addresses as bench:lookup (bench/lookup/ip-mix.ts), built
// straight into a lookup index in this process.
import { IndexBuilder } from '../../src/lookup/index/index-builder.js';
import type { IpScoreIndex } from '../../src/lookup/index/ip-score-index.js';
import { SCENARIO_SEPARATOR, type ScoreRow } from '../../src/lookup/index/score-columns.js';
import { prng, scoredIpv4 } from '../lookup/ip-mix.js';

const SCENARIOS = [['ssh-bf'], ['http-probing', 'http-bf'], ['smtp-spam'], ['ssh-bf', 'port-scan']].map((s) => s.join(SCENARIO_SEPARATOR));

export function ipv4Key(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function ipv6Key(i: number): string {
  return `2a01:${(4000 + Math.floor(i / 65536)).toString(16)}:${(Math.floor(i / 256) % 256).toString(16)}:${(i % 256).toString(16)}::/64`;
}

/** Row i of the data set (scores, listings and times vary with i like bench/lookup/in-process.ts). */
export function rowOf(ipKey: string, i: number, nowSec: number, version: number): ScoreRow {
  return {
    ipKey,
    score: (i % 100) / 10,
    reporters: 1 + (i % 30),
    established: i % 7,
    asns: 1 + (i % 5),
    scenarios: SCENARIOS[i % 4],
    firstSeen: nowSec - 3 * 86_400,
    lastSeen: nowSec - (i % 3600),
    listed: i % 3 === 0,
    listedUntil: i % 3 === 0 ? nowSec + 2 * 86_400 : 0,
    honeypot: i % 50 === 0,
    version,
  };
}

export function buildIndex(v4Count: number, v6Count: number, nowSec: number): IpScoreIndex {
  const builder = new IndexBuilder();
  for (let i = 0; i < v4Count; i++) builder.add(rowOf(ipv4Key(scoredIpv4(i)), i, nowSec, 1));
  for (let i = 0; i < v6Count; i++) builder.add(rowOf(ipv6Key(i), i, nowSec, 1));
  return builder.build(1);
}

/**
 * `count` changed rows as a scoring run produces them: 70 % rescored keys, 20 % newly scored
 * addresses, 10 % listings starting or ending (times move on with each run).
 */
export function changes(count: number, v4Count: number, nowSec: number, version: number, seed: number): ScoreRow[] {
  const random = prng(seed);
  const out: ScoreRow[] = [];
  for (let n = 0; n < count; n++) {
    const r = random();
    const i = Math.floor(random() * v4Count);
    if (r < 0.7) {
      const row = rowOf(ipv4Key(scoredIpv4(i)), i, nowSec, version);
      out.push({ ...row, score: row.score + 0.1 + random(), reporters: row.reporters + 1, lastSeen: nowSec });
    } else if (r < 0.9) {
      const j = v4Count + Math.floor(random() * v4Count);
      out.push({ ...rowOf(ipv4Key(scoredIpv4(j)), j, nowSec, version), firstSeen: nowSec, lastSeen: nowSec });
    } else {
      const row = rowOf(ipv4Key(scoredIpv4(i)), i, nowSec, version);
      out.push({ ...row, listed: !row.listed, listedUntil: row.listed ? 0 : nowSec + 86_400, score: 3.5, lastSeen: nowSec });
    }
  }
  return out;
}
