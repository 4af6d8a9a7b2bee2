import { Issues } from '../util/json-check.js';
import { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import { checkScenario, type ScenarioDefinition, scenarioHash } from './scenario.js';

const base: ScenarioDefinition = {
  name: 'local/test',
  version: '1',
  description: 'test',
  filter: { source: 'sshd', kinds: ['ssh_auth_failed'] },
  groupBy: 'ip',
  capacity: 2,
  leakSpeed: '10s',
};

function issuesOf(v: unknown): string[] {
  const issues = new Issues();
  checkScenario(v, 'scenario', issues);
  return issues.list;
}

describe('checkScenario', () => {
  it('accepts every built-in scenario', () => {
    for (const s of BUILTIN_SCENARIOS) expect(issuesOf(JSON.parse(JSON.stringify(s)))).toEqual([]);
  });

  it('gives built-ins unique names', () => {
    expect(new Set(BUILTIN_SCENARIOS.map((s) => s.name)).size).toBe(BUILTIN_SCENARIOS.length);
  });

  it('reports every problem with its path', () => {
    const list = issuesOf({
      ...base,
      name: 'no-slash',
      capacity: -1,
      leakSpeed: 'fast',
      extra: true,
      filter: { source: 'ftp', kinds: ['nope'], where: [{ field: 'status', op: 'between', value: 1 }, { any: [] }, { not: { field: 'zzz', op: 'eq', value: 1 } }] },
    });
    expect(list).toEqual(
      expect.arrayContaining([
        expect.stringContaining('scenario.name: must match'),
        expect.stringContaining('scenario.capacity: must be >= 0'),
        expect.stringContaining('scenario.leakSpeed: not a positive duration'),
        expect.stringContaining('scenario.extra: unknown key'),
        expect.stringContaining('scenario.filter.source: must be one of'),
        expect.stringContaining('scenario.filter.kinds: expected an array of'),
        expect.stringContaining('scenario.filter.where[0].op: must be one of'),
        expect.stringContaining('scenario.filter.where[1].any: expected a non-empty array'),
        expect.stringContaining('scenario.filter.where[2].not.field: must be one of'),
      ]),
    );
    expect(list).toHaveLength(9);
  });

  it('checks value types against the operator', () => {
    expect(issuesOf({ ...base, filter: { source: 'http', where: [{ field: 'status', op: 'gte', value: '400' }] } })).toEqual([
      expect.stringContaining('where[0].value: expected a number'),
    ]);
    expect(issuesOf({ ...base, filter: { source: 'http', where: [{ field: 'status', op: 'in', value: 400, ignoreCase: true }] } })).toHaveLength(2);
  });
});

describe('scenarioHash', () => {
  it('does not depend on key order and changes with any field', () => {
    const reordered = Object.fromEntries(Object.entries(base).reverse()) as unknown as ScenarioDefinition;
    expect(Object.keys(reordered)[0]).toBe('leakSpeed');
    expect(scenarioHash(reordered)).toBe(scenarioHash(base));
    expect(scenarioHash({ ...base, capacity: 3 })).not.toBe(scenarioHash(base));
    expect(scenarioHash(base)).toMatch(/^[0-9a-f]{64}$/);
  });
});
