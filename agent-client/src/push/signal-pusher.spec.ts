import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { Signal } from '../detect/signal.js';
import { FakeQuorum } from '../http/fake-quorum.test-helper.js';
import { QuorumApi } from '../http/quorum-api.js';
import { generateAgentKeys } from '../sign/agent-keys.js';
import { SignalSpool } from '../spool/signal-spool.js';
import { jsonLogger } from '../util/logger.js';
import { backoffDelay } from './backoff.js';
import { SignalPusher } from './signal-pusher.js';

const signal = (ip = '203.0.113.5'): Signal => ({
  ip,
  scenario: 'quorum/ssh-bf',
  scenario_version: '1.0',
  scenario_hash: 'a'.repeat(64),
  started_at: '2026-11-25T17:00:00.000Z',
  stopped_at: '2026-11-25T17:00:05.000Z',
  uuid: randomUUID(),
});

describe('backoffDelay', () => {
  it('doubles up to the maximum, jittered between half and all of it', () => {
    expect([1, 2, 3, 4, 10].map((a) => backoffDelay(a, 1000, 5000, () => 1))).toEqual([1000, 2000, 4000, 5000, 5000]);
    expect(backoffDelay(3, 1000, 5000, () => 0)).toBe(2000);
  });
});

describe('SignalPusher', () => {
  const server = new FakeQuorum();
  let dir: string;
  let spool: SignalSpool;
  let api: QuorumApi;
  let now: number;
  let logs: string[];

  const pusher = (over: Partial<ConstructorParameters<typeof SignalPusher>[0]> = {}) =>
    new SignalPusher({
      spool,
      api,
      batchSize: 3,
      flushIntervalMs: 5000,
      minBackoffMs: 1000,
      maxBackoffMs: 60_000,
      gzip: true,
      logger: jsonLogger('debug', (l) => logs.push(l)),
      random: () => 1,
      now: () => now,
      ...over,
    });

  beforeAll(() => server.start());
  afterAll(() => server.stop());

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quorum-push-'));
    spool = await SignalSpool.open(join(dir, 'spool.jsonl'));
    api = new QuorumApi({ baseUrl: server.url, timeoutMs: 2000, privateKey: generateAgentKeys().privateKey });
    await api.enroll({ name: 'a' });
    now = Date.UTC(2026, 10, 25);
    logs = [];
    server.inject.push.length = 0;
    server.rejectIp = null;
  });

  afterEach(async () => {
    await spool.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('sends a full batch at once and waits for the flush interval otherwise', async () => {
    const p = pusher();
    const list = [signal(), signal(), signal(), signal()];
    await spool.append(list);
    p.notify();
    expect(await p.step()).toBe('sent');
    expect(list.slice(0, 3).every((s) => server.signals.has(s.uuid))).toBe(true);
    expect(await p.step()).toBe('waiting');
    now += 5000;
    expect(await p.step()).toBe('sent');
    expect(server.signals.has(list[3].uuid)).toBe(true);
    expect(spool.pendingCount).toBe(0);
    expect(await p.step()).toBe('idle');
  });

  it('backs off exponentially, honours Retry-After, and loses nothing', async () => {
    const p = pusher({ batchSize: 1 });
    const s = signal();
    await spool.append([s]);
    server.inject.push.push({ status: 503 }, { status: 502 }, { status: 429, headers: { 'retry-after': '30' } });
    expect(await p.step()).toBe('backoff');
    expect(p.stats().retryAt).toBe(now + 1000);
    expect(await p.step()).toBe('backoff'); // still inside the backoff window
    now += 1000;
    expect(await p.step()).toBe('backoff');
    expect(p.stats().retryAt).toBe(now + 2000);
    now += 2000;
    expect(await p.step()).toBe('backoff');
    expect(p.stats().retryAt).toBe(now + 30_000);
    now += 30_000;
    expect(await p.step()).toBe('sent');
    expect(server.signals.get(s.uuid)).toEqual(s);
    expect(p.stats()).toMatchObject({ failures: 3, batchesSent: 1, signalsAcknowledged: 1 });
  });

  it('isolates and drops a signal the server refuses, delivering all the others', async () => {
    const p = pusher({ batchSize: 8 });
    const good = Array.from({ length: 7 }, () => signal());
    const bad = signal('192.0.2.66');
    await spool.append([...good.slice(0, 5), bad, ...good.slice(5)]);
    server.rejectIp = '192.0.2.66';
    const steps: string[] = [];
    for (let i = 0; i < 20 && spool.pendingCount > 0; i++) steps.push(await p.step(true));
    expect(steps).toContain('dropped');
    expect(good.every((s) => server.signals.has(s.uuid))).toBe(true);
    expect(server.signals.has(bad.uuid)).toBe(false);
    expect(spool.stats().dropped).toBe(1);
    expect(logs.some((l) => l.includes('dropped'))).toBe(true);
  });

  it('delivers every signal exactly once across a server outage and an agent restart', async () => {
    const outage = new FakeQuorum();
    await outage.start();
    const port = outage.port;
    const client = new QuorumApi({ baseUrl: outage.url, timeoutMs: 500, privateKey: generateAgentKeys().privateKey });
    await client.enroll({ name: 'b' });
    const all: Signal[] = [];
    const run = async (p: SignalPusher) => {
      for (let i = 0; i < 5; i++) {
        const batch = [signal(), signal()];
        all.push(...batch);
        await spool.append(batch);
        p.notify();
        now += 1000;
        await p.step(true);
      }
    };
    const first = pusher({ api: client, batchSize: 2 });
    await run(first);
    await outage.stop(); // server down: pushes fail, signals stay spooled
    await run(first);
    expect(spool.pendingCount).toBeGreaterThan(0);
    // agent restart: a new spool instance and pusher on the same file
    await spool.close();
    spool = await SignalSpool.open(join(dir, 'spool.jsonl'));
    const revived = new FakeQuorum();
    Object.assign(revived, { agents: outage.agents, signals: outage.signals });
    await revived.start(port);
    const second = pusher({ api: client, batchSize: 2 });
    for (let i = 0; i < 20 && spool.pendingCount > 0; i++) await second.step(true);
    await revived.stop();
    expect(spool.pendingCount).toBe(0);
    expect([...outage.signals.keys()].sort()).toEqual(all.map((s) => s.uuid).sort());
    expect(outage.duplicateCount + revived.duplicateCount).toBe(0);
  });

  it('runs on its own timers once started', async () => {
    const p = pusher({ now: Date.now, flushIntervalMs: 50 });
    p.start();
    const s = signal();
    await spool.append([s]);
    p.notify();
    for (let i = 0; i < 100 && !server.signals.has(s.uuid); i++) await new Promise((r) => setTimeout(r, 10));
    await p.stop();
    expect(server.signals.has(s.uuid)).toBe(true);
  });
});
