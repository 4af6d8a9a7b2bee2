import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type pg from 'pg';
import { treeRssBytes } from '../lib/child-process.js';
import { median } from '../lib/stats.js';

/** Event-loop delay of the API process since the previous scrape (prom-client resets its histogram on each scrape). */
export async function eventLoopLag(baseUrl: string): Promise<{ p99Ms: number; maxMs: number } | null> {
  try {
    const res = await fetch(`${baseUrl}/metrics`, { signal: AbortSignal.timeout(10_000) });
    const text = await res.text();
    const read = (name: string) => {
      const match = new RegExp(`^quorum_${name} ([0-9.eE+-]+)$`, 'm').exec(text);
      return match ? Number(match[1]) * 1000 : Number.NaN;
    };
    return { p99Ms: read('nodejs_eventloop_lag_p99_seconds'), maxMs: read('nodejs_eventloop_lag_max_seconds') };
  } catch {
    return null;
  }
}

export interface QueueSample {
  waiting: number;
  delayed: number;
  active: number;
}

/** The scoring queue as the service sees it (BullMQ on the service's Redis prefix). */
export class ScoringQueueProbe {
  private readonly connection: Redis;
  readonly queue: Queue;

  constructor(redisUrl: string, redisPrefix: string) {
    this.connection = new Redis(redisUrl, { maxRetriesPerRequest: null });
    this.queue = new Queue('scoring', { connection: this.connection, prefix: `${redisPrefix}-bull` });
  }

  async sample(): Promise<QueueSample> {
    const c = await this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active');
    return { waiting: c.waiting + c.prioritized, delayed: c.delayed, active: c.active };
  }

  async workers(): Promise<number> {
    return this.queue.getWorkersCount();
  }

  /**
   * Durations (ms) of the scoring runs that finished in (fromMs, toMs], and the time the scoring queue
   * spent on any job then (rebuilds and trust maintenance included).
   */
  async runTimes(fromMs: number, toMs: number): Promise<{ runs: number[]; busyMs: number }> {
    const jobs = await this.queue.getJobs(['completed', 'failed'], 0, 199, false);
    const done = jobs.filter((j) => j.finishedOn !== undefined && j.processedOn !== undefined && j.finishedOn > fromMs && j.finishedOn <= toMs);
    const duration = (j: (typeof jobs)[number]) => (j.finishedOn as number) - (j.processedOn as number);
    return { runs: done.filter((j) => j.name === 'score-tick').map(duration), busyMs: done.reduce((sum, j) => sum + duration(j), 0) };
  }

  async close(): Promise<void> {
    await this.queue.close();
    this.connection.disconnect();
  }
}

/** Signals stored but not yet read by a scoring run. */
export async function scoringBacklog(pool: pg.Pool): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT ((SELECT coalesce(max(id), 0) FROM signal) - coalesce((SELECT last_signal_id FROM consensus_cursor WHERE id = 1), 0))::text AS n`,
  );
  return Number(rows[0].n);
}

export interface StorageFigures {
  signals: number;
  /** Every signal partition: heap, TOAST and indexes (resends are recognised against these rows: docs/scaling.md). */
  signalBytes: number;
  bytesPerSignal: number;
  blocklistRows: number;
}

export async function storageFigures(pool: pg.Pool): Promise<StorageFigures> {
  const { rows } = await pool.query<{ signals: string; signal_bytes: string; blocklist_rows: string }>(
    `SELECT (SELECT count(*) FROM signal)::text AS signals,
       (SELECT coalesce(sum(pg_total_relation_size(i.inhrelid)), 0) FROM pg_inherits i WHERE i.inhparent = 'signal'::regclass)::text AS signal_bytes,
       (SELECT count(*) FROM blocklist_entry)::text AS blocklist_rows`,
  );
  const r = rows[0];
  const signals = Number(r.signals);
  const signalBytes = Number(r.signal_bytes);
  return { signals, signalBytes, bytesPerSignal: signals > 0 ? signalBytes / signals : Number.NaN, blocklistRows: Number(r.blocklist_rows) };
}

/** Resident memory of the given processes and their descendants (MB). */
export async function rssMb(pids: readonly number[]): Promise<number> {
  let total = 0;
  for (const pid of pids) total += await treeRssBytes(pid);
  return total / 1_048_576;
}

/** Least-squares slope of `ys` per step of `xs`. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = xs.length;
  if (n < 2) return Number.NaN;
  const mx = xs.reduce((a, b) => a + b, 0) / n;
  const my = ys.reduce((a, b) => a + b, 0) / n;
  let num = 0;
  let den = 0;
  for (let i = 0; i < n; i++) {
    num += (xs[i] - mx) * (ys[i] - my);
    den += (xs[i] - mx) ** 2;
  }
  return den === 0 ? Number.NaN : num / den;
}

/** Resident memory of one process alone (MB), without its children. */
export async function ownRssMb(pid: number): Promise<number> {
  const { readFile } = await import('node:fs/promises');
  try {
    const statm = await readFile(`/proc/${pid}/statm`, 'utf8');
    return (Number(statm.split(' ')[1]) * 4096) / 1_048_576;
  } catch {
    return Number.NaN;
  }
}

export { median };
