import { parseAddressInto, type ParsedAddress } from '../common/ip/address-words.js';
import type { BlocklistEntry } from './render/types.js';

// Hot-path globals are bound once: a global lookup is cheap in plain Node but costs ~0.2 µs
// inside a vm context such as Jest's, which would dominate a 100k-entry render there.
const { isNaN } = Number;

/**
 * Blocklist ranking: the order in which entries fill a view of limited size (tiers) and the order
 * of every rendered list. It is a total order, so the same entries always give the same list,
 * whatever order they arrive in:
 *
 *   1. higher `score` first (a NaN score ranks below every number);
 *   2. then later `until` first: of two equally scored entries, keep the one that stays valid
 *      longer, so a tier changes less from one version to the next;
 *   3. then numeric address order: IPv4 before IPv6, lower network address first, shorter prefix
 *      first (`10.0.0.0/24` before `10.0.0.0`, `9.0.0.1` before `10.0.0.1`); values that are not
 *      IPs or CIDRs come after all addresses;
 *   4. then, only between entries with the same network, by `value` text, `scenarioClass` and
 *      `scope` (code-unit order).
 */
export function rankEntries(entries: readonly BlocklistEntry[]): BlocklistEntry[] {
  const keys = new RankKeys(entries);
  const order = new Uint32Array(entries.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  order.sort((a, b) => keys.compare(a, b));
  const ranked = new Array<BlocklistEntry>(order.length);
  for (let i = 0; i < order.length; i++) ranked[i] = entries[order[i]];
  return ranked;
}

/** Ranking as a comparator (negative when `a` ranks first); parses both values on each call. */
export function compareRank(a: BlocklistEntry, b: BlocklistEntry): number {
  return new RankKeys([a, b]).compare(0, 1);
}

export interface ViewOptions {
  /** Maximum number of entries; `Infinity` for the full list. */
  limit: number;
  /** Keep only these scenario classes; undefined or empty means every class (an agent that
   * declares no scenario still gets a list). */
  scenarios?: readonly string[];
  /** Entries whose `until` is at or before this instant are left out. */
  now?: Date;
}

/** The top `limit` entries by rank, after the scenario and expiry filters, in rank order. Cost
 * follows the list, not the limit: the score threshold is found first, and only entries at or
 * above it are fully sorted. */
export function selectView(entries: readonly BlocklistEntry[], options: ViewOptions): BlocklistEntry[] {
  const limit = options.limit;
  if (!(limit >= 0)) throw new RangeError(`view limit must be >= 0, got ${limit}`);
  const classes = options.scenarios !== undefined && options.scenarios.length > 0 ? new Set(options.scenarios) : null;
  const nowMs = options.now?.getTime() ?? -Infinity;
  const kept: BlocklistEntry[] = [];
  for (const entry of entries) {
    if (classes !== null && !classes.has(entry.scenarioClass)) continue;
    if (!(entry.until.getTime() > nowMs)) continue;
    kept.push(entry);
  }
  if (limit === 0) return [];
  if (kept.length <= limit) return rankEntries(kept);

  const scores = new Float64Array(kept.length);
  for (let i = 0; i < kept.length; i++) scores[i] = scoreKey(kept[i].score);
  scores.sort();
  const threshold = scores[scores.length - Math.floor(limit)];
  const candidates = kept.filter((entry) => scoreKey(entry.score) >= threshold);
  return rankEntries(candidates).slice(0, limit);
}

function scoreKey(score: number): number {
  return isNaN(score) ? -Infinity : score;
}

/** Sort keys decoded once per entry into typed arrays, so the comparator does no parsing. */
class RankKeys {
  private readonly score: Float64Array;
  private readonly until: Float64Array;
  private readonly family: Uint8Array;
  private readonly prefix: Uint8Array;
  private readonly words: Uint32Array;

  constructor(private readonly entries: readonly BlocklistEntry[]) {
    const n = entries.length;
    this.score = new Float64Array(n);
    this.until = new Float64Array(n);
    this.family = new Uint8Array(n);
    this.prefix = new Uint8Array(n);
    this.words = new Uint32Array(n * 4);
    const a: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };
    for (let i = 0; i < n; i++) {
      const entry = entries[i];
      this.score[i] = scoreKey(entry.score);
      const until = entry.until.getTime();
      this.until[i] = isNaN(until) ? -Infinity : until;
      if (parseAddressInto(entry.value, a)) {
        this.family[i] = a.family;
        this.prefix[i] = a.prefix;
        this.words[i * 4] = a.w0;
        this.words[i * 4 + 1] = a.w1;
        this.words[i * 4 + 2] = a.w2;
        this.words[i * 4 + 3] = a.w3;
      } else {
        this.family[i] = 255;
      }
    }
  }

  compare(i: number, j: number): number {
    if (this.score[i] !== this.score[j]) return this.score[i] > this.score[j] ? -1 : 1;
    if (this.until[i] !== this.until[j]) return this.until[j] > this.until[i] ? 1 : -1;
    if (this.family[i] !== this.family[j]) return this.family[i] - this.family[j];
    const w = this.words;
    for (let k = 0; k < 4; k++) {
      const d = w[i * 4 + k] - w[j * 4 + k];
      if (d !== 0) return d;
    }
    if (this.prefix[i] !== this.prefix[j]) return this.prefix[i] - this.prefix[j];
    const a = this.entries[i];
    const b = this.entries[j];
    return textOrder(a.value, b.value) || textOrder(a.scenarioClass, b.scenarioClass) || textOrder(a.scope, b.scope);
  }
}

