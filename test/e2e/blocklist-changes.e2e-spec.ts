import { gunzipSync } from 'node:zlib';
import { BlocklistService } from '../../src/blocklist/blocklist.service.js';
import type { ListingChange } from '../../src/blocklist/blocklist.types.js';
import { AuthenticatorRegistry } from '../../src/common/auth/authenticator.registry.js';
import type { Principal } from '../../src/common/auth/principal.js';
import { createOrganization, enrollAgent, type TestAgent } from '../factories/agent.factory.js';
import { truncate } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { testEnv } from '../setup/test-env.js';
import { waitFor } from '../support/waits.js';

const HOUR = 3_600_000;
const API_KEY = 'test-blocklist-changes-key';

interface WireEntry {
  value: string;
  scope: string;
  scenario: string;
  until: string;
}
interface Delta {
  version: number;
  since: number;
  added: WireEntry[];
  removed: WireEntry[];
}

const at = (hours: number) => new Date(Date.now() + hours * HOUR);
function upsert(ipKey: string, score: number, untilHours = 24, scenarioClass = 'ssh-bruteforce'): ListingChange {
  return { ipKey, value: ipKey, scope: 'ip', scenarioClass, score, until: at(untilHours), kind: 'upsert' };
}
const remove = (ipKey: string): ListingChange => ({ ...upsert(ipKey, 0), kind: 'remove' });

