import { NEVER } from '../scoring/ip-table.js';
import type { IpTable } from '../scoring/ip-table.js';
import type { ListingRecord } from '../scoring/listing.js';
import type { EngineState } from '../scoring/state.js';
import { type Column, frameBytes, type Frame } from './binary-frames.js';
import type { RuntimeCapture } from './runtime-capture.js';
import { SnapshotRejected } from './snapshot-format.js';

/**
 * The binary per-IP records of snapshot format 2 (docs/scaling.md, "Snapshots and fail-over"): IPs go
 * in blocks of consecutive engine indexes, each block one frame of fixed-width columns (one value per
 * IP, then one per vote, per scenario class and per listing record), the keys as one UTF-8 text.
 * Names are indexes into the header's tables (reporters in snapshot order, owners,
 * scenario classes, families, networks). A restore interns the block's keys, copies the columns into
 * the engine's own with one `set` each and creates the votes: no parsing per value, no object per IP.
 *
 * The values are those the engine's plain snapshot (src/consensus/scoring/snapshot.ts `snapshotIp`)
 * carries, normalised the same way ("never" is one value), so a restore from either format gives the
 * same engine; `IP_FIELDS` and `LISTING_FIELDS` name them and a unit test holds them to `IpSnapshot`.
 */
export const IP_FIELDS = [
  'ipKey', 'net', 'votes', 'classes', 'honeypot', 'listing', 'lastListing', 'cooldownUntil', 'suppressedUntil', 'protectedUntil',
  'lastListedEnd', 'lastQualifying', 'lastScored', 'nextCheck', 'belowRuns', 'lastS', 'gainS', 'coVoters',
] as const;
export const VOTE_FIELDS = ['reporter', 'first', 'last', 'families', 'flags'] as const;
/** Listing record fields: the times and scores as floats, then reason, voters, charges and flags. */
const LISTING_F64 = ['listedAt', 'expiresAt', 'S', 'dAs', 'E', 'firstSeen', 'lastSeen', 'chargedAt', 'removedAt'] as const;
export const LISTING_FIELDS = [...LISTING_F64, 'reason', 'removeReason', 'voters', 'charged', 'confirmed', 'chargeSettled'] as const;

/** IPs per block frame (about 4 MiB of columns at two votes per IP). */
export const BLOCK_IPS = 16_384;

/** Times the plain snapshot writes as "never" (NEVER or -1) and restores as NEVER. */
const TIME_COLUMNS = ['hpScanAt', 'cooldownUntil', 'suppressedUntil', 'protectedUntil', 'lastListedEnd', 'lastQualifying', 'lastScored', 'nextCheck'] as const;
/** Float columns copied as they are (the order of a block's first arrays). */
const F64_COLUMNS = ['hpLast', ...TIME_COLUMNS, 'lastS', 'gainS'] as const;

interface BlockMeta {
  from: number;
  n: number;
  /** Listing reasons and removal reasons the block's listing records refer to. */
  reasons: string[];
}

/**
 * Every listing record of the engine as columns, copied under the scoring lock (no object per record):
 * per record its IP and slot (0 the listing, 1 the previous one when it is another record), the
 * LISTING_F64 values (removedAt null as NaN), reason and removal reason (index into `reasons`, -1 for
 * none), its voters' reporter indexes and charged owner indexes (from `voterStart` / `chargedStart`),
 * and the two flags (1 confirmed, 2 settled). Records are in IP order.
 */
export interface ListingColumns {
  ip: Int32Array;
  slot: Uint8Array;
  f64: Float64Array[];
  reason: Int32Array;
  removeReason: Int32Array;
  voterStart: Int32Array;
  voters: Int32Array;
  chargedStart: Int32Array;
  charged: Int32Array;
  flags: Uint8Array;
  reasons: string[];
}