function textOrder(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The sort key of one entry, decoded once (incremental ranking keeps it next to the entry). */
export interface RankKey {
  score: number;
  until: number;
  family: number;
  prefix: number;
  w0: number;
  w1: number;
  w2: number;
  w3: number;
}

const scratch: ParsedAddress = { family: 4, w0: 0, w1: 0, w2: 0, w3: 0, prefix: 0 };

/** An entry with its sort key decoded once, in one object (incremental ranking holds one per entry). */
export interface KeyedEntry<E extends BlocklistEntry> extends RankKey {
  entry: E;
}

export function keyedEntry<E extends BlocklistEntry>(entry: E): KeyedEntry<E> {
  const until = entry.until.getTime();
  const keyed: KeyedEntry<E> = { entry, score: scoreKey(entry.score), until: isNaN(until) ? -Infinity : until, family: 255, prefix: 0, w0: 0, w1: 0, w2: 0, w3: 0 };
  if (parseAddressInto(entry.value, scratch)) {
    keyed.family = scratch.family;
    keyed.prefix = scratch.prefix;
    keyed.w0 = scratch.w0 >>> 0;
    keyed.w1 = scratch.w1 >>> 0;
    keyed.w2 = scratch.w2 >>> 0;
    keyed.w3 = scratch.w3 >>> 0;
  }
  return keyed;
}

/** The ranking order (same as `rankEntries`) on decoded keys: negative when `a` ranks first. */
export function compareKeyed(ka: RankKey, a: BlocklistEntry, kb: RankKey, b: BlocklistEntry): number {
  if (ka.score !== kb.score) return ka.score > kb.score ? -1 : 1;
  if (ka.until !== kb.until) return kb.until > ka.until ? 1 : -1;
  if (ka.family !== kb.family) return ka.family - kb.family;
  if (ka.w0 !== kb.w0) return ka.w0 - kb.w0;
  if (ka.w1 !== kb.w1) return ka.w1 - kb.w1;
  if (ka.w2 !== kb.w2) return ka.w2 - kb.w2;
  if (ka.w3 !== kb.w3) return ka.w3 - kb.w3;
  if (ka.prefix !== kb.prefix) return ka.prefix - kb.prefix;
  return textOrder(a.value, b.value) || textOrder(a.scenarioClass, b.scenarioClass) || textOrder(a.scope, b.scope);
}
