// The local mirror through the real HTTP stack (PostgreSQL, Redis, Fastify): routes, entitlement (402
// without the plan's mirror view), the mirror meter, and the agent client's mirror syncing from it,
// refusing tampered frames, resuming from its stored copy and answering local programs over loopback
// and a Unix socket.
import { mkdtemp, rm } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { runCli } from '../../agent-client/src/commands/cli-main.js';
import { MirrorClient } from '../../agent-client/src/mirror/mirror-client.js';
import { MirrorHttpServer } from '../../agent-client/src/mirror/mirror-http.js';
import { MirrorTable } from '../../agent-client/src/mirror/mirror-table.js';
import { decodeFrame, FRAME_HEADER_BYTES, mirrorPublicKey } from '../../agent-client/src/mirror/mirror-wire.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService, type ApiKeyScope } from '../../src/lookup/keys/api-keys.service.js';
import { MirrorActivityService } from '../../src/lookup/mirror/mirror-activity.js';
import { MirrorService } from '../../src/lookup/mirror/mirror.service.js';
import { MirrorSigner } from '../../src/lookup/mirror/mirror-signer.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { seedScores } from '../support/lookup-fixtures.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';

// Addresses used only by this file.
const NET = '45.87.16';
const V6 = '2a01:4f8:79:1';
const SEED = Buffer.alloc(32, 0x5a).toString('base64');
const KEEP_DELTAS = 3;

