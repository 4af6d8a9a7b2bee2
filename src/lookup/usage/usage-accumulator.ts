/** Lookups answered for one key in one UTC hour. */
export interface UsageRow {
  organizationId: string;
  apiKeyId: string;
  /** start of the UTC hour, epoch ms */
  hourMs: number;
  lookups: number;
}

export const HOUR_MS = 3_600_000;

interface Open {
  organizationId: string;
  hourMs: number;
  lookups: number;
}

/**
 * Per-key hourly counts kept in memory between flushes (one Map probe per request). `drain` hands
 * over everything counted since the previous drain; `restore` puts a failed flush back.
 */
export class UsageAccumulator {
  private readonly open = new Map<string, Open>();
  private closed: UsageRow[] = [];

  add(organizationId: string, apiKeyId: string, lookups: number, nowMs: number): void {
    if (lookups <= 0) return;
    const hourMs = nowMs - (nowMs % HOUR_MS);
    const entry = this.open.get(apiKeyId);
    if (entry && entry.hourMs === hourMs) {
      entry.lookups += lookups;
      return;
    }
    if (entry && entry.lookups > 0) this.closed.push({ organizationId: entry.organizationId, apiKeyId, hourMs: entry.hourMs, lookups: entry.lookups });
    this.open.set(apiKeyId, { organizationId, hourMs, lookups });
  }

  drain(): UsageRow[] {
    const rows = this.closed;
    this.closed = [];
    for (const [apiKeyId, entry] of this.open) {
      if (entry.lookups > 0) rows.push({ organizationId: entry.organizationId, apiKeyId, hourMs: entry.hourMs, lookups: entry.lookups });
      entry.lookups = 0;
    }
    return merge(rows);
  }

  restore(rows: UsageRow[]): void {
    this.closed.push(...rows);
  }

  /** Forgets keys that counted nothing since the last drain (bounded memory). */
  prune(): void {
    for (const [apiKeyId, entry] of this.open) if (entry.lookups === 0) this.open.delete(apiKeyId);
  }
}

function merge(rows: UsageRow[]): UsageRow[] {
  const byKey = new Map<string, UsageRow>();
  for (const row of rows) {
    const id = `${row.apiKeyId}|${row.hourMs}`;
    const known = byKey.get(id);
    if (known) known.lookups += row.lookups;
    else byKey.set(id, { ...row });
  }
  return [...byKey.values()];
}
