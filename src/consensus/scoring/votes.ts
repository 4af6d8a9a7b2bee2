import { growF64, growI32, growU8 } from './columns.js';
import type { ConsensusParams } from './params.js';
import type { EngineState } from './state.js';

export const F_PRE = 1; // first report came before the IP was listed / in a public feed
export const F_CREDITED = 2; // positive evidence already granted
export const F_JUDGED = 4; // unconfirmed-report check done
export const F_WITHDRAWN = 8; // reporter quarantined: the vote no longer counts
export const F_COLLUSION = 16; // already counted by the collusion detector

const NONE = -1;
const AGENT_SPAN = 2 ** 21;

/** The whole IP table is swept for expired votes once per this period, a share at every run. */
export const VOTE_SWEEP_MS = 3_600_000;

/**
 * One entry per (reporter, target IP): first/last seen, family bits, flags. Entries are linked
 * per IP (newest first) and per reporter (doubly, so one can be unlinked in O(1)); a hash index
 * finds the entry of a (ip, reporter) pair.
 */
export class VoteStore {
  ip = new Int32Array(0);
  agent = new Int32Array(0);
  first = new Float64Array(0);
  last = new Float64Array(0);
  families = new Int32Array(0);
  flags = new Uint8Array(0);
  nextByIp = new Int32Array(0);
  nextByAgent = new Int32Array(0);
  prevByAgent = new Int32Array(0);
  /**
   * The (ip, reporter) -> entry index: open addressing with linear probing over entry ids (no
   * tombstones: a removal shifts the following run back). 4 bytes per slot, at most half full, so
   * 8-16 bytes per entry and no allocation per vote; a Map keyed by ip * 2^21 + reporter held a heap
   * number per key beyond 2^31 and cost ~50-90 bytes per entry (docs/scaling.md "Bounded memory").
   */
  private slots = new Int32Array(1024).fill(NONE);
  private indexed = 0;
  private count = 0;
  private freeHead = NONE;
  live = 0;
  /** Continuous sweep: the next IP index to visit and the time of the last sweep. */
  private sweepCursor = 0;
  private sweptAt = Number.NaN;

  get capacity(): number {
    return this.count;
  }

  static key(ipIdx: number, agentIdx: number): number {
    return ipIdx * AGENT_SPAN + agentIdx;
  }

  find(ipIdx: number, agentIdx: number): number {
    const mask = this.slots.length - 1;
    for (let i = slotOf(ipIdx, agentIdx, mask); ; i = (i + 1) & mask) {
      const e = this.slots[i];
      if (e === NONE || (this.ip[e] === ipIdx && this.agent[e] === agentIdx)) return e;
    }
  }

