import { readFile } from 'node:fs/promises';

import { writeFileAtomic } from '../output/atomic-write.js';
import { ExpiryHeap } from '../util/expiry-heap.js';
import { isRecord } from '../util/json-check.js';

/** One local decision: the agent blocks `ip` on its own detection until `until` (wall clock, ms). */
export interface LocalDecision {
  ip: string;
  scenario: string;
  at: number;
  until: number;
}

/**
 * The agent's own decisions (scenario, address, duration), kept beside the community list and written
 * with it to the same outputs (see output/merged-outputs.ts). A new detection of an address extends its
 * decision. Bounded: past `max`, the decision closest to expiry leaves first. Saved as JSON so a restart
 * keeps blocking what it blocked.
 *
 * Under a botnet every detection may add an address to a full table, so eviction and expiry take the
 * soonest expiry from a heap (O(log n)) instead of scanning the table. The heap holds one pair per
 * add or extension; pairs whose expiry no longer matches the decision are stale and skipped, and the
 * heap is rebuilt from the table when stale pairs outnumber live ones.
 */
export class LocalDecisions {
  private readonly byIp = new Map<string, LocalDecision>();
  private readonly expiries = new ExpiryHeap();
  private dirty = false;

  constructor(
    private readonly max: number,
    private readonly path: string | null = null,
  ) {}

  get size(): number {
    return this.byIp.size;
  }

  /** Adds or extends; true when the set of blocked addresses changed (a new address). */
  add(ip: string, scenario: string, now: number, durationMs: number): boolean {
    const until = now + durationMs;
    const existing = this.byIp.get(ip);
    if (existing !== undefined) {
      if (until > existing.until) {
        existing.until = until;
        existing.scenario = scenario;
        this.track(existing);
        this.dirty = true;
      }
      return false;
    }
    if (this.byIp.size >= this.max) this.takeSoonest(Infinity);
    this.insert({ ip, scenario, at: now, until });
    this.dirty = true;
    return true;
  }

  /** Drops the decisions that ended by `now`; returns how many. */
  expire(now: number): number {
    let n = 0;
    while (this.takeSoonest(now)) n++;
    if (n > 0) this.dirty = true;
    return n;
  }

  ips(): IterableIterator<string> {
    return this.byIp.keys();
  }

  list(): LocalDecision[] {
    return [...this.byIp.values()];
  }

  private insert(decision: LocalDecision): void {
    this.byIp.set(decision.ip, decision);
    this.track(decision);
  }

  private track(decision: LocalDecision): void {
    this.expiries.push(decision.ip, decision.until);
    if (this.expiries.size > 2 * this.byIp.size + 64) {
      this.expiries.rebuild([...this.byIp.values()].map((d) => ({ key: d.ip, expiry: d.until })));
    }
  }

  /** Removes the decision that ends first if it ends by `by`; false when there is none. */
  private takeSoonest(by: number): boolean {
    while (this.expiries.size > 0 && this.expiries.peekExpiry() <= by) {
      const pair = this.expiries.pop() as { key: string; expiry: number };
      const decision = this.byIp.get(pair.key);
      if (decision === undefined || decision.until !== pair.expiry) continue;
      this.byIp.delete(pair.key);
      return true;
    }
    return false;
  }

  /** Loads saved decisions (a missing or unreadable file means none), dropping those already over. */
  async load(now: number): Promise<void> {
    if (this.path === null) return;
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.path, 'utf8'));
    } catch {
      return;
    }
    if (!isRecord(raw) || !Array.isArray(raw.decisions)) return;
    for (const d of raw.decisions) {
      if (!isRecord(d) || typeof d.ip !== 'string' || typeof d.scenario !== 'string' || typeof d.at !== 'number' || typeof d.until !== 'number') continue;
      if (d.until > now && this.byIp.size < this.max) this.insert({ ip: d.ip, scenario: d.scenario, at: d.at, until: d.until });
    }
  }

  /** Saves when something changed since the last save. */
  async save(): Promise<void> {
    if (this.path === null || !this.dirty) return;
    this.dirty = false;
    try {
      await writeFileAtomic(this.path, JSON.stringify({ decisions: this.list() }), 0o600);
    } catch (e) {
      this.dirty = true;
      throw e;
    }
  }
}
