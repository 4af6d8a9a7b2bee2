// The mirror feed against the agent client's reader: after random publish sequences (in-place catch-up,
// reloads that drop keys, mirrors offline for a while, deltas no longer kept) the mirror answers what
// the service answers; tampered frames are refused. FUZZ_SEED=<n> replays one seed.
import type { KeyObject } from 'node:crypto';
import { MirrorTable } from '../../../agent-client/src/mirror/mirror-table.js';
import { decodeFrame, FRAME_HEADER_BYTES, MirrorFrameError, mirrorPublicKey as mirrorKey, splitFrames } from '../../../agent-client/src/mirror/mirror-wire.js';
import { SeededRng } from '../../../test/support/seeded-rng.js';
import { formatIpv4, parseIp } from '../../common/ip/ip-address.js';
import { buildIpAnswer } from '../answer/ip-answer.js';
import { IndexBuilder } from '../index/index-builder.js';
import { type IpScoreIndex, parseIndexKey } from '../index/ip-score-index.js';
import { SCENARIO_SEPARATOR, type ScoreRow } from '../index/score-columns.js';
import { toPolicy } from '../plans/plan.types.js';
import { MirrorFeed } from './mirror-feed.js';
import { MirrorSigner } from './mirror-signer.js';

const NOW = 1_800_000_000;
const SCENARIOS = ['ssh-bf', 'http-probing', 'smtp-spam', 'rdp-bf', 'port-scan'];
const policy = toPolicy({
  id: 'p',
  name: 'P',
  burstPerSecond: 1,
  dailyQuota: 1,
  monthlyQuota: 1,
  bulkSize: 0,
  fields: ['reporters', 'scenarios', 'history'],
  views: ['ip', 'mirror'],
  priceCents: null,
  currency: 'usd',
  updatedAt: new Date(0),
});

/** The universe of keys a run draws from: IPv4 addresses in a few public /16s and IPv6 /64s. */
function universe(rng: SeededRng): string[] {
  const keys = new Set<string>();
  const nets = [0x2d4c0000, 0xb9dc0000, 0x5e660000, 0x67150000];
  while (keys.size < 400) keys.add(formatIpv4((rng.pick(nets) + rng.int(0x10000)) >>> 0));
  for (let i = 0; i < 60; i++) keys.add(`2a01:4f8:${rng.int(0xffff).toString(16)}:${rng.int(0xffff).toString(16)}::/64`);
  return [...keys];
}

function randomRow(rng: SeededRng, ipKey: string, version: number): ScoreRow {
  const first = NOW - rng.int(30 * 86_400);
  const last = first + rng.int(86_400);
  const listed = rng.chance(0.4);
  const names = SCENARIOS.filter(() => rng.chance(0.3));
  return {
    ipKey,
    score: rng.chance(0.2) ? 0 : rng.next() * 9,
    reporters: rng.int(30),
    established: rng.int(5),
    asns: rng.int(5),
    scenarios: names.join(SCENARIO_SEPARATOR),
    firstSeen: first,
    lastSeen: last,
    listed,
    listedUntil: listed ? (rng.chance(0.1) ? 0 : NOW + rng.range(-3600, 86_400)) : 0,
    honeypot: rng.chance(0.05),
    version,
  };
}

function build(rows: Iterable<ScoreRow>, version: number): IpScoreIndex {
  const builder = new IndexBuilder();
  for (const row of rows) builder.add(row);
  return builder.build(version);
}

