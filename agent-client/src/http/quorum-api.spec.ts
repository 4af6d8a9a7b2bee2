import { randomUUID } from 'node:crypto';

import type { Signal } from '../detect/signal.js';
import { generateAgentKeys } from '../sign/agent-keys.js';
import { FakeQuorum } from './fake-quorum.test-helper.js';
import { retryAfterMs } from './http-request.js';
import { QuorumApi } from './quorum-api.js';

const signal = (ip = '203.0.113.5'): Signal => ({
  ip,
  scenario: 'quorum/ssh-bf',
  scenario_version: '1.0',
  scenario_hash: 'a'.repeat(64),
  started_at: '2026-11-25T17:00:00.000Z',
  stopped_at: '2026-11-25T17:00:05.000Z',
  uuid: randomUUID(),
});

describe('QuorumApi against a fake Quorum', () => {
  const server = new FakeQuorum();
  let api: QuorumApi;

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  beforeEach(async () => {
    api = new QuorumApi({ baseUrl: server.url, timeoutMs: 2000, privateKey: generateAgentKeys().privateKey });
    await api.enroll({ name: 'web-01', enrollKey: 'k' });
  });

  it('enrolls with the raw public key, logs in with a signed challenge, pushes a signed batch', async () => {
    expect(api.agentId).toMatch(/^[0-9a-f-]{36}$/);
    const s = signal();
    const outcome = await api.pushSignals([s], false);
    expect(outcome).toEqual({ kind: 'ok', result: { accepted: 1, duplicates: 0, rejected: [] } });
    expect(server.signals.get(s.uuid)).toEqual(s);
  });

  it('gzips the body after signing the raw JSON', async () => {
    const s = signal();
    expect((await api.pushSignals([s], true)).kind).toBe('ok');
    const last = server.requests.filter((r) => r.path === '/v1/signals').pop();
    expect(last?.headers['content-encoding']).toBe('gzip');
    expect(server.signals.has(s.uuid)).toBe(true);
  });

  it('reuses the token, and logs in again once after a 401', async () => {
    await api.pushSignals([signal()], false);
    await api.pushSignals([signal()], false);
    const logins = () => server.requests.filter((r) => r.path === '/v1/agents/login').length;
    const before = logins();
    server.tokens.clear();
    expect((await api.pushSignals([signal()], false)).kind).toBe('ok');
    expect(logins()).toBe(before + 1);
  });

  it('classifies answers: retry with Retry-After, rejected batch, garbage on 200', async () => {
    server.inject.push.push({ status: 429, body: '{"code":"rate_limited","message":"slow down"}', headers: { 'retry-after': '7' } });
    expect(await api.pushSignals([signal()], false)).toEqual({ kind: 'retry', status: 429, retryAfterMs: 7000, reason: expect.stringContaining('rate_limited') });
    server.inject.push.push({ status: 500, body: '<html>oops' });
    expect(await api.pushSignals([signal()], false)).toMatchObject({ kind: 'retry', status: 500, retryAfterMs: null });
    server.inject.push.push({ status: 400, body: '{"code":"validation_failed","message":"no"}' });
    expect(await api.pushSignals([signal()], false)).toMatchObject({ kind: 'rejected', status: 400 });
    server.inject.push.push({ status: 200, body: 'not json' });
    expect(await api.pushSignals([signal()], false)).toEqual({ kind: 'ok', result: null });
  });

  it('reports a network failure as retryable', async () => {
    const dead = new QuorumApi({ baseUrl: 'http://127.0.0.1:9', timeoutMs: 500, privateKey: generateAgentKeys().privateKey, agentId: randomUUID() });
    expect(await dead.pushSignals([signal()], false)).toMatchObject({ kind: 'retry', status: null });
  });

  it('downloads the full list and deltas, conditionally', async () => {
    server.publish({ '198.51.100.1': '2030-01-01T00:00:00.000Z' });
    const full = await api.fullBlocklist(null);
    if (full.kind !== 'ok') throw new Error(full.kind);
    expect(full.items).toContainEqual({ value: '198.51.100.1', until: Date.UTC(2030, 0, 1) });
    expect(await api.fullBlocklist(full.etag)).toEqual({ kind: 'not_modified' });
    server.publish({ '198.51.100.2': '2030-01-01T00:00:00.000Z' }, ['198.51.100.1']);
    const delta = await api.blocklistChanges(full.version, null);
    expect(delta).toMatchObject({ kind: 'ok', version: full.version + 1, added: [{ value: '198.51.100.2' }], removed: ['198.51.100.1'] });
    server.oldestDelta = server.version + 1;
    expect(await api.blocklistChanges(full.version, null)).toEqual({ kind: 'stale' });
    server.oldestDelta = 1;
  });
});

describe('retryAfterMs', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.UTC(2026, 0, 1);
    expect(retryAfterMs(new Headers({ 'retry-after': '3' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': new Date(now + 10_000).toUTCString() }), now)).toBe(10_000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }), now)).toBeNull();
    expect(retryAfterMs(new Headers(), now)).toBeNull();
  });
});
