import type pg from 'pg';
import { BENCH_SCENARIO } from '../ingest/batches.js';

export interface ReporterIdentity {
  reporter: string;
  owner: string;
  asn: number | null;
  net: string | null;
  country: string | null;
}

const MAX_ROWS_PER_WRITE = 5_000;

const INSERT = `
INSERT INTO signal (received_at, reporter, owner, reporter_asn, reporter_net, reporter_country, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
SELECT now(), $1, $2, $3, $4, $5, 'quorum', t.ip, NULL, 'ip', $6, now() - interval '60 seconds', now() - interval '1 second', 1
FROM unnest($7::text[]) AS t(ip)`;

/**
 * Extra signals written straight into the signal table (as the ingest path stores them, from the
 * bench's reporters), every 100 ms, on top of the HTTP load: the throughput ceiling search measures
 * scoring, and HTTP ingestion on a shared 2-core machine tops out before scoring does. The scoring
 * nudges still come from the HTTP batches. Writes never overlap: what a slow write left due is added
 * to the next one (up to 5,000 rows), and the rate actually written is reported.
 */
export class DirectSignals {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private rate = 0;
  private next = 0;
  private startedAt = 0;
  /** Rows handed to writes since setRate (written or failed): a slow write is caught up by the next one. */
  private issued = 0;
  private random: () => number;
  written = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly reporters: readonly ReporterIdentity[],
    private readonly ips: readonly string[],
    seed = 7,
  ) {
    let s = seed >>> 0;
    this.random = () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  setRate(perSec: number): void {
    this.rate = perSec;
    this.startedAt = performance.now();
    this.issued = 0;
    if (perSec > 0 && !this.timer) this.timer = setInterval(() => void this.write(), 100);
    if (perSec === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  async stop(): Promise<void> {
    this.setRate(0);
    while (this.busy) await new Promise((resolve) => setTimeout(resolve, 20));
  }

  private async write(): Promise<void> {
    if (this.busy || this.rate === 0) return;
    this.busy = true;
    try {
      const due = Math.floor(((performance.now() - this.startedAt) / 1000) * this.rate);
      const count = Math.min(due - this.issued, MAX_ROWS_PER_WRITE);
      if (count <= 0) return;
      this.issued += count;
      const r = this.reporters[this.next++ % this.reporters.length];
      const ips = Array.from({ length: count }, () => this.ips[Math.floor(this.random() * this.ips.length)]);
      await this.pool.query(INSERT, [r.reporter, r.owner, r.asn, r.net, r.country, BENCH_SCENARIO, ips]);
      this.written += count;
    } catch {
      // counted as not written
    } finally {
      this.busy = false;
    }
  }
}

export async function benchReporters(pool: pg.Pool): Promise<ReporterIdentity[]> {
  const { rows } = await pool.query<{ reporter: string; owner: string; reporter_asn: number | null; reporter_net: string | null; reporter_country: string | null }>(
    'SELECT DISTINCT ON (reporter) reporter, owner, reporter_asn, reporter_net, reporter_country FROM signal ORDER BY reporter, id DESC',
  );
  return rows.map((r) => ({ reporter: r.reporter, owner: r.owner, asn: r.reporter_asn, net: r.reporter_net, country: r.reporter_country }));
}
