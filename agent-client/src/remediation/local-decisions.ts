import { readFile } from 'node:fs/promises';

import { writeFileAtomic } from '../output/atomic-write.js';
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
 */
export class LocalDecisions {
  private readonly byIp = new Map<string, LocalDecision>();
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
        this.dirty = true;
      }
      return false;
    }
    if (this.byIp.size >= this.max) this.evictOne();
    this.byIp.set(ip, { ip, scenario, at: now, until });
    this.dirty = true;
    return true;
  }

  /** Drops the decisions that ended by `now`; returns how many. */
  expire(now: number): number {
    let n = 0;
    for (const [ip, d] of this.byIp) {
      if (d.until <= now) {
        this.byIp.delete(ip);
        n++;
      }
    }
    if (n > 0) this.dirty = true;
    return n;
  }

  ips(): IterableIterator<string> {
    return this.byIp.keys();
  }

  list(): LocalDecision[] {
    return [...this.byIp.values()];
  }

  private evictOne(): void {
    let first: LocalDecision | undefined;
    for (const d of this.byIp.values()) if (first === undefined || d.until < first.until) first = d;
    if (first !== undefined) this.byIp.delete(first.ip);
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
      if (d.until > now && this.byIp.size < this.max) this.byIp.set(d.ip, { ip: d.ip, scenario: d.scenario, at: d.at, until: d.until });
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