export function captureListings(ips: IpTable): ListingColumns {
  let n = 0;
  let voterTotal = 0;
  let chargedTotal = 0;
  const size = ips.size;
  for (let x = 0; x < size; x++) {
    const listing = ips.listing[x];
    const previous = ips.lastListing[x];
    for (const rec of [listing, previous === listing ? undefined : previous]) {
      if (rec === undefined) continue;
      n++;
      voterTotal += rec.voters.length;
      chargedTotal += rec.charged.length;
    }
  }
  const c: ListingColumns = {
    ip: new Int32Array(n),
    slot: new Uint8Array(n),
    f64: LISTING_F64.map(() => new Float64Array(n)),
    reason: new Int32Array(n),
    removeReason: new Int32Array(n),
    voterStart: new Int32Array(n + 1),
    voters: new Int32Array(voterTotal),
    chargedStart: new Int32Array(n + 1),
    charged: new Int32Array(chargedTotal),
    flags: new Uint8Array(n),
    reasons: [],
  };
  const reasons = new Map<string, number>();
  const reasonOf = (name: string | null): number => {
    if (name === null) return -1;
    let id = reasons.get(name);
    if (id === undefined) reasons.set(name, (id = reasons.size));
    return id;
  };
  let k = 0;
  let v = 0;
  let ch = 0;
  for (let x = 0; x < size; x++) {
    const listing = ips.listing[x];
    const previous = ips.lastListing[x];
    for (let slot = 0; slot < 2; slot++) {
      const rec = slot === 0 ? listing : previous === listing ? undefined : previous;
      if (rec === undefined) continue;
      c.ip[k] = x;
      c.slot[k] = slot;
      for (let f = 0; f < LISTING_F64.length; f++) c.f64[f][k] = rec[LISTING_F64[f]] ?? Number.NaN;
      c.reason[k] = reasonOf(rec.reason);
      c.removeReason[k] = reasonOf(rec.removeReason);
      c.voterStart[k] = v;
      c.voters.set(rec.voters, v);
      v += rec.voters.length;
      c.chargedStart[k] = ch;
      c.charged.set(rec.charged, ch);
      ch += rec.charged.length;
      c.flags[k] = (rec.confirmed ? 1 : 0) | (rec.chargeSettled ? 2 : 0);
      k++;
    }
  }
  c.voterStart[n] = v;
  c.chargedStart[n] = ch;
  c.reasons = [...reasons.keys()];
  return c;
}

/** The listing columns of records [k0, k1), all of IPs of the block starting at `from`. */
function listingColumns(c: ListingColumns, k0: number, k1: number, from: number): Column[] {
  const at = new Int32Array(k1 - k0);
  const voterCount = new Int32Array(k1 - k0);
  const chargedCount = new Int32Array(k1 - k0);
  for (let k = k0; k < k1; k++) {
    at[k - k0] = c.ip[k] - from;
    voterCount[k - k0] = c.voterStart[k + 1] - c.voterStart[k];
    chargedCount[k - k0] = c.chargedStart[k + 1] - c.chargedStart[k];
  }
  return [
    ...c.f64.map((a) => a.subarray(k0, k1)),
    at,
    c.reason.subarray(k0, k1),
    c.removeReason.subarray(k0, k1),
    voterCount,
    chargedCount,
    c.voters.subarray(c.voterStart[k0], c.voterStart[k1]),
    c.charged.subarray(c.chargedStart[k0], c.chargedStart[k1]),
    c.slot.subarray(k0, k1),
    c.flags.subarray(k0, k1),
  ];
}
const LISTING_ARRAYS = LISTING_F64.length + 9;

/** The frame of IPs [from, to) of `c` (its columns are normalised in place: they are the snapshot's own copy). */
export function ipBlockFrame(c: RuntimeCapture, from: number, to: number, listings: { next: number }): Buffer[] {
  const { ips, votes } = c;
  const n = to - from;
  for (let x = from; x < to; x++) {
    for (const name of TIME_COLUMNS) if (ips[name][x] === -1) ips[name][x] = NEVER;
    if (ips.hpLast[x] === NEVER) {
      ips.hpFamilies[x] = 0;
      ips.hpScanAt[x] = NEVER;
    }
  }
  const voteCount = new Int32Array(n);
  let total = 0;
  for (let x = from; x < to; x++) {
    let k = 0;
    for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) k++;
    voteCount[x - from] = k;
    total += k;
  }
  const agent = new Int32Array(total);
  const families = new Int32Array(total);
  const flags = new Uint8Array(total);
  const first = new Float64Array(total);
  const last = new Float64Array(total);
  let v = 0;
  for (let x = from; x < to; x++) {
    for (let e = ips.head[x]; e !== -1; e = votes.nextByIp[e]) {
      agent[v] = votes.agent[e];
      families[v] = votes.families[e];
      flags[v] = votes.flags[e];
      first[v] = votes.first[e];
      last[v] = votes.last[e];
      v++;
    }
  }
  const classCount = new Int32Array(n);
  for (let i = 0; i < n; i++) classCount[i] = ips.classStart[from + i + 1] - ips.classStart[from + i];
  const keys = ips.keys.slice(from, to);
  for (const key of keys) if (key.includes('\n')) throw new Error(`IP key ${JSON.stringify(key)} holds a newline`);
  const all = ips.listings;
  const k0 = listings.next;
  while (listings.next < all.ip.length && all.ip[listings.next] < to) listings.next++;
  const listingArrays = listingColumns(all, k0, listings.next, from);
  const meta: BlockMeta = { from, n, reasons: all.reasons };
  const arrays: Column[] = [
    ...F64_COLUMNS.map((name) => ips[name].subarray(from, to)),
    first,
    last,
    ips.net.subarray(from, to),
    ips.hpFamilies.subarray(from, to),
    voteCount,
    classCount,
    agent,
    families,
    ips.classList.subarray(ips.classStart[from], ips.classStart[to]),
    ips.belowRuns.subarray(from, to),
    flags,
    new Uint8Array(Buffer.from(keys.join('\n'), 'utf8')),
    ...listingArrays,
  ];
  return frameBytes('I', meta, arrays);
}

