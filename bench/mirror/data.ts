// The bench:mirror data set: the scored addresses of bench:lookup (bench/lookup/scored-index.ts), and
// the changes of a scoring run.
import type { ScoreRow } from '../../src/lookup/index/score-columns.js';
import { prng, scoredIpv4 } from '../lookup/ip-mix.js';
import { ipv4Key, rowOf } from '../lookup/scored-index.js';

export { buildIndex, ipv4Key, rowOf } from '../lookup/scored-index.js';

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
