import { BlocklistRepository } from '../../src/blocklist/blocklist.repository.js';
import { BlocklistService } from '../../src/blocklist/blocklist.service.js';
import type { ListingChange } from '../../src/blocklist/blocklist.types.js';
import { sql, truncate } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { waitFor } from '../support/waits.js';

// Several publishes and HTTP round trips per test: generous on a loaded machine.
jest.setTimeout(30_000);

const HOUR = 3_600_000;
const TOMORROW = new Date(Date.now() + 24 * HOUR);

function listing(ipKey: string, overrides: Partial<ListingChange> = {}): ListingChange {
  return { ipKey, value: ipKey, scope: 'ip', scenarioClass: 'ssh-bruteforce', score: 3, until: TOMORROW, kind: 'upsert', ...overrides };
}

describe('blocklist publishing (PostgreSQL + Redis)', () => {
  let a: TestApp;
  let b: TestApp;
  let blocklist: BlocklistService;
  const rows = (where = 'true') =>
    sql<{ value: string; ip_key: string; scope: string; added_in: number; removed_in: number | null }>(
      a.config.database.url,
      `SELECT value, ip_key, scope, added_in, removed_in FROM blocklist_entry WHERE ${where} ORDER BY id`,
    );
  const versions = () => sql<{ id: number; added: number; removed: number; total: number }>(a.config.database.url, 'SELECT id, added, removed, total FROM blocklist_version ORDER BY id');

  beforeAll(async () => {
    const url = (await import('../setup/test-env.js')).testEnv().DATABASE_URL;
    await truncate(url, ['blocklist_entry', 'blocklist_version']);
    a = await createTestApp({ QUORUM_BLOCKLIST_POLL_SECONDS: '1' });
    b = await createTestApp({ QUORUM_BLOCKLIST_POLL_SECONDS: '60' });
    blocklist = b.app.get(BlocklistService);
    await a.app.get(BlocklistService).ready();
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
  });

  it('writes one version per call, replaces changed listings, and answers null when nothing changed', async () => {
    expect(await blocklist.publishChanges([listing('192.0.2.1'), listing('192.0.2.2'), listing('2001:db8:7:8::/64', { value: '2001:db8:7:8::1' })], new Date())).toEqual({ version: 1 });
    expect(await blocklist.publishChanges([listing('192.0.2.1')], new Date())).toBeNull();
    expect(await blocklist.publishChanges([listing('192.0.2.9', { kind: 'remove' })], new Date())).toBeNull();
    expect(await blocklist.publishChanges([listing('192.0.2.1', { score: 5 }), listing('192.0.2.2', { kind: 'remove' })], new Date())).toEqual({ version: 2 });
    expect(await versions()).toEqual([
      { id: 1, added: 3, removed: 0, total: 3 },
      { id: 2, added: 1, removed: 2, total: 2 },
    ]);
    expect(await rows()).toEqual([
      { value: '192.0.2.1', ip_key: '192.0.2.1', scope: 'ip', added_in: 1, removed_in: 2 },
      { value: '192.0.2.2', ip_key: '192.0.2.2', scope: 'ip', added_in: 1, removed_in: 2 },
      { value: '2001:db8:7:8::/64', ip_key: '2001:db8:7:8::/64', scope: 'range', added_in: 1, removed_in: null },
      { value: '192.0.2.1', ip_key: '192.0.2.1', scope: 'ip', added_in: 2, removed_in: null },
    ]);
  });

  it('reaches every API process over pub/sub within a second', async () => {
    const other = a.app.get(BlocklistService);
    await waitFor('version 2 on the other process', 5_000, () => other.currentVersion() === 2, 10);
    const published = await blocklist.publishChanges([listing('198.51.100.7', { scenarioClass: 'http-probing' })], new Date());
    const started = Date.now();
    await waitFor('the announced version on the other process', 1_000, () => other.currentVersion() === published!.version, 10);
    const waited = Date.now() - started;
    expect(waited).toBeLessThan(1_000);
    expect(other.currentEntries().map((e) => e.value).sort()).toEqual(['192.0.2.1', '198.51.100.7', '2001:db8:7:8::/64']);
    expect(other.currentEntries().find((e) => e.value === '192.0.2.1')?.score).toBe(5);
  });

  it('is caught up by polling when a version was not announced', async () => {
    const other = a.app.get(BlocklistService);
    const repository = b.app.get(BlocklistRepository);
    const silent = await repository.publishVersion(['203.0.113.5'], new Date(), () => ({
      close: [],
      open: [{ ipKey: '203.0.113.5', value: '203.0.113.5', scope: 'ip', scenarioClass: 'smtp-spam', score: 1, until: new Date(Date.now() + HOUR) }],
    }));
    await waitFor('the silent version, by polling', 3_000, () => other.currentVersion() === silent!.id, 10);
    expect(other.currentEntries().map((e) => e.value)).toContain('203.0.113.5');
  });

  it('closes listings whose until has passed in the next version', async () => {
    // The publisher's clock is its `now` argument: the next run happens 400 ms later, after `until`.
    const t0 = Date.now();
    const soon = new Date(t0 + 300);
    const { version } = (await blocklist.publishChanges([listing('192.0.2.77', { until: soon })], new Date(t0)))!;
    const next = (await blocklist.publishChanges([listing('192.0.2.78')], new Date(t0 + 400)))!;
    expect(await rows("value = '192.0.2.77'")).toEqual([{ value: '192.0.2.77', ip_key: '192.0.2.77', scope: 'ip', added_in: version, removed_in: next.version }]);
  });

  it('serialises concurrent publishers: gapless versions, one open row per key', async () => {
    const before = (await versions()).length;
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => blocklist.publishChanges([listing('192.0.2.200', { score: 10 + i }), listing(`192.0.2.${210 + i}`)], new Date())),
    );
    const ids = results.map((r) => r!.version).sort((x, y) => x - y);
    expect(ids).toEqual(Array.from({ length: 6 }, (_, i) => before + 1 + i));
    expect(await rows("value = '192.0.2.200' AND removed_in IS NULL")).toHaveLength(1);
    const totals = await sql<{ open: string; total: number }>(
      a.config.database.url,
      'SELECT (SELECT count(*) FROM blocklist_entry WHERE removed_in IS NULL) AS open, (SELECT total FROM blocklist_version ORDER BY id DESC LIMIT 1) AS total',
    );
    expect(Number(totals[0].open)).toBe(totals[0].total);
  });

  it('prunes versions and closed rows older than the kept history', async () => {
    await truncate(a.config.database.url, ['blocklist_entry', 'blocklist_version']);
    const old = Date.now() - 100 * HOUR;
    await blocklist.publishChanges([listing('192.0.2.1'), listing('192.0.2.2')], new Date(old));
    await blocklist.publishChanges([listing('192.0.2.1', { kind: 'remove' })], new Date(old + HOUR));
    await blocklist.publishChanges([listing('192.0.2.3')], new Date(old + 2 * HOUR));
    expect((await versions()).map((v) => v.id)).toEqual([1, 2, 3]);
    await blocklist.publishChanges([listing('192.0.2.4')], new Date());
    // 72 h of history: every version but the latest is older; rows closed by then are gone.
    expect((await versions()).map((v) => v.id)).toEqual([4]);
    expect((await rows()).map((r) => r.value).sort()).toEqual(['192.0.2.2', '192.0.2.3', '192.0.2.4']);
  });
});
