import type { Segment } from './measure.js';
import { compareToBaseline, formatTable, summarise, unhealthy } from './report.js';
import { LatencySamples } from './stats.js';

function segment(durationSec: number, latencies: number[], extra: Partial<Segment> = {}): Segment {
  const samples = new LatencySamples();
  latencies.forEach((v) => samples.push(v));
  return {
    durationSec,
    responses: latencies.length,
    ok: latencies.length,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    okBytes: latencies.length * 200,
    latencies: samples,
    ...extra,
  };
}

describe('summarise', () => {
  it('pools rounds: total answers over total time, percentiles over all samples', () => {
    const summary = summarise('app', [segment(1, [1, 1, 1, 1]), segment(2, [3, 3])]);
    expect(summary.reqPerSec).toBeCloseTo(2, 9);
    expect(summary.roundReqPerSec).toEqual([4, 1]);
    expect(summary.p50Ms).toBe(1);
    expect(summary.p99Ms).toBe(3);
    expect(summary.bytesPerResponse).toBe(200);
  });

  it('counts failures', () => {
    const s = summarise('app', [segment(1, [1], { responses: 3, non2xx: 2, errors: 1 })]);
    expect(s).toMatchObject({ responses: 3, non2xx: 2, errors: 1 });
    expect(unhealthy(s)).toBe(true);
    expect(unhealthy(summarise('ok', [segment(1, [1, 2])]))).toBe(false);
    expect(unhealthy(summarise('none', []))).toBe(true);
  });
});

describe('compareToBaseline and formatTable', () => {
  const rows = compareToBaseline([
    summarise('raw', [segment(1, [1, 1, 1, 2])]),
    summarise('quorum', [segment(1, [2, 2])]),
  ]);

  it('expresses every server relative to the first', () => {
    expect(rows[0]).toMatchObject({ reqPerSecRatio: 1, p50Ratio: 1, p99Ratio: 1 });
    expect(rows[1].reqPerSecRatio).toBeCloseTo(0.5, 9);
    expect(rows[1].p50Ratio).toBe(2);
    expect(rows[1].p99Ratio).toBe(1);
    expect(compareToBaseline([])).toEqual([]);
  });

  it('prints one aligned line per server under a header', () => {
    const lines = formatTable(rows).split('\n');
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/^server\s+req\/s\s+x base\s+p50 ms/);
    expect(lines[2]).toMatch(/^raw \(baseline\)\s+4\s+1\.00\s+1\.00\s+1\.00\s+2\.00\s+1\.00\s+0\s+0\s+200\s+4$/);
    expect(lines[3]).toMatch(/^quorum\s+2\s+0\.50\s+2\.00\s+2\.00/);
    const end = lines[0].indexOf('req/s') + 'req/s'.length;
    expect(lines[2].slice(0, end)).toMatch(/ 4$/);
    expect(lines[3].slice(0, end)).toMatch(/ 2$/);
  });
});
