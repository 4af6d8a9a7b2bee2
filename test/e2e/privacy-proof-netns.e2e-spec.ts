import { type ChildProcess, spawn } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpProofVerifier, ProofVerifier } from '../../src/consensus/delisting/proof-verifier.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { ConsensusModule } from '../../src/consensus/consensus.module.js';
import { parseIp } from '../../src/common/ip/ip-address.js';
import { specialPurpose } from '../../src/common/ip/special-purpose.js';
import { RedisService } from '../../src/infra/redis/redis.service.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { addNamespace, ip, removeNamespace } from '../support/netns.js';
import { waitFor } from '../support/waits.js';

jest.setTimeout(120_000);

/**
 * The real proof of control (HttpProofVerifier, no mock): Quorum fetches the token over HTTP from the
 * IP itself. The IP lives in a network namespace this test creates, behind a veth pair; a routable-
 * looking /30 is routed to that veth only, so every packet of the test stays on this machine.
 */
const ns = `qpriv${process.pid}`;
const hostIf = `qph${process.pid % 100_000}`;
const nsIf = `qpn${process.pid % 100_000}`;
// 91.198.x.y/30: routable-looking (the verifier's request paths refuse special-purpose addresses).
const third = randomInt(0, 256);
const base = randomInt(0, 64) * 4;
const hostAddr = `91.198.${third}.${base + 1}`;
const nsAddr = `91.198.${third}.${base + 2}`;

const unavailable = addNamespace(ns);
if (unavailable) console.warn(`SKIPPED privacy-proof-netns: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

function cleanup(): void {
  removeNamespace(ns, hostIf);
}

suite('real proof of control against a server inside a network namespace (no mock of the verifier)', () => {
  let t: TestApp;
  let server: ChildProcess | undefined;
  let dir: string;
  let routes: Record<string, string> = {};
  let source = 0;
  const from = () => `10.66.${++source}.1`;

  function serve(path: string, body: string): void {
    routes = { ...routes, [path]: body };
    writeFileSync(join(dir, 'routes.json'), JSON.stringify(routes));
  }

  beforeAll(async () => {
    expect(specialPurpose(parseIp(nsAddr) as NonNullable<ReturnType<typeof parseIp>>)).toBeFalsy();
    // Before the test's routes exist, the /30 must not already be routed anywhere specific.
    expect(ip('route', 'show', 'match', nsAddr).split('\n').filter((l) => l && !l.startsWith('default'))).toEqual([]);
    try {
      ip('link', 'add', hostIf, 'type', 'veth', 'peer', 'name', nsIf);
      ip('link', 'set', nsIf, 'netns', ns);
      ip('addr', 'add', `${hostAddr}/30`, 'dev', hostIf);
      ip('link', 'set', hostIf, 'up');
      ip('netns', 'exec', ns, 'ip', 'addr', 'add', `${nsAddr}/30`, 'dev', nsIf);
      ip('netns', 'exec', ns, 'ip', 'link', 'set', nsIf, 'up');
      ip('netns', 'exec', ns, 'ip', 'link', 'set', 'lo', 'up');
    } catch (error) {
      cleanup();
      throw error;
    }
    // The address is reached through the test's veth only.
    expect(ip('route', 'get', nsAddr)).toContain(`dev ${hostIf}`);

    dir = mkdtempSync(join(tmpdir(), 'quorum-netns-'));
    serve('/health', 'ok');
    const script = `
      const http = require('node:http'); const fs = require('node:fs');
      http.createServer((req, res) => {
        const routes = JSON.parse(fs.readFileSync(process.env.ROUTES, 'utf8'));
        const body = routes[req.url];
        process.stdout.write('hit ' + req.url + '\\n');
        if (body === undefined) { res.statusCode = 404; res.end('no'); return; }
        res.setHeader('content-type', 'text/plain'); res.end(body + '\\n');
      }).listen(80, process.env.ADDR, () => process.stdout.write('listening\\n'));`;
    server = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { env: { ...process.env, ROUTES: join(dir, 'routes.json'), ADDR: nsAddr, NODE_OPTIONS: '' }, stdio: ['ignore', 'pipe', 'inherit'] });
    await waitFor('the server inside the namespace', 30_000, () => fetch(`http://${nsAddr}/health`, { signal: AbortSignal.timeout(2_000) }).then((r) => r.ok, () => false), 200);

    t = await createTestApp();
    // Rate limits need Redis: commands fail fast until the connection is ready.
    const redis = t.app.get(RedisService);
    await waitFor('Redis ready', 60_000, () => redis.isReady, 100);
    // The real verifier is what both modules use: nothing replaces it in this file.
    expect(t.app.select(PrivacyModule).get(ProofVerifier)).toBeInstanceOf(HttpProofVerifier);
    expect(t.app.select(ConsensusModule).get(ProofVerifier)).toBeInstanceOf(HttpProofVerifier);
  });

  afterAll(async () => {
    server?.kill('SIGTERM');
    await t?.close();
    cleanup();
    if (dir) rmSync(dir, { recursive: true, force: true });
    expect(ip('netns', 'list')).not.toContain(ns);
  });

  it('a delisting request is verified when the token is served from the IP, refused when it is not', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/delisting-requests', payload: { ip: nsAddr }, remoteAddress: from() });
    expect(created.statusCode).toBe(201);
    const { id, token, proof_url: proofUrl } = created.json();
    expect(proofUrl).toBe(`http://${nsAddr}/.well-known/quorum-delisting/${id}`);

    // Nothing served yet: the real fetch gets a 404 and the proof fails.
    const early = await t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/verify`, payload: { token }, remoteAddress: from() });
    expect(early.statusCode).toBe(422);
    expect(early.json().code).toBe('proof_not_found');

    // A different text at the right URL is not a proof either.
    serve(`/.well-known/quorum-delisting/${id}`, 'quorum-delisting-something-else');
    const wrong = await t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/verify`, payload: { token }, remoteAddress: from() });
    expect(wrong.statusCode).toBe(422);

    serve(`/.well-known/quorum-delisting/${id}`, token);
    const verified = await t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/verify`, payload: { token }, remoteAddress: from() });
    expect(verified.statusCode).toBe(200);
    expect(verified.json().status).toBe('verified');
  });

  it('an IP-holder access request is answered once the proof is served from the IP', async () => {
    const created = await t.app.inject({ method: 'POST', url: '/v1/privacy/ip-requests', payload: { ip: nsAddr, kind: 'access' }, remoteAddress: from() });
    expect(created.statusCode).toBe(201);
    const { id, token } = created.json();
    const refused = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${id}/verify`, payload: { token }, remoteAddress: from() });
    expect(refused.statusCode).toBe(403);
    serve(`/.well-known/quorum-delisting/${id}`, token);
    const verified = await t.app.inject({ method: 'POST', url: `/v1/privacy/ip-requests/${id}/verify`, payload: { token }, remoteAddress: from() });
    expect(verified.statusCode).toBe(200);
    expect(verified.json()).toEqual(expect.objectContaining({ status: 'completed', kind: 'ip_access' }));
    expect(verified.json().access.listed).toBe(false);
  });
});
