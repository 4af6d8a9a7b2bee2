import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_CONSENSUS_PARAMS } from './params.js';
import { formatParamDefault } from './params-docs.js';

/** The parameter table of docs/consensus.md, as name → default cell. */
function documentedDefaults(): Map<string, string> {
  const doc = readFileSync(join(__dirname, '..', '..', '..', 'docs', 'consensus.md'), 'utf8');
  const section = doc.slice(doc.indexOf('## 11. Parameters'));
  const rows = new Map<string, string>();
  for (const line of section.split('\n')) {
    const cells = /^\| `([A-Za-z]+)` \| ([^|]+) \| ([^|]+) \|$/.exec(line.trim());
    if (cells) rows.set(cells[1], cells[2].trim());
  }
  return rows;
}

describe('docs/consensus.md parameter table', () => {
  it('lists every engine parameter with the default the code uses, and nothing else', () => {
    const documented = documentedDefaults();
    const expected = new Map(Object.entries(DEFAULT_CONSENSUS_PARAMS).map(([name, value]) => [name, formatParamDefault(name, value)]));
    expect([...documented.entries()].sort()).toEqual([...expected.entries()].sort());
  });

  it('formats durations in their largest whole unit', () => {
    expect(formatParamDefault('voteHalfLifeMs', 36 * 3_600_000)).toBe('36 h');
    expect(formatParamDefault('campaignWindowMs', 600_000)).toBe('10 min');
    expect(formatParamDefault('suppressionMs', 86_400_000)).toBe('1 d');
    expect(formatParamDefault('noveltySettleAsns', 0)).toBe('0');
    expect(formatParamDefault('suspendVotersOnRequestMs', 0)).toBe('0 (off)');
    expect(formatParamDefault('asnRankWeights', [1, 0.5])).toBe('1, 0.5');
  });
});
