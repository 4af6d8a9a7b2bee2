import { ConsensusEngine } from '../scoring/engine.js';
import { resolveParams } from '../scoring/params.js';
import { canonicalJson, sha256Hex } from './snapshot-codec.js';

export interface EngineCompat {
  /** `EngineSnapshot.version` written by this build's engine. */
  engineVersion: number;
  /** Hash of the field names this build's engine writes (top level, reporter, IP, vote, listing). */
  shape: string;
}

let cached: EngineCompat | null = null;

/**
 * What a snapshot must match to be restored by this build. The engine's format is owned by
 * src/consensus/scoring (engine-snapshot.ts, snapshot-types.ts); besides its version number, the
 * field names it writes are compared, so a field added or renamed there without a version bump still
 * makes older snapshots fall back to a full replay instead of restoring a partial state. Found by
 * snapshotting a tiny engine with one listed IP.
 */
export function engineCompat(): EngineCompat {
  if (cached) return cached;
  const engine = new ConsensusEngine({ minVoters: 1, minEstablished: 0, minAsns: 1, thetaAdd: 0, ageGateMinMs: 0 });
  const t = Date.parse('2026-01-01T00:00:00Z');
  engine.registerReporter({ id: 'probe-r', ownerId: 'probe-o', asn: 64_496, net: 'probe-net', country: '--', enrolledAt: t - 400 * 86_400_000, alpha: 60, beta: 3 });
  engine.ingest({ reporterId: 'probe-r', ipKey: '203.0.113.9', scenario: 'probe/ssh-bf', at: t });
  engine.tick(t + 1_000);
  const snap = engine.snapshot();
  const keys = (value: unknown): string[] => (value !== null && typeof value === 'object' ? Object.keys(value).sort() : []);
  const ip = snap.ips[0];
  const shape = {
    top: keys(snap),
    reporter: keys(snap.reporters[0]),
    ip: keys(ip),
    vote: keys(ip?.votes[0]),
    listing: keys(ip?.listing ?? ip?.lastListing),
    collusion: keys(snap.collusion),
    campaigns: keys(snap.campaigns),
    counters: keys(snap.counters),
  };
  cached = { engineVersion: snap.version, shape: sha256Hex(canonicalJson(shape)).slice(0, 16) };
  return cached;
}

/** Hash of the resolved consensus parameters a runtime is built with (configured overrides + tickMs). */
export function paramsHash(params: Readonly<Record<string, unknown>>): string {
  return sha256Hex(canonicalJson(resolveParams(params))).slice(0, 32);
}