/** Name tables of a snapshot mapped to this engine's indexes (identity when built in the same order). */
export interface IndexMaps {
  reporters: number[];
  owners: Int32Array;
  classes: Int32Array;
  nets: Int32Array;
  /** New family bits for each old family bit (a family bit may stand for several names beyond 32). */
  familyBits: Int32Array;
  familiesSame: boolean;
}

export function indexMaps(st: EngineState, tables: { families: string[]; nets: string[] }, owners: string[], classes: string[]): IndexMaps {
  const familyBits = new Int32Array(32);
  let familiesSame = true;
  tables.families.forEach((name, f) => {
    const g = st.families.intern(name);
    if (g !== f) familiesSame = false;
    familyBits[f & 31] |= 1 << (g & 31);
  });
  return {
    reporters: [],
    owners: Int32Array.from(owners, (name) => st.reporters.owners.intern(name)),
    classes: Int32Array.from(classes, (name) => st.classIndex(name)),
    nets: Int32Array.from(tables.nets, (name) => st.reporters.nets.find(name)),
    familyBits,
    familiesSame,
  };
}

function mapBits(maps: IndexMaps, bits: number): number {
  if (maps.familiesSame) return bits;
  let out = 0;
  for (let b = 0; b < 32; b++) if ((bits & (1 << b)) !== 0) out |= maps.familyBits[b];
  return out;
}

/** Sets the listing records of a block (columns as `listingColumns` writes them) on its IPs. */
function restoreListings(st: EngineState, maps: IndexMaps, from: number, n: number, reasons: string[], arrays: Column[]): void {
  const f64 = arrays.slice(0, LISTING_F64.length) as Float64Array[];
  const [at, reason, removeReason, voterCount, chargedCount, voters, charged, slot, flags] = arrays.slice(LISTING_F64.length) as [
    Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Uint8Array, Uint8Array,
  ];
  const { ips } = st;
  const reasonOf = (k: number): string | null => {
    if (k === -1) return null;
    const name = reasons[k];
    if (name === undefined) throw new SnapshotRejected('listing reason out of range');
    return name;
  };
  let v = 0;
  let c = 0;
  for (let k = 0; k < at.length; k++) {
    if (at[k] < 0 || at[k] >= n) throw new SnapshotRejected('listing of an IP outside its block');
    const x = from + at[k];
    const vn = voterCount[k];
    const cn = chargedCount[k];
    if (v + vn > voters.length || c + cn > charged.length) throw new SnapshotRejected('listing voters out of range');
    const recVoters: number[] = [];
    for (let j = v; j < v + vn; j++) {
      const r = maps.reporters[voters[j]] ?? -1;
      if (r >= 0) recVoters.push(r);
    }
    const recCharged = new Array<number>(cn);
    for (let j = 0; j < cn; j++) {
      const o = charged[c + j];
      recCharged[j] = o >= 0 && o < maps.owners.length ? maps.owners[o] : o;
    }
    v += vn;
    c += cn;
    const removedAt = f64[8][k];
    // The engine's own field order (scoring/decide.ts), so restored records share its shape.
    const rec: ListingRecord = {
      ip: x,
      listedAt: f64[0][k],
      reason: reasonOf(reason[k]) as ListingRecord['reason'],
      confirmed: (flags[k] & 1) !== 0,
      expiresAt: f64[1][k],
      S: f64[2][k],
      dAs: f64[3][k],
      E: f64[4][k],
      firstSeen: f64[5][k],
      lastSeen: f64[6][k],
      voters: recVoters,
      charged: recCharged,
      chargedAt: f64[7][k],
      chargeSettled: (flags[k] & 2) !== 0,
      removedAt: Number.isNaN(removedAt) ? null : removedAt,
      removeReason: reasonOf(removeReason[k]) as ListingRecord['removeReason'],
    };
    if (slot[k] === 0) {
      ips.listing[x] = rec;
      ips.lastListing[x] = rec;
    } else ips.lastListing[x] = rec;
  }
  if (v !== voters.length || c !== charged.length) throw new SnapshotRejected('listing voters left over');
}

