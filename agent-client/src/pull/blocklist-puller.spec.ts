import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { FakeQuorum } from '../http/fake-quorum.test-helper.js';
import { QuorumApi } from '../http/quorum-api.js';
import { parseCidr } from '../net/cidr.js';
import { BlocklistWriter, type OutputSpec } from '../output/blocklist-output.js';
import { generateAgentKeys } from '../sign/agent-keys.js';
import { jsonLogger } from '../util/logger.js';
import { BlocklistPuller } from './blocklist-puller.js';

describe('BlocklistPuller', () => {
  let server: FakeQuorum;
  let dir: string;
  let api: QuorumApi;
  let now: number;
  const later = '2030-01-01T00:00:00.000Z';

  const textOutput = (): OutputSpec => ({
    type: 'text',
    format: 'text',
    path: join(dir, 'blocklist.txt'),
    timeoutMs: 5000,
    mode: 0o644,
    nftables: { family: 'inet', table: 'quorum', setV4: 'v4', setV6: 'v6' },
    ipset: { setV4: 'q4', setV6: 'q6', maxElem: 65536 },
  });

  const puller = () =>
    new BlocklistPuller(api, new BlocklistWriter([textOutput()], [parseCidr('198.51.100.99')!]), join(dir, 'blocklist-state.json'), jsonLogger('error', () => undefined), () => now);

  const fileLines = async () => (await readFile(join(dir, 'blocklist.txt'), 'utf8')).split('\n').filter(Boolean);

  beforeEach(async () => {
    server = new FakeQuorum();
    await server.start();
    dir = await mkdtemp(join(tmpdir(), 'quorum-pull-'));
    api = new QuorumApi({ baseUrl: server.url, timeoutMs: 2000, privateKey: generateAgentKeys().privateKey });
    await api.enroll({ name: 'p' });
    now = Date.UTC(2026, 10, 25);
  });

  afterEach(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('downloads the full list once, then applies deltas, minus the local allowlist', async () => {
    server.publish({ '203.0.113.1': later, '198.51.100.99': later });
    const p = puller();
    expect(await p.pull()).toMatchObject({ mode: 'full', version: 2, changed: true });
    expect(await fileLines()).toEqual(['203.0.113.1']);
    server.publish({ '203.0.113.2': later }, ['203.0.113.1']);
    expect(await p.pull()).toMatchObject({ mode: 'delta', version: 3, entries: 2 });
    expect(await fileLines()).toEqual(['203.0.113.2']);
    expect(await p.pull()).toMatchObject({ mode: 'delta', changed: false });
    const deltaRequests = server.requests.filter((r) => r.path.startsWith('/v1/blocklist/changes'));
    expect(deltaRequests.map((r) => r.path)).toEqual(['/v1/blocklist/changes?since=2', '/v1/blocklist/changes?since=3']);
  });

  it('sends If-None-Match and handles 304', async () => {
    server.publish({ '203.0.113.1': later });
    const p = puller();
    await p.pull();
    server.publish({ '203.0.113.2': later });
    await p.pull();
    expect(await p.pull()).toMatchObject({ mode: 'delta', changed: false });
    expect(await p.pull()).toMatchObject({ mode: 'not_modified', changed: false });
    const last = server.requests[server.requests.length - 1];
    expect(last.headers['if-none-match']).toBe('"c3-3"');
  });

  it('falls back to a full download when the cursor is stale (410)', async () => {
    server.publish({ '203.0.113.1': later });
    const p = puller();
    await p.pull();
    server.publish({ '203.0.113.2': later }, ['203.0.113.1']);
    server.oldestDelta = 3;
    expect(await p.pull()).toMatchObject({ mode: 'full', version: 3 });
    expect(await fileLines()).toEqual(['203.0.113.2']);
  });

  it('expires entries at their until, even without the server', async () => {
    server.publish({ '203.0.113.1': '2026-11-25T01:00:00.000Z', '203.0.113.2': later });
    const p = puller();
    await p.pull();
    expect(await fileLines()).toEqual(['203.0.113.1', '203.0.113.2']);
    await server.stop();
    await expect(p.pull()).rejects.toThrow();
    now += 2 * 3_600_000;
    expect(await p.expireNow()).toMatchObject({ changed: true, entries: 1 });
    expect(await fileLines()).toEqual(['203.0.113.2']);
  });

  it('keeps garbage answers from touching the list', async () => {
    server.publish({ '203.0.113.1': later });
    const p = puller();
    await p.pull();
    server.inject.blocklist.push({ status: 200, body: '{"version": "x"' }, { status: 500, body: 'oops' });
    await expect(p.pull()).rejects.toThrow(/blocklist changes: HTTP 200/);
    await expect(p.pull()).rejects.toThrow(/HTTP 500/);
    expect(await fileLines()).toEqual(['203.0.113.1']);
  });

  it('resumes from its saved copy after a restart', async () => {
    server.publish({ '203.0.113.1': later });
    await puller().pull();
    const again = puller();
    await again.load();
    expect(again.currentVersion).toBe(2);
    expect(again.size).toBe(1);
    server.publish({ '203.0.113.3': later });
    expect(await again.pull()).toMatchObject({ mode: 'delta', version: 3, entries: 2 });
  });
});