describe('GET /v1/blocklist/changes', () => {
  let t: TestApp;
  let agent: TestAgent;
  let blocklist: BlocklistService;
  const get = (url: string, headers: Record<string, string>) => t.app.inject({ method: 'GET', url, headers });
  const asKey = { 'x-api-key': API_KEY };
  const asAgent = () => ({ authorization: `Bearer ${agent.token}` });

  async function publish(changes: ListingChange[], now = new Date()): Promise<number> {
    const published = await blocklist.publishChanges(changes, now);
    if (!published) throw new Error('nothing published');
    await waitFor('the published version in the API', 60_000, () => blocklist.currentVersion() === published.version);
    expect(blocklist.currentVersion()).toBe(published.version);
    return published.version;
  }

  async function full(headers: Record<string, string>): Promise<{ version: number; entries: WireEntry[] }> {
    const res = await get('/v1/blocklist?format=json', headers);
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  async function changes(since: number, headers: Record<string, string>): Promise<Delta> {
    const res = await get(`/v1/blocklist/changes?since=${since}`, headers);
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  /** A client that keeps its list by value and applies deltas the documented way. */
  class Client {
    private list = new Map<string, WireEntry>();
    cursor = 0;
    constructor(private readonly headers: () => Record<string, string>) {}
    async download(): Promise<void> {
      const body = await full(this.headers());
      this.list = new Map(body.entries.map((e) => [e.value, e]));
      this.cursor = body.version;
    }
    async sync(): Promise<Delta> {
      const delta = await changes(this.cursor, this.headers());
      for (const e of delta.removed) this.list.delete(e.value);
      for (const e of delta.added) this.list.set(e.value, e);
      this.cursor = delta.version;
      return delta;
    }
    async expectCurrent(): Promise<void> {
      const body = await full(this.headers());
      expect(this.cursor).toBe(body.version);
      const sorted = (entries: Iterable<WireEntry>) => [...entries].map((e) => JSON.stringify(e)).sort();
      expect(sorted(this.list.values())).toEqual(sorted(body.entries));
    }
  }

  beforeAll(async () => {
    await truncate(testEnv().DATABASE_URL, ['blocklist_entry', 'blocklist_version']);
    t = await createTestApp({ QUORUM_BLOCKLIST_COMMUNITY_SIZE: '4', QUORUM_BLOCKLIST_RERENDER_SECONDS: '0', QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000' });
    t.app.get(AuthenticatorRegistry).register({
      kind: 'apiKey',
      authenticate: async (request: unknown) =>
        (request as { headers: Record<string, string | undefined> }).headers['x-api-key'] === API_KEY
          ? ({ kind: 'apiKey', apiKeyId: 'k2', organizationId: 'o2', scopes: [], planId: 'premium' } satisfies Principal)
          : null,
    });
    agent = await enrollAgent(t.app, (await createOrganization(t.app, 'Delta readers')).enrollKey, 'delta-reader');
    blocklist = t.app.get(BlocklistService);
    await blocklist.ready();
  });
  afterAll(async () => t?.close());

  it('bring full-list and top-4 clients exactly to the current list across versions', async () => {
    await publish([upsert('192.0.2.1', 5), upsert('192.0.2.2', 3), upsert('192.0.2.3', 3, 30), upsert('2001:db8:1:2::/64', 4), upsert('192.0.2.4', 1)]);
    const fullClient = new Client(() => asKey);
    const topClient = new Client(asAgent);
    const laggard = new Client(() => asKey);
    await Promise.all([fullClient.download(), topClient.download(), laggard.download()]);

    const steps: ListingChange[][] = [
      [upsert('192.0.2.5', 9), remove('192.0.2.2')],
      [upsert('192.0.2.1', 5, 48), upsert('192.0.2.4', 8, 24, 'http-probing'), remove('192.0.2.99')],
      [remove('192.0.2.5'), upsert('198.51.100.0/24', 2), upsert('2001:db8:1:2::/64', 4, 60)],
      [upsert('192.0.2.2', 3), remove('2001:db8:1:2::/64'), remove('192.0.2.1')],
    ];
    for (const [i, step] of steps.entries()) {
      const version = await publish(step);
      const delta = await fullClient.sync();
      expect(delta.version).toBe(version);
      await fullClient.expectCurrent();
      await topClient.sync();
      await topClient.expectCurrent();
      if (i % 2 === 1) {
        await laggard.sync();
        await laggard.expectCurrent();
      }
    }
    const quiet = await fullClient.sync();
    expect(quiet).toEqual({ version: fullClient.cursor, since: fullClient.cursor, added: [], removed: [] });
  });

  it('reports a changed listing in added only (no remove-then-add of the same value)', async () => {
    const client = new Client(() => asKey);
    await client.download();
    await publish([upsert('192.0.2.3', 7, 72)]);
    const delta = await client.sync();
    expect(delta.removed).toEqual([]);
    expect(delta.added).toEqual([expect.objectContaining({ value: '192.0.2.3', until: expect.any(String) })]);
  });

  it('drops an entry at its until without a new version and lists it in the next delta', async () => {
    const soon = { ...upsert('203.0.113.51', 60), until: new Date(Date.now() + 1_500) };
    const expiring = await publish([soon]);
    const fullClient = new Client(() => asKey);
    const topClient = new Client(asAgent);
    await Promise.all([fullClient.download(), topClient.download()]);
    expect((await full(asAgent())).entries.map((e) => e.value)).toContain('203.0.113.51');

    await new Promise((resolve) => setTimeout(resolve, Math.max(0, soon.until.getTime() - Date.now()) + 50));
    const after = await full(asKey);
    expect(after.version).toBe(expiring);
    expect(after.entries.map((e) => e.value)).not.toContain('203.0.113.51');
    const delta = await fullClient.sync();
    expect(delta.version).toBe(expiring);
    expect(delta.removed.map((e) => e.value)).toEqual(['203.0.113.51']);
    await fullClient.expectCurrent();
    const top = await topClient.sync();
    expect(top.removed.map((e) => e.value)).toEqual(['203.0.113.51']);
    expect(top.added).toHaveLength(1);
    await topClient.expectCurrent();
  });

  it('serves deltas compressed and answers 304 to a matching ETag', async () => {
    const since = blocklist.currentVersion() - 1;
    const first = await get(`/v1/blocklist/changes?since=${since}`, { ...asKey, 'accept-encoding': 'gzip' });
    expect(first.headers['content-encoding']).toBe('gzip');
    expect(Number(first.headers['content-length'])).toBe(first.rawPayload.length);
    expect(JSON.parse(gunzipSync(first.rawPayload).toString()).since).toBe(since);
    const again = await get(`/v1/blocklist/changes?since=${since}`, { ...asKey, 'accept-encoding': 'gzip', 'if-none-match': first.headers.etag as string });
    expect(again.statusCode).toBe(304);
  });

  it('answers 400 to garbage and 410 cursor_expired to cursors outside the kept history', async () => {
    for (const query of ['since=abc', 'since=-1', 'since=1.5', 'since=01', '', 'since=99999999999']) {
      const res = await get(`/v1/blocklist/changes?${query}`, asKey);
      expect(res.statusCode).toBe(400);
    }
    const future = await get(`/v1/blocklist/changes?since=${blocklist.currentVersion() + 5}`, asKey);
    expect(future.statusCode).toBe(410);
    expect(future.json().code).toBe('cursor_expired');

    await truncate(t.config.database.url, ['blocklist_entry', 'blocklist_version']);
    const old = Date.now() - 100 * HOUR;
    await publish([upsert('192.0.2.1', 1)], new Date(old));
    await publish([upsert('192.0.2.2', 1)], new Date(old + HOUR));
    const current = await publish([upsert('192.0.2.3', 1)]);
    for (const since of [0, 1, 2]) {
      const res = await get(`/v1/blocklist/changes?since=${since}`, asKey);
      expect(res.statusCode).toBe(410);
      expect(res.json()).toEqual(expect.objectContaining({ code: 'cursor_expired', message: expect.stringContaining('full list') }));
    }
    expect((await get(`/v1/blocklist/changes?since=${current}`, asKey)).statusCode).toBe(200);
  });
});