describe('local mirror (real HTTP stack)', () => {
  let t: TestApp & { url: string };
  let app: NestFastifyApplication;
  let db: string;
  let seq = 0;
  let dir: string;
  let premium: { key: string; org: string };

  beforeAll(async () => {
    t = await listenTestApp({ QUORUM_MIRROR_SIGNING_KEY: SEED, QUORUM_MIRROR_PUBLISH_MS: '100', QUORUM_MIRROR_KEEP_DELTAS: String(KEEP_DELTAS), QUORUM_LOOKUP_POLL_MS: '200' });
    app = t.app;
    db = t.config.database.url;
    dir = await mkdtemp(join(tmpdir(), 'quorum-mirror-e2e-'));
    await waitFor('the lookup index', 60_000, () => app.get(LookupIndexService).ready);
    await seedScores(app, db, [
      [`${NET}.1`, 6, true, ['crowdsecurity/ssh-bf', 'quorum/http-probing']],
      [`${NET}.2`, 2, false, ['crowdsecurity/wordpress-bf']],
      [`${NET}.3`, 0.5, false, []],
      [`${V6}::/64`, 6, true, ['crowdsecurity/mail-bf']],
    ]);
    await waitFor('the mirror feed', 30_000, () => (app.get(MirrorService).feed?.version ?? 0) > 0);
    premium = await keyFor('business', ['mirror', 'lookup', 'usage']);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function keyFor(planId: string, scopes: ApiKeyScope[]): Promise<{ key: string; org: string }> {
    const org = (await app.get(OrganizationsService).create(`mirror-org-${++seq}-${Date.now()}`)).id;
    await app.get(LookupPlansService).setOrganizationPlan(org, planId);
    const { key } = await app.get(ApiKeysService).create(org, 'mirror', scopes, 'test');
    return { key, org };
  }

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.url}${path}`, { headers });

  /** Waits until the feed has published the index's current generation. */
  async function published(): Promise<number> {
    const index = app.get(LookupIndexService);
    const mirror = app.get(MirrorService);
    await waitFor('the feed to publish the index', 30_000, () => mirror.feed?.generation === index.current.version);
    return mirror.feed?.version ?? 0;
  }

  it('publishes its public key for pinning (anyone), the key of the configured seed', async () => {
    const res = await get('/v1/mirror/public-key');
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ algorithm: 'Ed25519', publicKey: MirrorSigner.fromConfig(SEED).publicKey, keyId: expect.stringMatching(/^[0-9a-f]{16}$/), format: 'QMR1', generated: false });
  });

  it('refuses the feed without a key (401), without the mirror scope (403) and on a plan without the mirror (402)', async () => {
    expect((await get('/v1/mirror/snapshot')).status).toBe(401);
    const lookupOnly = await keyFor('business', ['lookup']);
    const noScope = await get('/v1/mirror/snapshot', { 'x-api-key': lookupOnly.key });
    expect(noScope.status).toBe(403);
    const pro = await keyFor('pro', ['mirror']);
    for (const path of ['/v1/mirror/snapshot', '/v1/mirror/deltas?epoch=1&since=1']) {
      const res = await get(path, { 'x-api-key': pro.key });
      expect(res.status).toBe(402);
      expect(await res.json()).toEqual({ statusCode: 402, code: 'plan_restricted', message: 'The Pro plan does not include the local mirror', requestId: expect.any(String) });
    }
    const bad = await get('/v1/mirror/deltas?epoch=x&since=-1&wait=99', { 'x-api-key': premium.key, 'x-quorum-mirror-id': 'e2e-invalid' });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { code: string }).code).toBe('validation_failed');
  });

  it('serves a signed snapshot answering as GET /v1/ip does, deltas by long poll, 204 when current and 410 for another epoch', async () => {
    const version = await published();
    const res = await get('/v1/mirror/snapshot', { 'x-api-key': premium.key, 'x-quorum-mirror-id': 'e2e-raw' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/vnd.quorum.mirror');
    const epoch = Number(res.headers.get('x-quorum-mirror-epoch'));
    expect(Number(res.headers.get('x-quorum-mirror-version'))).toBe(version);
    const key = mirrorPublicKey(MirrorSigner.fromConfig(SEED).publicKey);
    const table = new MirrorTable();
    table.apply(decodeFrame(Buffer.from(await res.arrayBuffer()), key));
    for (const ip of [`${NET}.1`, `${NET}.2`, `${NET}.3`, `${NET}.99`, `${V6}::5`]) {
      const service = (await (await get(`/v1/ip/${ip}`, { 'x-api-key': premium.key })).json()) as Record<string, unknown>;
      const mirror = table.answer(ip);
      expect(mirror).toEqual({
        ip: service.ip,
        classification: service.classification,
        evidence: service.evidence,
        score: service.score,
        listed: service.listed,
        listedUntil: service.listedUntil,
        confidence: service.confidence,
        reporters: service.reporters,
        scenarios: service.scenarios,
        firstSeen: service.firstSeen,
        lastSeen: service.lastSeen,
      });
    }

    const raw = { 'x-api-key': premium.key, 'x-quorum-mirror-id': 'e2e-raw' };
    const current = await get(`/v1/mirror/deltas?epoch=${epoch}&since=${version}&wait=0`, raw);
    expect(current.status).toBe(204);
    const other = await get(`/v1/mirror/deltas?epoch=${(epoch + 1) >>> 0}&since=${version}`, raw);
    expect(other.status).toBe(410);
    expect(((await other.json()) as { code: string }).code).toBe('mirror_resync');

    // A long poll returns as soon as the next generation is published.
    const polling = get(`/v1/mirror/deltas?epoch=${epoch}&since=${version}&wait=30`, raw);
    await seedScores(app, db, [[`${NET}.3`, 9, true, ['crowdsecurity/ssh-bf']]]);
    const delta = await polling;
    expect(delta.status).toBe(200);
    for (const frame of [Buffer.from(await delta.arrayBuffer())]) table.apply(decodeFrame(frame, key));
    expect(table.check(`${NET}.3`)).toEqual({ classification: 'malicious', score: 95, listed: true });
  });

  it('keeps an agent mirror within seconds of the service, refuses a tampered delta and snapshot, and keeps its last good copy', async () => {
    let tamper: 'delta' | 'snapshot' | null = null;
    const tampering: typeof fetch = async (input, init) => {
      const res = await fetch(input, init);
      const url = String(input);
      const kind = url.includes('/deltas') ? 'delta' : url.includes('/snapshot') ? 'snapshot' : null;
      if (res.status !== 200 || kind === null || tamper !== kind) return res;
      tamper = null;
      const body = Buffer.from(await res.arrayBuffer());
      body[FRAME_HEADER_BYTES + 2] ^= 0x40;
      return new Response(body, { status: 200, headers: res.headers });
    };
    const client = new MirrorClient({ server: t.url, apiKey: premium.key, stateDir: join(dir, 'a'), mirrorId: 'e2e-a', waitSeconds: 20, fetchImpl: tampering, backoffMs: { min: 50, max: 500 } });
    tamper = 'snapshot';
    await client.start();
    try {
      await waitFor('the mirror copy', 30_000, () => client.table.loaded);
      expect(client.stats.refused).toBe(1);
      expect(client.table.check(`${NET}.1`)?.classification).toBe('malicious');

      // A tampered delta is refused: the copy keeps answering the previous state, then takes the good one.
      tamper = 'delta';
      await seedScores(app, db, [[`${NET}.2`, 9, true, ['crowdsecurity/wordpress-bf']]]);
      await waitFor('the tampered delta to be refused', 30_000, () => client.stats.refused === 2);
      await waitFor('the next good delta', 30_000, () => client.table.check(`${NET}.2`)?.classification === 'malicious');

      // Staleness: from a published generation to the mirror answering with it.
      const lags: number[] = [];
      for (let i = 0; i < 3; i++) {
        const score = 3 + i;
        await seedScores(app, db, [[`${NET}.4`, score, false, []]]);
        const indexAt = Date.now();
        await waitFor('the mirror to answer the new score', 30_000, () => client.table.check(`${NET}.4`)?.score === Math.round(100 * (1 - Math.exp(-score / 3))));
        lags.push(Date.now() - indexAt);
      }
      expect(Math.max(...lags)).toBeLessThan(10_000);
      expect(client.staleMs()).toBeLessThan(10_000);
    } finally {
      await client.stop();
    }

    // Offline: the stored copy loads at once, then the mirror resumes by deltas.
    const resumed = new MirrorClient({ server: t.url, apiKey: premium.key, stateDir: join(dir, 'a'), mirrorId: 'e2e-a', waitSeconds: 20 });
    const version = client.table.version;
    await seedScores(app, db, [[`${NET}.5`, 6, true, []]]);
    await resumed.start();
    try {
      expect(resumed.table.version).toBe(version);
      await waitFor('the resumed mirror', 30_000, () => resumed.table.check(`${NET}.5`)?.listed === true);
      expect(resumed.stats.snapshots).toBe(0);
      expect(resumed.stats.deltas).toBeGreaterThan(0);
    } finally {
      await resumed.stop();
    }

    // Offline for longer than the deltas are kept: the mirror falls back to a snapshot.
    for (let i = 0; i < KEEP_DELTAS + 1; i++) {
      await seedScores(app, db, [[`${NET}.6`, 1 + i, false, []]]);
      await published();
    }
    const late = new MirrorClient({ server: t.url, apiKey: premium.key, stateDir: join(dir, 'a'), mirrorId: 'e2e-a', waitSeconds: 20 });
    await late.start();
    try {
      await waitFor('the late mirror', 30_000, () => late.table.version === app.get(MirrorService).feed?.version);
      expect(late.stats.snapshots).toBe(1);
      expect(late.table.check(`${NET}.6`)?.score).toBe(Math.round(100 * (1 - Math.exp(-(KEEP_DELTAS + 1) / 3))));
    } finally {
      await late.stop();
    }
  });

  it('answers local programs over loopback and a Unix socket (nginx auth_request: 200 allow, 403 deny)', async () => {
    const client = new MirrorClient({ server: t.url, apiKey: premium.key, stateDir: join(dir, 'b'), mirrorId: 'e2e-b', waitSeconds: 20 });
    await client.start();
    await client.whenLoaded();
    const socketPath = join(dir, 'mirror.sock');
    const tcp = new MirrorHttpServer(client.table, { listen: { host: '127.0.0.1', port: 0 }, denyScore: 63 });
    const unix = new MirrorHttpServer(client.table, { listen: { socketPath }, denyScore: 101 });
    const port = await tcp.start();
    await unix.start();
    const local = (path: string, headers: Record<string, string>, socket?: string) =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port, socketPath: socket, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (c: string) => (body += c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
        });
        req.on('error', reject);
        req.end();
      });
    try {
      const listed = await local('/check', { 'x-real-ip': `${NET}.1` });
      expect([listed.status, listed.headers['x-quorum-classification']]).toEqual([403, 'malicious']);
      const unknown = await local('/check', { 'x-forwarded-for': `${NET}.200, 10.0.0.1` });
      expect([unknown.status, unknown.headers['x-quorum-classification']]).toEqual([200, 'unknown']);
      const byQuery = await local(`/check?ip=${V6}::9`, {});
      expect(byQuery.status).toBe(403);
      expect((await local('/check', { 'x-real-ip': 'nope' })).status).toBe(400);
      const answer = await local(`/v1/ip/${NET}.1`, {});
      expect(answer.status).toBe(200);
      expect(JSON.parse(answer.body)).toEqual(JSON.parse(JSON.stringify(client.table.answer(`${NET}.1`))));
      // Over the socket with deny-score 101: listed addresses only.
      await seedScores(app, db, [[`${NET}.7`, 9, false, []]]);
      await waitFor('the mirror to see the suspicious address', 30_000, () => client.table.check(`${NET}.7`)?.score === 95);
      expect((await local('/check', { 'x-real-ip': `${NET}.7` }, socketPath)).status).toBe(200);
      expect((await local('/check', { 'x-real-ip': `${NET}.7` })).status).toBe(403);
      expect((await local('/check', { 'x-real-ip': `${NET}.1` }, socketPath)).status).toBe(403);
      const health = JSON.parse((await local('/healthz', {}, socketPath)).body) as Record<string, unknown>;
      expect(health).toMatchObject({ loaded: true, version: client.table.version, keys: client.table.size });
    } finally {
      await tcp.stop();
      await unix.stop();
      await client.stop();
    }
  });

  it('runs as the quorum-agent mirror command', async () => {
    let stop: () => void = () => undefined;
    const stopped = new Promise<void>((resolve) => (stop = resolve));
    const err: string[] = [];
    const io = { out: () => undefined, err: (s: string) => void err.push(s), env: { QUORUM_API_KEY: premium.key } };
    const exit = runCli(['mirror', '--server', t.url, '--listen', '127.0.0.1:0', '--state-dir', join(dir, 'cli'), '--mirror-id', 'e2e-cli'], io, { stdin: process.stdin, stop: stopped });
    try {
      const line = await waitFor('the mirror command to listen', 30_000, () => err.find((l) => l.includes('answering local lookups')));
      const listen = (JSON.parse(line) as { listen: string }).listen;
      const res = await fetch(`http://${listen}/check`, { headers: { 'x-real-ip': `${NET}.1` } });
      expect(res.status).toBe(403);
    } finally {
      stop();
    }
    expect(await exit).toBe(0);
  });

  it('meters active mirrors per organisation per day', async () => {
    await app.get(MirrorActivityService).flush();
    const today = new Date().toISOString().slice(0, 10);
    const res = await get(`/v1/organizations/${premium.org}/mirrors/usage`, { 'x-api-key': premium.key });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { days: Array<{ day: string; mirrors: number; syncs: number }> };
    const day = body.days.find((d) => d.day === today);
    // e2e-raw, e2e-a, e2e-b, e2e-cli; the request refused by validation (e2e-invalid) does not count.
    expect(day?.mirrors).toBe(4);
    expect(day?.syncs).toBeGreaterThan(4);
    const rows = await sql<{ mirror_id: string }>(db, 'SELECT mirror_id FROM mirror_activity WHERE organization_id = $1 ORDER BY mirror_id', [premium.org]);
    expect(rows.map((r) => r.mirror_id)).toEqual(['e2e-a', 'e2e-b', 'e2e-cli', 'e2e-raw']);
    const other = await keyFor('business', ['usage']);
    expect((await get(`/v1/organizations/${premium.org}/mirrors/usage`, { 'x-api-key': other.key })).status).toBe(403);
  });
});