/** Loads one IP block frame into `st`, whose IPs so far are exactly those of the blocks before it. */
export function restoreIpBlock(st: EngineState, maps: IndexMaps, frame: Frame): number {
  const meta = frame.meta as BlockMeta;
  const { ips, votes, reporters } = st;
  const { from, n } = meta;
  if (from !== ips.size) throw new SnapshotRejected(`IP block at ${from}, expected ${ips.size}`);
  if (frame.arrays.length !== F64_COLUMNS.length + 12 + LISTING_ARRAYS) throw new SnapshotRejected('IP block with other columns');
  const f64 = frame.arrays.slice(0, F64_COLUMNS.length) as Float64Array[];
  const [first, last, net, hpFamilies, voteCount, classCount, agent, families, classes, belowRuns, flags, keyBytes] = frame.arrays.slice(F64_COLUMNS.length, F64_COLUMNS.length + 12) as [
    Float64Array, Float64Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Int32Array, Uint8Array, Uint8Array, Uint8Array,
  ];
  const keys = n === 0 ? [] : Buffer.from(keyBytes.buffer, keyBytes.byteOffset, keyBytes.byteLength).toString('utf8').split('\n');
  if (keys.length !== n || f64.some((a) => a.length !== n) || net.length !== n || voteCount.length !== n || classCount.length !== n || belowRuns.length !== n) {
    throw new SnapshotRejected('IP block columns of unequal length');
  }
  for (let i = 0; i < n; i++) {
    const k = net[i];
    if (k >= maps.nets.length) throw new SnapshotRejected('IP network out of range');
    if (ips.intern(keys[i], k < 0 ? -1 : maps.nets[k]) !== from + i) throw new SnapshotRejected(`IP ${keys[i]} twice`);
  }
  F64_COLUMNS.forEach((name, c) => {
    if (name !== 'nextCheck') ips[name].set(f64[c], from);
  });
  ips.belowRuns.set(belowRuns, from);
  for (let i = 0; i < n; i++) ips.hpFamilies[from + i] = mapBits(maps, hpFamilies[i]);
  let v = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const x = from + i;
    const count = voteCount[i];
    if (v + count > agent.length) throw new SnapshotRejected('IP block votes out of range');
    // Newest first in the block; created oldest first, so the newest ends at the head as it was.
    for (let k = v + count - 1; k >= v; k--) {
      const r = maps.reporters[agent[k]] ?? -1;
      if (r < 0) throw new SnapshotRejected(`unknown reporter ${agent[k]}`);
      const e = votes.create(x, r, first[k], mapBits(maps, families[k]), flags[k], ips.head, reporters.entryHead);
      votes.last[e] = last[k];
    }
    ips.entries[x] = count;
    v += count;
    const cc = classCount[i];
    if (cc > 0) {
      if (c + cc > classes.length) throw new SnapshotRejected('IP block classes out of range');
      const list = new Array<number>(cc);
      for (let j = 0; j < cc; j++) list[j] = maps.classes[classes[c + j]];
      ips.classes[x] = list;
      c += cc;
    }
  }
  if (v !== agent.length || c !== classes.length) throw new SnapshotRejected('IP block with votes or classes left over');
  const nextCheck = f64[F64_COLUMNS.indexOf('nextCheck')];
  for (let i = 0; i < n; i++) if (nextCheck[i] !== NEVER) st.schedule(from + i, nextCheck[i]);
  restoreListings(st, maps, from, n, meta.reasons, frame.arrays.slice(F64_COLUMNS.length + 12));
  return v;
}