/** The service's answer and the mirror's for one key, in the fields both carry. */
function compare(index: IpScoreIndex, table: MirrorTable, ipKey: string): void {
  const text = ipKey.endsWith('/64') ? ipKey.replace('::/64', '::1') : ipKey;
  const ip = parseIp(text);
  if (!ip) throw new Error(text);
  const service = buildIpAnswer({ ip: ip.text, fields: index.lookup(ip, NOW), neverList: null, reserved: null, metadata: null, range: null }, policy);
  const mirror = table.answer(text, NOW);
  if (mirror === null) throw new Error(`the mirror does not parse ${text}`);
  const expected = {
    ip: service.ip,
    classification: service.classification,
    evidence: service.evidence,
    score: service.score,
    listed: service.listed,
    listedUntil: service.listedUntil,
    confidence: service.confidence,
    reporters: service.reporters,
    scenarios: [...(service.scenarios ?? [])],
    firstSeen: service.firstSeen,
    lastSeen: service.lastSeen,
  };
  const actual = {
    ip: mirror.ip,
    classification: mirror.classification,
    evidence: mirror.evidence,
    score: mirror.score,
    listed: mirror.listed,
    listedUntil: mirror.listedUntil,
    confidence: mirror.confidence,
    reporters: mirror.reporters,
    scenarios: [...mirror.scenarios],
    firstSeen: mirror.firstSeen,
    lastSeen: mirror.lastSeen,
  };
  if (Object.keys(mirror).length !== Object.keys(actual).length) expect(Object.keys(mirror).sort()).toEqual(Object.keys(actual).sort());
  // jest's deep equality only on a mismatch (it is the slow part of thousands of comparisons)
  if (JSON.stringify(actual) !== JSON.stringify(expected)) expect(actual).toEqual(expected);
  const key = parseIndexKey(ipKey);
  const held = key ? table.rowFields(key.v, key.key) !== null : false;
  if (held !== (index.lookup(ip, NOW) !== null)) expect({ ipKey, held }).toEqual({ ipKey, held: !held });
}

/** Brings a mirror to the feed's version the way the client does: deltas, else a snapshot. */
async function sync(feed: MirrorFeed, table: MirrorTable, key: KeyObject): Promise<'snapshot' | 'deltas' | 'current'> {
  if (!table.loaded) {
    table.apply(decodeFrame(await feed.snapshotFrame(), key));
    return 'snapshot';
  }
  const answer = feed.deltasSince(table.epoch, table.version);
  if (answer.kind === 'current') return 'current';
  if (answer.kind === 'resync') {
    table.apply(decodeFrame(await feed.snapshotFrame(), key));
    return 'snapshot';
  }
  for (const frame of splitFrames(Buffer.concat(answer.frames))) table.apply(decodeFrame(frame, key));
  return 'deltas';
}

/** A signer from a configured seed, and the key an agent pins (from the published base64). */
function signerWithKey(): { signer: MirrorSigner; key: KeyObject } {
  const signer = MirrorSigner.fromConfig(Buffer.alloc(32, 7).toString('base64'));
  return { signer, key: mirrorKey(signer.publicKey) };
}

const seeds = process.env.FUZZ_SEED ? [Number(process.env.FUZZ_SEED)] : [1, 2, 3, 20261207];

describe('mirror feed → agent mirror (property)', () => {
  it.each(seeds)('converges to the service answers after random publish sequences (seed %i)', async (seed) => {
    const rng = new SeededRng(seed);
    const { signer, key } = signerWithKey();
    const feed = new MirrorFeed({ sign: signer.sign, keepDeltas: 6, keepBytes: 1 << 30, nowMs: () => NOW * 1000 });
    const keys = universe(rng);
    const truth = new Map<string, ScoreRow>();
    let version = 1;
    for (const k of keys) if (rng.chance(0.5)) truth.set(k, randomRow(rng, k, version));
    let index = build(truth.values(), version);
    feed.publish(index);
    const mirrors = [new MirrorTable(), new MirrorTable(), new MirrorTable()];
    const outcomes = new Set<string>();
    for (let step = 0; step < 40; step++) {
      version++;
      const changed: ScoreRow[] = [];
      const n = rng.range(0, 40);
      for (let i = 0; i < n; i++) {
        const k = rng.pick(keys);
        const row = randomRow(rng, k, version);
        truth.set(k, row);
        changed.push(row);
      }
      const removals = rng.chance(0.3) ? rng.range(1, 20) : 0;
      for (let i = 0; i < removals; i++) truth.delete(rng.pick(keys));
      if (removals > 0 || rng.chance(0.1)) index = build(truth.values(), version); // a reload: rows retention deleted leave the index
      else {
        index.apply(changed);
        index.version = version;
        if (rng.chance(0.3)) index.compactIfNeeded(1);
      }
      feed.publish(index);
      for (const table of mirrors) {
        // Mirrors go offline for a while (no sync), then catch up: by deltas, or by a snapshot when gone.
        if (rng.chance(0.35)) continue;
        outcomes.add(await sync(feed, table, key));
        expect(table.version).toBe(feed.version);
        for (const k of keys) compare(index, table, k);
      }
    }
    for (const table of mirrors) {
      await sync(feed, table, key);
      for (const k of keys) compare(index, table, k);
      expect(table.size).toBe(index.size);
    }
    expect(outcomes.has('deltas')).toBe(true);
    expect(outcomes.has('snapshot')).toBe(true);
  });
});

