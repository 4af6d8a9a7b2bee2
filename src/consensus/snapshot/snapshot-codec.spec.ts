import { ConsensusMatchers } from '../consensus-matchers.js';
import { ConsensusRuntime, type RuntimeOptions } from '../consensus-runtime.js';
import type { ScoringSignal } from '../consensus.types.js';
import { engineCompat, paramsHash } from './engine-compat.js';
import { decodeImage, decodeSnapshot, encodeSnapshot, FORMAT_VERSION, SNAPSHOT_FORMAT, SnapshotRejected, type SnapshotCursor } from './snapshot-codec.js';

const T0 = Date.parse('2026-11-25T12:00:00.000Z');
const DAY = 86_400_000;
const TICK = 15_000;

function options(): RuntimeOptions {
  const matchers = new ConsensusMatchers();
  matchers.load({ categoryOf: () => null }, []);
  return { params: { tickMs: TICK }, matchers, isProtected: () => false };
}

const REPORTERS = 40;

/**
 * Established reporters in their own ASNs; IP k is reported by 4 owners drawn at random (listed), every
 * fifth by 2 (not listed). Random sets, not one list shared by all: owners that always co-report are
 * a ring to the collusion detector.
 */
function history(ips: number, firstIp: number, startId: number, startAt: number): ScoringSignal[] {
  const out: ScoringSignal[] = [];
  let seed = 0x9e3779b9 ^ firstIp;
  const next = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  for (let k = firstIp; k < firstIp + ips; k++) {
    const voters = new Set<number>();
    while (voters.size < (k % 5 === 4 ? 2 : 4)) voters.add(Math.floor(next() * REPORTERS));
    // One new IP every 2 minutes: a steady trickle, not a surge (a surge holds listings: scoring/campaign.ts).
    let j = 0;
    for (const r of voters) {
      const at = new Date(startAt + (k - firstIp) * 120_000 + j++ * 1_000);
      const id = startId + out.length;
      out.push({ id: BigInt(id), receivedAt: at, reporter: `r${r}`, owner: `o${r}`, ipKey: `185.7.${k >> 8}.${k & 255}`, scope: 'ip', scenario: r % 2 === 0 ? 'crowdsecurity/ssh-bf' : 'crowdsecurity/http-probing', at, weight: 1 });
    }
  }
  return out;
}

function runtimeWithReporters(): ConsensusRuntime {
  const runtime = new ConsensusRuntime(options());
  for (let r = 0; r < REPORTERS; r++) {
    runtime.registerReporter({ pseudonym: `r${r}`, owner: `o${r}`, kind: 'community', asn: 64_500 + r, net: `net-${r}`, country: 'FR', enrolledAt: new Date(T0 - 200 * DAY), alpha: 60, beta: 3, quarantinedAt: null });
  }
  return runtime;
}

async function roundTrip(runtime: ConsensusRuntime, cursor: SnapshotCursor, chunkBytes = 4096) {
  const chunks: Buffer[] = [];
  const compat = engineCompat();
  const encoded = await encodeSnapshot(
    runtime.image(),
    { format: SNAPSHOT_FORMAT, formatVersion: FORMAT_VERSION, engineVersion: compat.engineVersion, shape: compat.shape, paramsHash: paramsHash({ tickMs: TICK }), cursor },
    async (chunk, seq) => {
      expect(seq).toBe(chunks.length);
      chunks.push(chunk);
    },
    chunkBytes,
  );
  return { chunks, encoded };
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

const summary = (runtime: ConsensusRuntime) => ({
  listed: runtime.listed().map((l) => [l.ipKey, l.reason, l.expiresAt]),
  seen: [...runtime.seen],
  published: [...runtime.published],
});

describe('consensus snapshot codec', () => {
  const cursor: SnapshotCursor = { lastSignalId: 720n, generation: 42n, runAt: T0 + 200 * 120_000, gapIds: [899n] };

  it('restores a runtime that continues exactly like the one it was taken from', async () => {
    const live = runtimeWithReporters();
    const first = history(200, 0, 1, T0);
    live.replay(first, T0, T0 + 200 * 120_000, TICK);
    live.published.set('185.7.0.0', T0 + DAY);
    const { chunks, encoded } = await roundTrip(live, cursor);
    expect(encoded.chunks).toBe(chunks.length);
    expect(chunks.length).toBeGreaterThan(1);
    expect(encoded.bytes).toBeLessThan(encoded.rawBytes);

    const { header, image } = await decodeImage(from(chunks), () => null, encoded.sha256);
    expect(header.cursor).toEqual(cursor);
    const fromImage = ConsensusRuntime.fromImage(options(), image);
    expect(summary(fromImage)).toEqual(summary(live));
    // The worker's path: records restored as they are read.
    const streamed = await decodeSnapshot(from(chunks), () => null, encoded.sha256, (h) => ConsensusRuntime.restoring(options(), h.engine));
    const restored = streamed.result;
    expect(summary(restored)).toEqual(summary(live));
    expect(restored.engine.snapshot()).toEqual(fromImage.engine.snapshot());
    expect(live.listed().length).toBeGreaterThan(0);

    // The same tail on both: same listings, same scores, same sightings.
    const [tailFrom, tailTo] = [T0 + 200 * 120_000, T0 + 350 * 120_000];
    const tail = history(150, 200, 721, tailFrom);
    live.replay(tail, tailFrom, tailTo, TICK);
    restored.replay(tail, tailFrom, tailTo, TICK);
    expect(summary(restored)).toEqual(summary(live));
    expect(live.listed().length).toBeGreaterThan(100);
    for (const key of live.seen.keys()) expect(restored.engine.explain(key, tailTo)).toEqual(live.engine.explain(key, tailTo));
  });

  it('rejects a snapshot cut short, with a wrong checksum, or refused by the header check', async () => {
    const live = runtimeWithReporters();
    live.replay(history(80, 0, 1, T0), T0, T0 + 300_000, TICK);
    const { chunks, encoded } = await roundTrip(live, cursor, 1024);
    await expect(decodeImage(from(chunks.slice(0, -1)), () => null, null)).rejects.toBeInstanceOf(SnapshotRejected);
    await expect(decodeImage(from(chunks), () => null, 'f'.repeat(64))).rejects.toThrow('checksum mismatch');
    await expect(decodeImage(from(chunks), (h) => (h.paramsHash === paramsHash({ tickMs: 30_000 }) ? null : 'other parameters'), encoded.sha256)).rejects.toThrow('other parameters');
    const flipped = chunks.map((c) => Buffer.from(c));
    flipped[1][10] ^= 0xff;
    await expect(decodeImage(from(flipped), () => null, null)).rejects.toBeInstanceOf(SnapshotRejected);
  });

  it('hashes parameters independently of key order and notices a changed value', () => {
    expect(paramsHash({ tickMs: TICK, minVoters: 3 })).toBe(paramsHash({ minVoters: 3, tickMs: TICK }));
    expect(paramsHash({ tickMs: TICK, minVoters: 4 })).not.toBe(paramsHash({ tickMs: TICK, minVoters: 3 }));
  });
});
