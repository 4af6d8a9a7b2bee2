// The scored addresses of bench:lookup (bench/lookup/ip-mix.ts) as index rows, built straight into a
// lookup index in this process (bench:lookup's in-process figures and bench:mirror).
import { IndexBuilder } from '../../src/lookup/index/index-builder.js';
import type { IpScoreIndex } from '../../src/lookup/index/ip-score-index.js';
import { SCENARIO_SEPARATOR, type ScoreRow } from '../../src/lookup/index/score-columns.js';
import { scoredIpv4 } from './ip-mix.js';

const SCENARIOS = [['ssh-bf'], ['http-probing', 'http-bf'], ['smtp-spam'], ['ssh-bf', 'port-scan']].map((s) => s.join(SCENARIO_SEPARATOR));

export function ipv4Key(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}

export function ipv6Key(i: number): string {
  return `2a01:${(4000 + Math.floor(i / 65536)).toString(16)}:${(Math.floor(i / 256) % 256).toString(16)}:${(i % 256).toString(16)}::/64`;
}

/** Row i of the data set (scores, listings and times vary with i). */
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