describe('mirror frames', () => {
  async function feedWithTwoVersions() {
    const { signer, key } = signerWithKey();
    const feed = new MirrorFeed({ sign: signer.sign, keepDeltas: 10, keepBytes: 1 << 30, nowMs: () => NOW * 1000, epoch: 42 });
    const rows = ['45.76.1.1', '45.76.1.2', '2a01:4f8:1:2::/64'].map((k, i) => randomRow(new SeededRng(i + 1), k, 1));
    const index = build(rows, 1);
    feed.publish(index);
    const firstSnapshot = await feed.snapshotFrame();
    index.apply([{ ...rows[0], score: 9, listed: true, listedUntil: NOW + 999, version: 2 }]);
    index.version = 2;
    const delta = feed.publish(index);
    if (!delta) throw new Error('no delta');
    return { feed, key, index, delta, firstSnapshot };
  }

  it('refuses a tampered delta and the mirror keeps its last good copy', async () => {
    const { feed, key, delta, firstSnapshot } = await feedWithTwoVersions();
    const table = new MirrorTable();
    table.apply(decodeFrame(firstSnapshot, key));
    expect(decodeFrame(await feed.snapshotFrame(), key).to).toBe(2);
    const before = table.answer('45.76.1.1', NOW);
    for (const offset of [6, 20, FRAME_HEADER_BYTES + 3, delta.frame.length - 5]) {
      const tampered = Buffer.from(delta.frame);
      tampered[offset] ^= 0x01;
      expect(() => decodeFrame(tampered, key)).toThrow(MirrorFrameError);
    }
    expect(() => decodeFrame(delta.frame.subarray(0, delta.frame.length - 1), key)).toThrow(MirrorFrameError);
    expect(table.version).toBe(1);
    expect(table.answer('45.76.1.1', NOW)).toEqual(before);
    table.apply(decodeFrame(delta.frame, key));
    expect(table.answer('45.76.1.1', NOW)?.score).toBe(95);
  });

  it('refuses a tampered snapshot and frames signed by another key', async () => {
    const { feed, key } = await feedWithTwoVersions();
    const frame = await feed.snapshotFrame();
    const tampered = Buffer.from(frame);
    tampered[FRAME_HEADER_BYTES + 10] ^= 0x80;
    expect(() => decodeFrame(tampered, key)).toThrow(/bad signature/);
    const other = MirrorSigner.generate();
    expect(() => decodeFrame(frame, mirrorKey(other.publicKey))).toThrow(/bad signature/);
    expect(decodeFrame(frame, key).v4.length).toBe(2);
  });

  it('answers resync for another epoch, a version ahead, and deltas no longer kept', async () => {
    const { feed } = await feedWithTwoVersions();
    expect(feed.deltasSince(7, 1).kind).toBe('resync');
    expect(feed.deltasSince(42, 5).kind).toBe('resync');
    expect(feed.deltasSince(42, 2).kind).toBe('current');
    const small = new MirrorFeed({ sign: MirrorSigner.generate().sign, keepDeltas: 1, keepBytes: 1 << 30, nowMs: () => 0, epoch: 1 });
    const rows = [randomRow(new SeededRng(9), '45.76.1.1', 1)];
    const index = build(rows, 1);
    small.publish(index);
    index.apply([{ ...rows[0], score: 1, version: 2 }]);
    index.version = 2;
    small.publish(index);
    expect(small.deltasSince(1, 0)).toMatchObject({ kind: 'resync' });
    expect(small.deltasSince(1, 1)).toMatchObject({ kind: 'frames', to: 2 });
  });

  it('publishes nothing when the index did not change', async () => {
    const { feed, index } = await feedWithTwoVersions();
    index.version = 3;
    expect(feed.publish(index)).toBeNull();
    expect(feed.version).toBe(2);
    expect(feed.generation).toBe(3);
  });
});
