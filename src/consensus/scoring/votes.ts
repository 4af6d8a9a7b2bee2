import { growF64, growI32, growU8 } from './columns.js';

export const F_PRE = 1; // first report came before the IP was listed / in a public feed
export const F_CREDITED = 2; // positive evidence already granted
export const F_JUDGED = 4; // unconfirmed-report check done
export const F_WITHDRAWN = 8; // reporter quarantined: the vote no longer counts
export const F_COLLUSION = 16; // already counted by the collusion detector

const NONE = -1;
const AGENT_SPAN = 2 ** 21;

/**
 * One entry per (reporter, target IP): first/last seen, family bits, flags. Entries are linked
 * per IP (newest first) and per reporter; a map finds the entry of a (ip, reporter) pair.
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
  private readonly index = new Map<number, number>();
  private count = 0;
  private freeHead = NONE;
  live = 0;

  get capacity(): number {
    return this.count;
  }

  static key(ipIdx: number, agentIdx: number): number {
    return ipIdx * AGENT_SPAN + agentIdx;
  }

  find(ipIdx: number, agentIdx: number): number {
    return this.index.get(ipIdx * AGENT_SPAN + agentIdx) ?? NONE;
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
    this.nextByAgent[e] = agentHead[agentIdx];
    agentHead[agentIdx] = e;
    this.index.set(ipIdx * AGENT_SPAN + agentIdx, e);
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
  }

  /**
   * Drops entries for which `dead(e)` holds, relinking both lists. Keeps the relative order of
   * the survivors, so scoring iterates them exactly as before.
   */
  compact(ipHead: Int32Array, ipCount: number, agentHead: Int32Array, agentCount: number, dead: (e: number) => boolean): number {
    let removed = 0;
    for (let x = 0; x < ipCount; x++) {
      let prev = NONE;
      let e = ipHead[x];
      while (e !== NONE) {
        const next = this.nextByIp[e];
        if (dead(e)) {
          if (prev === NONE) ipHead[x] = next;
          else this.nextByIp[prev] = next;
          this.index.delete(this.ip[e] * AGENT_SPAN + this.agent[e]);
          this.agent[e] = NONE;
          this.nextByIp[e] = this.freeHead;
          this.freeHead = e;
          this.live--;
          removed++;
        } else {
          prev = e;
        }
        e = next;
      }
    }
    if (removed > 0) {
      for (let r = 0; r < agentCount; r++) {
        let prev = NONE;
        let e = agentHead[r];
        while (e !== NONE) {
          const next = this.nextByAgent[e];
          if (this.agent[e] === NONE) {
            if (prev === NONE) agentHead[r] = next;
            else this.nextByAgent[prev] = next;
          } else {
            prev = e;
          }
          e = next;
        }
      }
    }
    return removed;
  }
}
