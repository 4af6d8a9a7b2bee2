import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { BlocklistService } from '../../src/blocklist/blocklist.service.js';
import type { ListingChange } from '../../src/blocklist/blocklist.types.js';
import { rankEntries } from '../../src/blocklist/ranking.js';
import { AuthenticatorRegistry } from '../../src/common/auth/authenticator.registry.js';
import type { Principal } from '../../src/common/auth/principal.js';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { createOrganization, enrollAgent, type TestAgent } from '../factories/agent.factory.js';
import { sql, truncate } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { testEnv } from '../setup/test-env.js';
import { waitFor } from '../support/waits.js';

const HOUR = 3_600_000;
const API_KEY = 'test-blocklist-key';
const classes = ['ssh-bruteforce', 'http-probing', 'smtp-spam'];
const base = Date.now() + 48 * HOUR;
// 14 listings with tied scores and untils, so every ranking rule decides some pair.
const listings: ListingChange[] = Array.from({ length: 14 }, (_, i) => {
  const ipKey = i % 5 === 4 ? `2001:db8:${i}:1::/64` : i === 13 ? '198.51.100.0/24' : `192.0.2.${(i * 37) % 250}`;
  return { ipKey, value: ipKey, scope: 'ip', scenarioClass: classes[i % 3], score: [4, 2, 4, 7, 1][i % 5], until: new Date(base + (i % 3) * HOUR), kind: 'upsert' };
});

/** Test-only API-key authenticator (the real one belongs to the lookup domain). */
function registerApiKeys(t: TestApp): void {
  t.app.get(AuthenticatorRegistry).register({
    kind: 'apiKey',
    authenticate: async (request: unknown) => {
      const key = (request as { headers: Record<string, string | undefined> }).headers['x-api-key'];
      if (key === undefined) return null;
      if (key !== API_KEY) throw DomainError.unauthorized('Unknown API key');
      return { kind: 'apiKey', apiKeyId: 'k1', organizationId: 'o1', scopes: ['blocklist'], planId: 'premium' } satisfies Principal;
    },
  });
}

