import type { Segment } from './measure.js';
import { LatencySamples, ratio } from './stats.js';

export interface ServerSummary {
  name: string;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  responses: number;
  errors: number;
  non2xx: number;
  /** Bytes on the wire per 2xx answer (status line, headers and body). */
  bytesPerResponse: number;
  /** req/s of each round, to show how steady the machine was. */
  roundReqPerSec: number[];
}

export interface ComparedServer extends ServerSummary {
  /** Over the baseline (first server): above 1 means more req/s. */
  reqPerSecRatio: number;
  /** Over the baseline: above 1 means slower. */
  p50Ratio: number;
  p99Ratio: number;
}

/** Pools every round of one server: total answers over total time, percentiles over all samples. */
export function summarise(name: string, segments: readonly Segment[]): ServerSummary {
  const pooled = new LatencySamples();
  let seconds = 0;
  let responses = 0;
  let ok = 0;
  let okBytes = 0;
  let errors = 0;
  let non2xx = 0;
  for (const s of segments) {
    pooled.pushAll(s.latencies);
    seconds += s.durationSec;
    responses += s.responses;
    ok += s.ok;
    okBytes += s.okBytes;
    errors += s.errors;
    non2xx += s.non2xx;
  }
  return {
    name,
    reqPerSec: seconds > 0 ? responses / seconds : 0,
    p50Ms: pooled.percentile(50),
    p99Ms: pooled.percentile(99),
    responses,
    errors,
    non2xx,
    bytesPerResponse: ok > 0 ? okBytes / ok : 0,
    roundReqPerSec: segments.map((s) => (s.durationSec > 0 ? s.responses / s.durationSec : 0)),
  };
}

export function compareToBaseline(summaries: readonly ServerSummary[]): ComparedServer[] {
  const [baseline] = summaries;
  if (baseline === undefined) return [];
  return summaries.map((s) => ({
    ...s,
    reqPerSecRatio: ratio(s.reqPerSec, baseline.reqPerSec),
    p50Ratio: ratio(s.p50Ms, baseline.p50Ms),
    p99Ratio: ratio(s.p99Ms, baseline.p99Ms),
  }));
}

/** A server whose answers were mostly failures measured nothing useful. */
export function unhealthy(server: ServerSummary, maxFailureShare = 0.01): boolean {
  const attempts = server.responses + server.errors;
  return attempts === 0 || (server.errors + server.non2xx) / attempts > maxFailureShare;
}

const COLUMNS = ['server', 'req/s', 'x base', 'p50 ms', 'x base', 'p99 ms', 'x base', 'errors', 'non-2xx', 'B/resp', 'req/s by round'];

export function formatTable(rows: readonly ComparedServer[]): string {
  const cells = rows.map((r, i) => [
    i === 0 ? `${r.name} (baseline)` : r.name,
    fmtInt(r.reqPerSec),
    fmtRatio(r.reqPerSecRatio),
    fmtMs(r.p50Ms),
    fmtRatio(r.p50Ratio),
    fmtMs(r.p99Ms),
    fmtRatio(r.p99Ratio),
    String(r.errors),
    String(r.non2xx),
    fmtInt(r.bytesPerResponse),
    r.roundReqPerSec.map(fmtInt).join(' / '),
  ]);
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (row: readonly string[]) =>
    row.map((cell, i) => (i === 0 || i === row.length - 1 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ').trimEnd();
  return [line(COLUMNS), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n');
}

function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : '-';
}

function fmtMs(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : '-';
}

function fmtRatio(n: number): string {
  return Number.isFinite(n) ? n.toFixed(2) : '-';
}