  private indexAdd(e: number): void {
    if ((this.indexed + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    const mask = this.slots.length - 1;
    let i = slotOf(this.ip[e], this.agent[e], mask);
    while (this.slots[i] !== NONE) i = (i + 1) & mask;
    this.slots[i] = e;
    this.indexed++;
  }

  /** Removes entry `e` (still holding its ip and reporter) from the index. */
  private indexRemove(e: number): void {
    const { slots } = this;
    const mask = slots.length - 1;
    let i = slotOf(this.ip[e], this.agent[e], mask);
    while (slots[i] !== e) i = (i + 1) & mask;
    slots[i] = NONE;
    this.indexed--;
    // Shift back the rest of the run: an entry moves into the hole when the hole lies between its
    // home slot and where it sits, so every entry stays reachable from its home slot.
    for (let j = (i + 1) & mask; slots[j] !== NONE; j = (j + 1) & mask) {
      const f = slots[j];
      const home = slotOf(this.ip[f], this.agent[f], mask);
      if (((j - home) & mask) >= ((j - i) & mask)) {
        slots[i] = f;
        slots[j] = NONE;
        i = j;
      }
    }
  }

  private rehash(size: number): void {
    const old = this.slots;
    this.slots = new Int32Array(size).fill(NONE);
    const mask = size - 1;
    for (const e of old) {
      if (e === NONE) continue;
      let i = slotOf(this.ip[e], this.agent[e], mask);
      while (this.slots[i] !== NONE) i = (i + 1) & mask;
      this.slots[i] = e;
    }
  }

  /** Creates an entry and links it at the head of both lists; returns its id. */
  create(ipIdx: number, agentIdx: number, at: number, familyBits: number, flags: number, ipHead: Int32Array, agentHead: Int32Array): number {
    if (agentIdx >= AGENT_SPAN) throw new RangeError('too many reporters for the vote index');
    let e: number;
    if (this.freeHead !== NONE) {
      e = this.freeHead;
      this.freeHead = this.nextByIp[e];
    } else {
      e = this.count++;
      this.grow(this.count);
    }
    this.ip[e] = ipIdx;
    this.agent[e] = agentIdx;
    this.first[e] = at;
    this.last[e] = at;
    this.families[e] = familyBits;
    this.flags[e] = flags;
    this.nextByIp[e] = ipHead[ipIdx];
    ipHead[ipIdx] = e;
    const next = agentHead[agentIdx];
    this.nextByAgent[e] = next;
    this.prevByAgent[e] = NONE;
    if (next !== NONE) this.prevByAgent[next] = e;
    agentHead[agentIdx] = e;
    this.indexAdd(e);
    this.live++;
    return e;
  }

  private grow(n: number): void {
    this.ip = growI32(this.ip, n);
    this.agent = growI32(this.agent, n);
    this.first = growF64(this.first, n);
    this.last = growF64(this.last, n);
    this.families = growI32(this.families, n);
    this.flags = growU8(this.flags, n);
    this.nextByIp = growI32(this.nextByIp, n);
    this.nextByAgent = growI32(this.nextByAgent, n);
    this.prevByAgent = growI32(this.prevByAgent, n);
  }

  /**
   * Drops entries for which `dead(e)` holds, relinking both lists. Keeps the relative order of
   * the survivors, so scoring iterates them exactly as before. O(entries).
   */
  compact(ipHead: Int32Array, ipCount: number, agentHead: Int32Array, _agentCount: number, dead: (e: number) => boolean): number {
    return this.sweep(ipHead, 0, ipCount, agentHead, dead);
  }

  /**
   * Continuous pruning: visits the share of the IP table due since the last call, so that every IP
   * is visited at least once per `periodMs` whatever the call cadence, and drops its entries for
   * which `dead(e)` holds. A run costs the entries of the IPs it visits (the table over the period),
   * not the whole table at once.
   */
  sweepDue(ipHead: Int32Array, ipCount: number, agentHead: Int32Array, now: number, periodMs: number, dead: (e: number) => boolean): number {
    if (!(now > this.sweptAt)) {
      if (Number.isNaN(this.sweptAt) || now < this.sweptAt) this.sweptAt = now;
      return 0;
    }
    const share = Math.min(ipCount, Math.ceil((ipCount * (now - this.sweptAt)) / periodMs));
    this.sweptAt = now;
    let removed = 0;
    for (let left = share; left > 0; ) {
      if (this.sweepCursor >= ipCount) this.sweepCursor = 0;
      const to = Math.min(ipCount, this.sweepCursor + left);
      removed += this.sweep(ipHead, this.sweepCursor, to, agentHead, dead);
      left -= to - this.sweepCursor;
      this.sweepCursor = to;
    }
    return removed;
  }

  /** Drops the entries of IPs [from, to) for which `dead(e)` holds; survivors keep their order. */
  private sweep(ipHead: Int32Array, from: number, to: number, agentHead: Int32Array, dead: (e: number) => boolean): number {
    let removed = 0;
    for (let x = from; x < to; x++) {
      let prev = NONE;
      let e = ipHead[x];
      while (e !== NONE) {
        const next = this.nextByIp[e];
        if (dead(e)) {
          if (prev === NONE) ipHead[x] = next;
          else this.nextByIp[prev] = next;
          this.release(e, agentHead);
          removed++;
        } else {
          prev = e;
        }
        e = next;
      }
    }
    return removed;
  }

  /** Unlinks `e` from its reporter's list (already out of its IP's list) and frees it. */
  private release(e: number, agentHead: Int32Array): void {
    const before = this.prevByAgent[e];
    const after = this.nextByAgent[e];
    if (before === NONE) agentHead[this.agent[e]] = after;
    else this.nextByAgent[before] = after;
    if (after !== NONE) this.prevByAgent[after] = before;
    this.indexRemove(e);
    this.agent[e] = NONE;
    this.nextByIp[e] = this.freeHead;
    this.freeHead = e;
    this.live--;
  }
}

/** Home slot of an (ip, reporter) pair in a table of mask + 1 slots (a 32-bit mix of both). */
function slotOf(ipIdx: number, agentIdx: number, mask: number): number {
  let h = Math.imul(ipIdx, 0x9e3779b1) ^ Math.imul(agentIdx + 0x7f4a7c15, 0x85ebca6b);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return h & mask;
}

/**
 * An entry that no longer matters: judged, older than the vote lifetime and than the unconfirmed
 * window, and counted by the collusion detector or older than its window.
 */
export function voteExpired(votes: VoteStore, e: number, now: number, p: ConsensusParams): boolean {
  const f = votes.flags[e];
  const last = votes.last[e];
  return (f & F_JUDGED) !== 0 && last < now - Math.max(p.voteMaxAgeMs, p.unconfirmedAfterMs) && ((f & F_COLLUSION) !== 0 || last < now - p.collusionWindowMs);
}

/**
 * Continuous vote pruning, called at every scoring run: expired entries (`voteExpired`) leave within
 * VOTE_SWEEP_MS of expiring, instead of waiting for the daily garbage collection. So a tracked
 * (IP, reporter) pair holds one entry from its first report until at most
 * max(voteMaxAgeMs, unconfirmedAfterMs) after its last one (collusionWindowMs when the collusion
 * detector has not counted it), plus the day until the daily judgement marks it judged, plus
 * VOTE_SWEEP_MS (docs/scaling.md "Bounded memory").
 */
export function pruneVotes(st: EngineState, now: number): number {
  const { votes, ips, reporters, p } = st;
  return votes.sweepDue(ips.head, ips.size, reporters.entryHead, now, VOTE_SWEEP_MS, (e) => {
    if (!voteExpired(votes, e, now, p)) return false;
    ips.entries[votes.ip[e]]--;
    return true;
  });
}