describe('GET /v1/blocklist', () => {
  let t: TestApp;
  let community: TestAgent;
  let contributor: TestAgent;
  let version: number;
  const get = (url: string, headers: Record<string, string> = {}) => t.app.inject({ method: 'GET', url, headers });
  const asAgent = (agent: TestAgent, headers: Record<string, string> = {}) => ({ authorization: `Bearer ${agent.token}`, ...headers });
  const asKey = (headers: Record<string, string> = {}) => ({ 'x-api-key': API_KEY, ...headers });

  beforeAll(async () => {
    await truncate(testEnv().DATABASE_URL, ['blocklist_entry', 'blocklist_version']);
    t = await createTestApp({
      QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000',
      QUORUM_BLOCKLIST_COMMUNITY_SIZE: '5',
      QUORUM_BLOCKLIST_CONTRIBUTOR_SIZE: '8',
      QUORUM_BLOCKLIST_RERENDER_SECONDS: '3',
      QUORUM_BLOCKLIST_MAX_AGE_SECONDS: '60',
    });
    registerApiKeys(t);
    const { enrollKey } = await createOrganization(t.app, 'Blocklist readers');
    community = await enrollAgent(t.app, enrollKey, 'community');
    contributor = await enrollAgent(t.app, enrollKey, 'contributor');
    await sql(t.config.database.url, `UPDATE agent SET last_signal_at = now() - interval '6 days' WHERE id = $1`, [contributor.id]);
    const blocklist = t.app.get(BlocklistService);
    version = (await blocklist.publishChanges(listings, new Date()))!.version;
    await blocklist.ready();
    await waitFor('the published version in the API', 60_000, () => blocklist.currentVersion() === version);
  });
  afterAll(async () => t?.close());

  const expectedOrder = () =>
    rankEntries(listings.map((l) => ({ ...l, value: l.ipKey.includes(':') ? l.ipKey : l.value, scope: l.ipKey.includes('/') ? ('range' as const) : ('ip' as const) }))).map((e) => e.value);

  it('refuses callers without valid credentials', async () => {
    expect((await get('/v1/blocklist')).statusCode).toBe(401);
    expect((await get('/v1/blocklist', { authorization: 'Bearer not-a-token' })).statusCode).toBe(401);
    expect((await get('/v1/blocklist/changes?since=0')).statusCode).toBe(401);
    expect((await get('/v1/blocklist', { 'x-api-key': 'wrong' })).statusCode).toBe(401);
  });

  it('sizes the view by tier: community top 5, contributor top 8, API keys everything, in rank order', async () => {
    const values = async (headers: Record<string, string>) => {
      const res = await get('/v1/blocklist?format=json', headers);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { version: number; count: number; entries: Array<{ value: string }> };
      expect(body.version).toBe(version);
      expect(body.count).toBe(body.entries.length);
      return body.entries.map((e) => e.value);
    };
    const order = expectedOrder();
    expect(await values(asAgent(community))).toEqual(order.slice(0, 5));
    expect(await values(asAgent(contributor))).toEqual(order.slice(0, 8));
    expect(await values(asKey())).toEqual(order);
    await sql(t.config.database.url, `UPDATE agent SET last_signal_at = now() - interval '8 days' WHERE id = $1`, [contributor.id]);
    expect(await values(asAgent(contributor))).toEqual(order.slice(0, 5));
    await sql(t.config.database.url, `UPDATE agent SET last_signal_at = now() WHERE id = $1`, [contributor.id]);
  });

  it('publishes IPv6 listings as their /64', async () => {
    const txt = (await get('/v1/blocklist?format=txt', asKey())).body.split('\n');
    expect(txt).toContain('2001:db8:4:1::/64');
    expect(txt.filter((line) => line.includes(':')).every((line) => line.endsWith('::/64'))).toBe(true);
  });

  it('serves every format with its content type and exact length', async () => {
    const expectations: Array<[string, string, (body: string) => void]> = [
      ['json', 'application/json; charset=utf-8', (b) => expect(JSON.parse(b).entries).toHaveLength(14)],
      ['txt', 'text/plain; charset=utf-8', (b) => expect(b.trimEnd().split('\n')).toEqual(expectedOrder())],
      ['csv', 'text/csv; charset=utf-8; header=present', (b) => expect(b.split('\r\n')[0]).toBe('value,scope,scenario,until')],
      ['nftables', 'text/plain; charset=utf-8', (b) => expect(b).toMatch(/^#!\/usr\/sbin\/nft -f\n[\s\S]*add element inet quorum quorum_v4 \{\n\t192\.0\.2\.\d+ timeout \d+s/)],
      ['ipset', 'text/plain; charset=utf-8', (b) => expect(b).toMatch(/create quorum-v6 hash:net family inet6[\s\S]*add quorum-v6-tmp 2001:db8:\w+:1::\/64 timeout \d+\n/)],
    ];
    for (const [format, type, check] of expectations) {
      const res = await get(`/v1/blocklist?format=${format}`, asKey());
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toBe(type);
      expect(Number(res.headers['content-length'])).toBe(res.rawPayload.length);
      expect(res.headers['x-blocklist-version']).toBe(String(version));
      check(res.body);
    }
  });

  it('sends gzip or brotli bytes that decode to the same body', async () => {
    const plain = (await get('/v1/blocklist?format=csv', asKey())).rawPayload;
    const gz = await get('/v1/blocklist?format=csv', asKey({ 'accept-encoding': 'gzip' }));
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gz.headers.vary).toBe('Accept-Encoding');
    expect(gunzipSync(gz.rawPayload).equals(plain)).toBe(true);
    const br = await get('/v1/blocklist?format=csv', asKey({ 'accept-encoding': 'gzip;q=0.5, br' }));
    expect(br.headers['content-encoding']).toBe('br');
    expect(Number(br.headers['content-length'])).toBe(br.rawPayload.length);
    expect(brotliDecompressSync(br.rawPayload).equals(plain)).toBe(true);
  });

  it('answers 304 to If-None-Match and If-Modified-Since, and 200 once a new version changes the view', async () => {
    const first = await get('/v1/blocklist?format=txt', asAgent(community, { 'accept-encoding': 'gzip' }));
    const etag = first.headers.etag as string;
    expect(first.headers['cache-control']).toBe('private, max-age=60');
    const again = await get('/v1/blocklist?format=txt', asAgent(community, { 'accept-encoding': 'gzip', 'if-none-match': etag }));
    expect(again.statusCode).toBe(304);
    expect(again.rawPayload.length).toBe(0);
    expect(again.headers.etag).toBe(etag);
    const since = await get('/v1/blocklist?format=txt', asAgent(community, { 'if-modified-since': first.headers['last-modified'] as string }));
    expect(since.statusCode).toBe(304);

    const blocklist = t.app.get(BlocklistService);
    const next = (await blocklist.publishChanges([{ ...listings[0], ipKey: '203.0.113.99', value: '203.0.113.99', score: 99 }], new Date()))!.version;
    await waitFor('the new version in the API', 60_000, () => blocklist.currentVersion() === next);
    const changed = await get('/v1/blocklist?format=txt', asAgent(community, { 'accept-encoding': 'gzip', 'if-none-match': etag }));
    expect(changed.statusCode).toBe(200);
    expect(changed.headers.etag).not.toBe(etag);
    expect(gunzipSync(changed.rawPayload).toString().split('\n')[0]).toBe('203.0.113.99');
  });

  it('gives firewall formats a short max-age: their timeouts count from render time', async () => {
    const nft = await get('/v1/blocklist?format=nftables', asKey());
    expect(nft.headers['cache-control']).toMatch(/^private, max-age=[0-3]$/);
    expect((await get('/v1/blocklist?format=json', asKey())).headers['cache-control']).toBe('private, max-age=60');
  });

  it('filters by scenario class on request', async () => {
    const res = await get('/v1/blocklist?format=json&scenarios=smtp-spam,http-probing', asKey());
    const entries = (res.json() as { entries: Array<{ scenario: string }> }).entries;
    expect(entries.length).toBeGreaterThan(0);
    expect(new Set(entries.map((e) => e.scenario))).toEqual(new Set(['smtp-spam', 'http-probing']));
  });

  it('rejects unknown formats, bad filters and unknown parameters (400)', async () => {
    for (const query of ['format=xml', 'scenarios=a%20b', 'scenarios=', 'color=red']) {
      const res = await get(`/v1/blocklist?${query}`, asKey());
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('validation_failed');
    }
  });

  it('renders the same bytes in every API process (deterministic ranking and ETag)', async () => {
    const formats = ['json', 'txt', 'csv'];
    const first = await Promise.all(formats.map((format) => get(`/v1/blocklist?format=${format}`, asKey())));
    await t.close();
    t = await createTestApp({ QUORUM_BLOCKLIST_COMMUNITY_SIZE: '5' });
    registerApiKeys(t);
    await t.app.get(BlocklistService).ready();
    for (const [i, format] of formats.entries()) {
      const again = await get(`/v1/blocklist?format=${format}`, asKey());
      expect(again.rawPayload.equals(first[i].rawPayload)).toBe(true);
      expect(again.headers.etag).toBe(first[i].headers.etag);
      expect(again.headers['last-modified']).toBe(first[i].headers['last-modified']);
    }
  });
});
