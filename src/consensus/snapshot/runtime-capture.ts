import type { ConsensusRuntime } from '../consensus-runtime.js';
import { snapshotEngineRest } from '../scoring/engine-snapshot.js';
import { snapshotReporter } from '../scoring/snapshot.js';
import type { EngineSnapshot, ReporterSnapshot } from '../scoring/snapshot-types.js';
import { captureListings, type ListingColumns } from './ip-blocks.js';

/**
 * A runtime's state copied at one instant, for the binary snapshot (docs/scaling.md, "Snapshots and
 * fail-over"): the engine's per-IP and per-vote columns are copied as typed arrays (one memcpy each),
 * the per-IP values held in objects (listing records, scenario classes) are flattened into typed
 * arrays, collusion co-voters copied, and everything else the engine keeps is its own plain snapshot without the IPs. This
 * is all the scoring lock has to wait for: the per-IP records are built from the copy afterwards
 * (src/consensus/snapshot/ip-blocks.ts), while the worker scores again.
 */
export interface RuntimeCapture {
  engine: Omit<EngineSnapshot, 'reporters' | 'ips'>;
  reporters: ReporterSnapshot[];
  /** The engine's interned family and network names (family bits and IP networks refer to them). */
  families: string[];
  nets: string[];
  ips: IpColumns;
  votes: VoteColumns;
  /** Owners paired by the collusion detector per IP, by IP index ascending. */
  coVoters: Array<[number, number[]]>;
  seen: { keys: string[]; first: Float64Array; last: Float64Array };
  published: Array<[string, number]>;
  trusted: Array<[string, string[]]>;
  /**
   * The engine's IP index of a key. IP indexes are never reused, so a key of the copy keeps its index
   * after the lock is released; the encoder still checks the answer against `ips.keys`.
   */
  ipIndex: (key: string) => number;
}

export interface IpColumns {
  size: number;
  keys: string[];
  head: Int32Array;
  net: Int32Array;
  hpLast: Float64Array;
  hpFamilies: Int32Array;
  hpScanAt: Float64Array;
  cooldownUntil: Float64Array;
  suppressedUntil: Float64Array;
  protectedUntil: Float64Array;
  lastListedEnd: Float64Array;
  lastQualifying: Float64Array;
  lastScored: Float64Array;
  nextCheck: Float64Array;
  lastS: Float64Array;
  gainS: Float64Array;
  belowRuns: Uint8Array;
  /** Scenario classes of IP x are classList[classStart[x] .. classStart[x + 1]). */
  classStart: Int32Array;
  classList: Int32Array;
  listings: ListingColumns;
}

export interface VoteColumns {
  agent: Int32Array;
  first: Float64Array;
  last: Float64Array;
  families: Int32Array;
  flags: Uint8Array;
  nextByIp: Int32Array;
}

/** Copies `runtime` now (the caller holds the scoring lock); later runs do not change the copy. */
export function captureRuntime(runtime: ConsensusRuntime): RuntimeCapture {
  const st = runtime.engine.state;
  const { ips, votes } = st;
  const n = ips.size;
  const reporters: ReporterSnapshot[] = [];
  for (let r = 0; r < st.reporters.size; r++) reporters.push(snapshotReporter(st, r));

  const classStart = new Int32Array(n + 1);
  let classCount = 0;
  for (let x = 0; x < n; x++) {
    classStart[x] = classCount;
    classCount += ips.classes[x]?.length ?? 0;
  }
  classStart[n] = classCount;
  const classList = new Int32Array(classCount);
  for (let x = 0; x < n; x++) {
    const cls = ips.classes[x];
    if (cls !== undefined) classList.set(cls, classStart[x]);
  }
  const listings = captureListings(ips);

  const coVoters: Array<[number, number[]]> = [...st.coVoters].map(([x, owners]) => [x, [...owners]]);
  coVoters.sort((a, b) => a[0] - b[0]);

  const seenKeys: string[] = new Array<string>(runtime.seen.size);
  const first = new Float64Array(runtime.seen.size);
  const last = new Float64Array(runtime.seen.size);
  let i = 0;
  for (const [key, s] of runtime.seen) {
    seenKeys[i] = key;
    first[i] = s.first;
    last[i] = s.last;
    i++;
  }

  const entries = votes.capacity;
  return {
    engine: snapshotEngineRest(st),
    reporters,
    families: [...st.families.names],
    nets: [...st.reporters.nets.names],
    ips: {
      size: n,
      keys: ips.keys.slice(0, n),
      head: ips.head.slice(0, n),
      net: ips.net.slice(0, n),
      hpLast: ips.hpLast.slice(0, n),
      hpFamilies: ips.hpFamilies.slice(0, n),
      hpScanAt: ips.hpScanAt.slice(0, n),
      cooldownUntil: ips.cooldownUntil.slice(0, n),
      suppressedUntil: ips.suppressedUntil.slice(0, n),
      protectedUntil: ips.protectedUntil.slice(0, n),
      lastListedEnd: ips.lastListedEnd.slice(0, n),
      lastQualifying: ips.lastQualifying.slice(0, n),
      lastScored: ips.lastScored.slice(0, n),
      nextCheck: ips.nextCheck.slice(0, n),
      lastS: ips.lastS.slice(0, n),
      gainS: ips.gainS.slice(0, n),
      belowRuns: ips.belowRuns.slice(0, n),
      classStart,
      classList,
      listings,
    },
    votes: {
      agent: votes.agent.slice(0, entries),
      first: votes.first.slice(0, entries),
      last: votes.last.slice(0, entries),
      families: votes.families.slice(0, entries),
      flags: votes.flags.slice(0, entries),
      nextByIp: votes.nextByIp.slice(0, entries),
    },
    coVoters,
    seen: { keys: seenKeys, first, last },
    published: [...runtime.published],
    trusted: runtime.trustedScenarios.entries(),
    ipIndex: (key) => ips.find(key),
  };
}
