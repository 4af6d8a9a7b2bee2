import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import type { StoredEntry } from '../blocklist.types.js';
import { selectView } from '../ranking.js';
import { BlocklistChangesQueryDto, BlocklistQueryDto, SCENARIOS_EXAMPLE, scenarioList } from './blocklist-query.dto.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');

/** Entries as consensus publishes them: the scenario class is the full scenario name agents reported. */
function entry(value: string, scenarioClass: string): StoredEntry {
  return { value, ipKey: value, scope: 'ip', scenarioClass, score: 3, until: new Date(NOW.getTime() + 3_600_000), addedInVersion: 1 };
}

describe('the scenarios= example of the blocklist routes', () => {
  it('passes the validation of both routes', () => {
    expect(validateSync(plainToInstance(BlocklistQueryDto, { scenarios: SCENARIOS_EXAMPLE }))).toEqual([]);
    expect(validateSync(plainToInstance(BlocklistChangesQueryDto, { since: '0', scenarios: SCENARIOS_EXAMPLE }))).toEqual([]);
  });

  it('keeps the entries listed for those scenario names and only them', () => {
    const list = [
      entry('192.0.2.1', 'quorum/ssh-bf'),
      entry('192.0.2.2', 'crowdsecurity/http-probing'),
      entry('192.0.2.3', 'crowdsecurity/ssh-bf'),
      entry('192.0.2.4', 'quorum/http-sensitive-paths'),
    ];
    const kept = selectView(list, { limit: Infinity, scenarios: scenarioList(SCENARIOS_EXAMPLE), now: NOW });
    expect(kept.map((e) => e.value).sort()).toEqual(['192.0.2.1', '192.0.2.2']);
  });
});
