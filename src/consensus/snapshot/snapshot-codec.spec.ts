import { ConsensusMatchers } from '../consensus-matchers.js';
import { ConsensusRuntime, type RuntimeOptions } from '../consensus-runtime.js';
import type { ScoringSignal } from '../consensus.types.js';
import { snapshotIp } from '../scoring/snapshot.js';
import { engineCompat, paramsHash } from './engine-compat.js';
import { IP_FIELDS, LISTING_FIELDS, VOTE_FIELDS } from './ip-blocks.js';
import { decodeImage, encodeJsonLinesSnapshot } from './json-lines-format.js';
import { captureRuntime } from './runtime-capture.js';
import { decodeSnapshot, encodeSnapshot, FORMAT_VERSION, SNAPSHOT_FORMAT, SnapshotRejected, type SnapshotCursor, type SnapshotHeader } from './snapshot-codec.js';

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
 * fifth by 2 (not listed), every seventh also by the honeypot. Random sets, not one list shared by all:
 * owners that always co-report are a ring to the collusion detector.
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
    if (k % 7 === 3) voters.add(REPORTERS);
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
  for (let r = 0; r <= REPORTERS; r++) {
    runtime.registerReporter({ pseudonym: `r${r}`, owner: `o${r}`, kind: r === REPORTERS ? 'honeypot' : 'community', asn: 64_500 + r, net: `net-${r}`, country: 'FR', enrolledAt: new Date(T0 - 200 * DAY), alpha: 60, beta: 3, quarantinedAt: null });
  }
  return runtime;
}

const head = (cursor: SnapshotCursor) => {
  const compat = engineCompat();
  return { format: SNAPSHOT_FORMAT, formatVersion: FORMAT_VERSION, engineVersion: compat.engineVersion, shape: compat.shape, paramsHash: paramsHash({ tickMs: TICK }), cursor };
};

/** Format 2, as a worker writes it: the copy first, the records built from it afterwards. */
async function binaryChunks(capture: ReturnType<typeof captureRuntime>, cursor: SnapshotCursor, chunkBytes = 4096) {
  const chunks: Buffer[] = [];
  const encoded = await encodeSnapshot(capture, head(cursor), async (chunk, seq) => {
    expect(seq).toBe(chunks.length);
    chunks.push(chunk);
  }, chunkBytes);
  return { chunks, encoded };
}

async function jsonLinesChunks(runtime: ConsensusRuntime, cursor: SnapshotCursor) {
  const chunks: Buffer[] = [];
  const encoded = await encodeJsonLinesSnapshot(runtime.image(), head(cursor), async (chunk) => {
    chunks.push(chunk);
  }, 4096);
  return { chunks, encoded };
}

async function* from(chunks: Buffer[]): AsyncGenerator<Buffer> {
  for (const c of chunks) yield c;
}

const restore = (format: number, chunks: Buffer[], sha: string | null, check: (h: SnapshotHeader) => string | null = () => null) =>
  decodeSnapshot(format, from(chunks), check, sha, (h) => ConsensusRuntime.restoring(options(), h.engine));

const summary = (runtime: ConsensusRuntime) => ({
  listed: runtime.listed().map((l) => [l.ipKey, l.reason, l.expiresAt]),
  seen: [...runtime.seen],
  published: [...runtime.published],
  trusted: runtime.trustedScenarios.entries(),
});

