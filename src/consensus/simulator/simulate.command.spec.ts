import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandScenario, readConsensusFixture, type CompactScenario } from './fixture-file.js';
import type { ScenarioResult } from './scenario.js';
import { simulateCommand } from './simulate.command.js';

describe('quorum simulate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'quorum-sim-'));
  let stdout: jest.SpyInstance;
  let stderr: jest.SpyInstance;
  beforeEach(() => {
    stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    stderr = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(() => {
    stdout.mockRestore();
    stderr.mockRestore();
  });

  it('replays a scenario file into a result file in the issue format', async () => {
    const fx = readConsensusFixture<{ scenario: CompactScenario; expect: { listings: unknown[] } }>('decay');
    const file = join(dir, 'decay.scenario.json');
    writeFileSync(file, JSON.stringify(expandScenario('decay', fx.scenario)));
    const out = join(dir, 'result.json');
    expect(await simulateCommand([file, '--out', out])).toBe(0);
    const result = JSON.parse(readFileSync(out, 'utf8')) as ScenarioResult;
    expect(Object.keys(result).sort()).toEqual(['listings', 'name', 'quarantined', 'stats']);
    expect(result.listings).toEqual(fx.expect.listings);
    expect(Object.keys(result.stats).sort()).toEqual(['events', 'eventsPerSecond', 'wallSeconds']);
  });

  it('fails cleanly on bad input and prints usage', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"name": 1}');
    expect(await simulateCommand([bad])).toBe(1);
    expect(await simulateCommand([])).toBe(2);
    expect(await simulateCommand(['--help'])).toBe(0);
    expect(await simulateCommand(['--generate', 'A9', '--seed', '1', '--out-dir', dir])).toBe(1);
  });
});
