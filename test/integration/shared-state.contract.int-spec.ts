import { randomBytes } from 'node:crypto';
import { FixedClock } from '../../src/infra/clock/clock.js';
import { closeRedis } from '../../src/infra/redis/close-redis.js';
import { MemoryKeyspace } from '../../src/infra/redis/memory-keyspace.js';
import { MemoryPubSub } from '../../src/infra/redis/memory-stores.js';
import { type RedisClient, createRedisClient } from '../../src/infra/redis/redis-client.js';
import { type SharedBackend, hashTag } from '../../src/infra/redis/shared-state.js';
import { type SharedStores, sharedStores } from '../../src/infra/redis/shared-stores.js';
import type { AppConfig } from '../../src/config/app-config.js';
import { leaseStore } from '../../src/lookup/limits/redis-lease.store.js';
import type { LeaseStore } from '../../src/lookup/limits/lease.js';
import { type IngestCaps, type IngestKeys, type IngestLedger, ingestLedger } from '../../src/signals/ingest-ledger.js';
import { type RedisClusterHandle, redisClusterUnavailable, startRedisCluster } from '../support/redis-cluster.js';
import { waitFor } from '../support/waits.js';
import { testConfig } from '../setup/test-app.js';

/**
 * One contract for every shared-state backend: the in-process stores of the embedded mode, one Redis,
 * and a 3-master Redis Cluster. The same cases run against each, with an injected clock: windows and
 * nonces expire by the application's clock, never by sleeping.
 */
type BackendName = 'memory' | 'redis' | 'cluster';

interface Harness {
  clock: FixedClock;
  stores: SharedStores;
  ledger: IngestLedger;
  leases: LeaseStore;
  /** a fresh key prefix per case: cases never see each other's keys */
  prefix: string;
}

const clusterReason = redisClusterUnavailable();
if (clusterReason) process.stdout.write(`shared-state contract: skipping the Redis Cluster backend: ${clusterReason}\n`);
const backends: BackendName[] = clusterReason ? ['memory', 'redis'] : ['memory', 'redis', 'cluster'];

const HOUR = 3_600_000;
const CAPS: IngestCaps = { ratePerSecond: 2, burst: 3, overflow: 2, maxPerDay: 10, maxTargetsPerDay: 3, nonceTtlMs: 24 * HOUR };