describe('consensus snapshot codec', () => {
  const cursor: SnapshotCursor = { lastSignalId: 720n, generation: 42n, runAt: T0 + 200 * 120_000, gapIds: [899n] };

  it('restores from binary records the engine a plain-record restore gives, and it continues like the live one', async () => {
    const live = runtimeWithReporters();
    live.replay(history(200, 0, 1, T0), T0, T0 + 200 * 120_000, TICK);
    live.published.set('185.7.0.0', T0 + DAY);
    live.seen.set('198.51.100.7', { first: T0, last: T0 + 1 });
    const { chunks, encoded } = await binaryChunks(captureRuntime(live), cursor);
    expect(encoded.chunks).toBe(chunks.length);
    expect(chunks.length).toBeGreaterThan(1);
    expect(encoded.bytes).toBeLessThan(encoded.rawBytes);

    const { header, result: restored } = await restore(FORMAT_VERSION, chunks, encoded.sha256);
    expect(header.cursor).toEqual(cursor);
    expect(header.formatVersion).toBe(2);
    expect(summary(restored)).toEqual(summary(live));
    // What the engine's own plain snapshot says of every IP, vote, listing and co-voter: the same as
    // the live engine's, and as a restore from plain records (ConsensusRuntime.fromImage).
    const fromImage = ConsensusRuntime.fromImage(options(), live.image());
    expect(restored.engine.snapshot()).toEqual(fromImage.engine.snapshot());
    expect(restored.engine.snapshot()).toEqual(live.engine.snapshot());
    const st = live.engine.state;
    expect(live.listed().length).toBeGreaterThan(0);
    expect(st.coVoters.size).toBeGreaterThan(0);
    expect(st.ips.hpLast.subarray(0, st.ips.size).some((t) => t > 0)).toBe(true);

    // The same tail on both: same listings, same scores, same sightings.
    const [tailFrom, tailTo] = [T0 + 200 * 120_000, T0 + 350 * 120_000];
    const tail = history(150, 200, 721, tailFrom);
    live.replay(tail, tailFrom, tailTo, TICK);
    restored.replay(tail, tailFrom, tailTo, TICK);
    expect(summary(restored)).toEqual(summary(live));
    expect(live.listed().length).toBeGreaterThan(100);
    for (const key of live.seen.keys()) expect(restored.engine.explain(key, tailTo)).toEqual(live.engine.explain(key, tailTo));
  });

  it('writes the state of the instant of the copy, whatever the runtime does while the records are built', async () => {
    const live = runtimeWithReporters();
    live.replay(history(120, 0, 1, T0), T0, T0 + 120 * 120_000, TICK);
    const capture = captureRuntime(live);
    const then = live.engine.snapshot();
    const thenSeen = [...live.seen].map(([key, s]) => [key, { ...s }]);
    live.replay(history(60, 120, 1_000, T0 + 120 * 120_000), T0 + 120 * 120_000, T0 + 180 * 120_000, TICK);
    live.seen.get('185.7.0.1')!.last = T0 + 99 * DAY;
    const { chunks, encoded } = await binaryChunks(capture, cursor);
    const { result } = await restore(FORMAT_VERSION, chunks, encoded.sha256);
    expect(result.engine.snapshot()).toEqual(then);
    expect([...result.seen]).toEqual(thenSeen);
  });

  it('still restores a snapshot of format 1 (JSON lines) written by an earlier build', async () => {
    const live = runtimeWithReporters();
    live.replay(history(100, 0, 1, T0), T0, T0 + 100 * 120_000, TICK);
    const { chunks, encoded } = await jsonLinesChunks(live, cursor);
    const { header, image } = await decodeImage(from(chunks), () => null, encoded.sha256);
    expect(header.formatVersion).toBe(1);
    const { result } = await restore(1, chunks, encoded.sha256);
    expect(summary(result)).toEqual(summary(live));
    expect(result.engine.snapshot()).toEqual(ConsensusRuntime.fromImage(options(), image).engine.snapshot());
    await expect(restore(2, chunks, encoded.sha256)).rejects.toBeInstanceOf(SnapshotRejected);
    expect(() => restore(99, chunks, encoded.sha256)).toThrow('format 99');
  });

  it('rejects a binary snapshot cut short, with a wrong checksum, with a flipped byte, or refused by the header check', async () => {
    const live = runtimeWithReporters();
    live.replay(history(80, 0, 1, T0), T0, T0 + 300_000, TICK);
    const { chunks, encoded } = await binaryChunks(captureRuntime(live), cursor, 1024);
    await expect(restore(2, chunks.slice(0, -1), null)).rejects.toBeInstanceOf(SnapshotRejected);
    await expect(restore(2, chunks, 'f'.repeat(64))).rejects.toThrow('checksum mismatch');
    await expect(restore(2, chunks, encoded.sha256, (h) => (h.paramsHash === paramsHash({ tickMs: 30_000 }) ? null : 'other parameters'))).rejects.toThrow('other parameters');
    const flipped = chunks.map((c) => Buffer.from(c));
    flipped[1][10] ^= 0xff;
    await expect(restore(2, flipped, null)).rejects.toBeInstanceOf(SnapshotRejected);
  });

  it('carries every field of the engine\'s plain IP and vote records (a new one must be added to the binary records)', () => {
    const live = runtimeWithReporters();
    live.replay(history(10, 0, 1, T0), T0, T0 + 20 * 120_000, TICK);
    const ip = snapshotIp(live.engine.state, 0);
    expect(Object.keys(ip).sort()).toEqual([...IP_FIELDS].sort());
    expect(Object.keys(ip.votes[0]).sort()).toEqual([...VOTE_FIELDS].sort());
    const listing = live.engine.snapshot().ips.map((x) => x.listing).find((l) => l !== null);
    expect(Object.keys(listing ?? {}).sort()).toEqual([...LISTING_FIELDS].sort());
  });

  it('hashes parameters independently of key order and notices a changed value', () => {
    expect(paramsHash({ tickMs: TICK, minVoters: 3 })).toBe(paramsHash({ minVoters: 3, tickMs: TICK }));
    expect(paramsHash({ tickMs: TICK, minVoters: 4 })).not.toBe(paramsHash({ tickMs: TICK, minVoters: 3 }));
  });
});
