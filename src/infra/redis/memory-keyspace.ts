import type { Clock } from '../clock/clock.js';

interface Entry {
  value: unknown;
  /** clock time (ms) after which the key is gone */
  expiresAt: number;
}

/** Expired keys are swept after this many writes (reads drop the expired keys they meet). */
const SWEEP_EVERY_WRITES = 10_000;

/**
 * The in-process keyspace of the embedded mode: what Redis would hold, under the same key names,
 * expiring by the injected clock. Every in-process store (src/infra/redis/memory-stores.ts, the
 * ingest ledger, the quota leases) keeps its keys here, so keys can be erased by prefix or by name
 * whatever store wrote them, as on Redis.
 */
export class MemoryKeyspace {
  private readonly entries = new Map<string, Entry>();
  private writes = 0;

  constructor(readonly clock: Clock) {}

  /** The live value; `nowMs` is the caller's clock reading when it has one (the ingest ledger's request time). */
  get<T>(key: string, nowMs = this.clock.nowMs()): T | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= nowMs) {
      this.entries.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  /** Stores `value` until `expiresAt` (clock ms). */
  set(key: string, value: unknown, expiresAt: number): void {
    this.entries.set(key, { value, expiresAt });
    if (++this.writes % SWEEP_EVERY_WRITES === 0) this.sweep();
  }

  /** When a live key expires (clock ms), undefined when there is none. */
  expiresAt(key: string): number | undefined {
    return this.get(key) === undefined ? undefined : this.entries.get(key)?.expiresAt;
  }

  delete(key: string): boolean {
    const entry = this.entries.get(key);
    this.entries.delete(key);
    return entry !== undefined && entry.expiresAt > this.clock.nowMs();
  }

  deleteByPrefix(prefix: string): number {
    let removed = 0;
    for (const key of [...this.entries.keys()]) {
      if (key.startsWith(prefix) && this.delete(key)) removed++;
    }
    return removed;
  }

  /** Live keys (for tests and the limits log). */
  get size(): number {
    this.sweep();
    return this.entries.size;
  }

  private sweep(): void {
    const now = this.clock.nowMs();
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