describe.each(backends)('shared-state contract (%s)', (name) => {
  let cluster: RedisClusterHandle | null = null;
  let client: RedisClient | null = null;
  const h = {} as Harness;

  beforeAll(async () => {
    const base = testConfig();
    let redisConfig: AppConfig['redis'] = base.redis;
    if (name === 'cluster') {
      cluster = await startRedisCluster(3);
      redisConfig = { ...base.redis, backend: 'cluster', clusterNodes: cluster.nodes };
    }
    // Near the real time: Redis still collects keys by its own clock (a key's TTL outlasts its logical expiry).
    h.clock = new FixedClock(new Date(Math.floor(Date.now() / 1000) * 1000));
    let backend: SharedBackend;
    if (name === 'memory') {
      backend = { kind: 'memory', keyspace: new MemoryKeyspace(h.clock), pubsub: new MemoryPubSub() };
    } else {
      client = createRedisClient(redisConfig, { maxRetriesPerRequest: 2 });
      await waitFor('the Redis connection', 30_000, () => client?.status === 'ready');
      backend = { kind: 'redis', client };
    }
    h.stores = sharedStores(backend, redisConfig, h.clock);
    h.ledger = ingestLedger(backend);
    h.leases = leaseStore(backend, (org, kind, windowId) => `${h.prefix}quota:${org}:${kind}:${windowId}`);
  });

  afterAll(async () => {
    if (client) await closeRedis(client);
    await cluster?.stop();
  });

  beforeEach(() => {
    h.prefix = `contract-${randomBytes(6).toString('hex')}:`;
  });

  describe('windows', () => {
    it('opens a window at the first hit, counts within it and starts a new one once it elapsed', async () => {
      const key = `${h.prefix}w`;
      expect(await h.stores.windows.hit(key, 60_000)).toEqual({ count: 1, resetMs: 60_000 });
      h.clock.advance(20_000);
      expect(await h.stores.windows.hit(key, 60_000)).toEqual({ count: 2, resetMs: 40_000 });
      expect(await h.stores.windows.hit(key, 60_000)).toEqual({ count: 3, resetMs: 40_000 });
      h.clock.advance(40_000);
      expect(await h.stores.windows.hit(key, 60_000)).toEqual({ count: 1, resetMs: 60_000 });
    });

    it('peeks without counting, and clears', async () => {
      const key = `${h.prefix}w`;
      expect(await h.stores.windows.peek(key)).toEqual({ count: 0, resetMs: 0 });
      await h.stores.windows.hit(key, 10_000);
      await h.stores.windows.hit(key, 10_000);
      h.clock.advance(4_000);
      expect(await h.stores.windows.peek(key)).toEqual({ count: 2, resetMs: 6_000 });
      expect(await h.stores.windows.peek(key)).toEqual({ count: 2, resetMs: 6_000 });
      await h.stores.windows.clear(key);
      expect(await h.stores.windows.peek(key)).toEqual({ count: 0, resetMs: 0 });
      await h.stores.windows.hit(key, 10_000);
      h.clock.advance(10_000);
      expect(await h.stores.windows.peek(key)).toEqual({ count: 0, resetMs: 0 });
    });

    it('keeps windows of different keys apart', async () => {
      await h.stores.windows.hit(`${h.prefix}a`, 10_000);
      await h.stores.windows.hit(`${h.prefix}a`, 10_000);
      expect(await h.stores.windows.hit(`${h.prefix}b`, 10_000)).toEqual({ count: 1, resetMs: 10_000 });
    });
  });

  describe('nonces', () => {
    it('takes a nonce once, until it expires or is released', async () => {
      const key = `${h.prefix}n`;
      expect(await h.stores.nonces.claim(key, 60_000)).toBe(true);
      expect(await h.stores.nonces.claim(key, 60_000)).toBe(false);
      h.clock.advance(59_999);
      expect(await h.stores.nonces.claim(key, 60_000)).toBe(false);
      h.clock.advance(1);
      expect(await h.stores.nonces.claim(key, 60_000)).toBe(true);
      await h.stores.nonces.release(key);
      expect(await h.stores.nonces.claim(key, 60_000)).toBe(true);
      expect(await h.stores.nonces.claim(`${h.prefix}other`, 60_000)).toBe(true);
    });

    it('lets exactly one of many concurrent claims win', async () => {
      const results = await Promise.all(Array.from({ length: 20 }, () => h.stores.nonces.claim(`${h.prefix}race`, 60_000)));
      expect(results.filter(Boolean)).toHaveLength(1);
    });
  });

  describe('pub/sub', () => {
    it('delivers to every subscriber of a channel, only its channels, and nothing after close', async () => {
      const seen: string[] = [];
      const channel = `${h.prefix}c`;
      const first = h.stores.pubsub.subscribe({ [channel]: (m) => seen.push(`1:${m}`), [`${h.prefix}other`]: (m) => seen.push(`1-other:${m}`) });
      const second = h.stores.pubsub.subscribe({ [channel]: (m) => seen.push(`2:${m}`) });
      await Promise.all([first.ready, second.ready]);
      await h.stores.pubsub.publish(channel, 'a');
      await h.stores.pubsub.publish(`${h.prefix}unrelated`, 'x');
      await waitFor('both subscribers to receive "a"', 10_000, () => seen.length >= 2);
      await first.close();
      await h.stores.pubsub.publish(channel, 'b');
      await waitFor('the remaining subscriber to receive "b"', 10_000, () => seen.includes('2:b'));
      await second.close();
      expect(seen.sort()).toEqual(['1:a', '2:a', '2:b']);
    });
  });

  describe('key erasure', () => {
    it('deletes listed keys and keys by prefix, whatever store wrote them and in whatever slot', async () => {
      const victim = `${h.prefix}org-1:`;
      for (let i = 0; i < 30; i++) await h.stores.windows.hit(`${victim}${hashTag(`tag-${i}`)}:w`, 60_000);
      await h.stores.nonces.claim(`${victim}nonce`, 60_000);
      await h.leases.reserve({ org: 'org-1', kind: 'day', windowId: 1, want: 5, limit: 10, expireAtMs: h.clock.nowMs() + HOUR });
      await h.stores.windows.hit(`${h.prefix}org-2:w`, 60_000);
      expect(await h.stores.eraser.deleteByPrefix(victim)).toBe(31);
      expect(await h.stores.windows.peek(`${victim}${hashTag('tag-0')}:w`)).toEqual({ count: 0, resetMs: 0 });
      expect(await h.stores.nonces.claim(`${victim}nonce`, 60_000)).toBe(true);
      expect((await h.stores.windows.peek(`${h.prefix}org-2:w`)).count).toBe(1);
      expect(await h.stores.eraser.deleteKeys([`${h.prefix}quota:org-1:day:1`, `${h.prefix}org-2:w`, `${h.prefix}missing`])).toBe(2);
      expect(await h.leases.reserve({ org: 'org-1', kind: 'day', windowId: 1, want: 10, limit: 10, expireAtMs: h.clock.nowMs() + HOUR })).toEqual({ granted: 10, total: 10 });
      // A prefix with glob characters matches literally.
      await h.stores.windows.hit(`${h.prefix}a*b:1`, 60_000);
      await h.stores.windows.hit(`${h.prefix}aXb:1`, 60_000);
      expect(await h.stores.eraser.deleteByPrefix(`${h.prefix}a*b`)).toBe(1);
    });
  });

  describe('quota leases', () => {
    const request = (want: number, limit = 10, windowId = 1) => ({ org: 'o', kind: 'day' as const, windowId, want, limit, expireAtMs: h.clock.nowMs() + HOUR });

    it('grants up to the limit and never past it, and takes back released units', async () => {
      expect(await h.leases.reserve(request(4))).toEqual({ granted: 4, total: 4 });
      expect(await h.leases.reserve(request(4))).toEqual({ granted: 4, total: 8 });
      expect(await h.leases.reserve(request(4))).toEqual({ granted: 2, total: 10 });
      expect(await h.leases.reserve(request(4))).toEqual({ granted: 0, total: 10 });
      await h.leases.release('o', 'day', 1, 3);
      expect(await h.leases.reserve(request(4))).toEqual({ granted: 3, total: 10 });
      expect(await h.leases.reserve(request(4, 10, 2))).toEqual({ granted: 4, total: 4 });
    });

    it('never grants past the limit under concurrent reservations', async () => {
      const grants = await Promise.all(Array.from({ length: 40 }, () => h.leases.reserve(request(3, 50))));
      expect(grants.reduce((sum, g) => sum + g.granted, 0)).toBe(50);
    });

    it('never goes below zero when more is released than was granted', async () => {
      await h.leases.reserve(request(2));
      await h.leases.release('o', 'day', 1, 5);
      expect(await h.leases.reserve(request(10))).toEqual({ granted: 10, total: 10 });
    });

    it('gives nothing back to a window that was erased: the released lease does not re-create its key', async () => {
      await h.leases.reserve(request(4));
      expect(await h.stores.eraser.deleteByPrefix(`${h.prefix}quota:o:`)).toBe(1);
      await h.leases.release('o', 'day', 1, 4);
      expect(await h.stores.eraser.deleteByPrefix(`${h.prefix}quota:o:`)).toBe(0);
    });
  });

  describe('ingest ledger', () => {
    const keys = (agent: string, nonce: string, day = '2026-12-07'): IngestKeys => ({
      nonce: `${h.prefix}nonce:batch:${hashTag(agent)}:${nonce}`,
      bucket: `${h.prefix}ingest:${hashTag(agent)}:bucket`,
      day: `${h.prefix}ingest:${hashTag(agent)}:day:${day}`,
      targets: `${h.prefix}ingest:${hashTag(agent)}:targets:${day}`,
    });

    it('admits a batch once: the same nonce is refused until it expires', async () => {
      const now = h.clock.nowMs();
      expect(await h.ledger.pass(keys('a', 'n1'), CAPS, ['t1'], now)).toEqual({ kind: 'admitted', overRate: false, admitted: [true] });
      expect(await h.ledger.pass(keys('a', 'n1'), CAPS, ['t1'], now + 1_000)).toEqual({ kind: 'replayed' });
      const later = now + CAPS.nonceTtlMs + 1;
      expect((await h.ledger.pass(keys('a', 'n1', '2026-12-08'), CAPS, ['t1'], later)).kind).toBe('admitted');
    });

    it('takes batches from the bucket, flags the overflow, refuses past it and refills at the rate', async () => {
      const now = h.clock.nowMs();
      const pass = (i: number, at = now) => h.ledger.pass(keys('b', `n${i}`), CAPS, [], at);
      for (let i = 0; i < CAPS.burst; i++) expect(await pass(i)).toEqual({ kind: 'admitted', overRate: false, admitted: [] });
      for (let i = 0; i < CAPS.overflow; i++) expect(await pass(10 + i)).toEqual({ kind: 'admitted', overRate: true, admitted: [] });
      expect(await pass(20)).toEqual({ kind: 'rate', retryMs: 500 });
      // The refused batch took nothing: its nonce is still free once the bucket allows it.
      expect((await pass(20, now + 500)).kind).toBe('admitted');
      expect(await pass(21, now + 500 + 2_000 + 1_000)).toEqual({ kind: 'admitted', overRate: false, admitted: [] });
    });

    it('caps signals per day, and budgets distinct targets per day', async () => {
      const now = h.clock.nowMs();
      const caps = { ...CAPS, burst: 100 };
      expect(await h.ledger.pass(keys('c', 'n1'), caps, ['x', 'y', 'x', 'z', 'w'], now)).toEqual({ kind: 'admitted', overRate: false, admitted: [true, true, true, true, false] });
      expect(await h.ledger.pass(keys('c', 'n2'), caps, ['w', 'y', 'q'], now)).toEqual({ kind: 'admitted', overRate: false, admitted: [false, true, false] });
      const daily = await h.ledger.pass(keys('c', 'n3'), caps, ['x', 'y', 'z'], now);
      expect(daily.kind).toBe('daily');
      expect(daily.kind === 'daily' && daily.retryMs).toBe(86_400_000 - (now % 86_400_000));
      expect((await h.ledger.pass(keys('c', 'n3'), caps, ['x', 'y'], now)).kind).toBe('admitted');
      expect((await h.ledger.pass(keys('c', 'n4', '2026-12-08'), caps, ['q'], now)).kind).toBe('admitted');
    });

    it('rolls a batch back: its nonce is free again and its signals no longer count', async () => {
      const now = h.clock.nowMs();
      const caps = { ...CAPS, burst: 100 };
      await h.ledger.pass(keys('d', 'n1'), caps, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'], now);
      expect((await h.ledger.pass(keys('d', 'n2'), caps, ['a', 'b', 'c'], now)).kind).toBe('daily');
      await h.ledger.rollback(keys('d', 'n1'), 8);
      expect((await h.ledger.pass(keys('d', 'n1'), caps, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'], now)).kind).toBe('admitted');
    });
  });
});
