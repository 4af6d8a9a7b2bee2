import { runInNewContext } from 'node:vm';
import { setFlagsFromString } from 'node:v8';
import { parseIp } from '../../src/common/ip/ip-address.js';
import type { IpScoreIndex } from '../../src/lookup/index/ip-score-index.js';
import { lookupMix } from './ip-mix.js';
import { buildIndex } from './scored-index.js';

export interface InProcessFigures {
  keys: number;
  buildMs: number;
  /** typed-array bytes of the IPv4 table / scored IPv4 addresses */
  arrayBytesPerIpv4: number;
  /** heap + array buffers retained by the built index / scored IPv4 addresses */
  retainedBytesPerIpv4: number;
  /** find(uint32) + reading the score: the index alone */
  findsPerSec: number;
  /** lookup(ParsedIp) returning every field (one small object per answer) */
  lookupsPerSec: number;
}

function collectGarbage(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  return () => {
    gc();
    gc();
  };
}

function retained(): number {
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}

/** Builds the same data set as the database seed in this process and measures the index alone. */
export function measureIndex(v4Count: number, seconds = 3): InProcessFigures {
  const gc = collectGarbage();
  gc();
  const before = retained();
  const started = performance.now();
  const index: IpScoreIndex = buildIndex(v4Count, 0, Math.floor(Date.now() / 1000));
  const buildMs = performance.now() - started;
  gc();
  const retainedBytes = retained() - before;
  const figures = { keys: index.size, buildMs, arrayBytesPerIpv4: index.v4.byteLength / index.v4.size, retainedBytesPerIpv4: retainedBytes / index.v4.size };

  const values = new Uint32Array(1 << 16);
  const { ips } = lookupMix(values.length, v4Count, 0, 11);
  ips.forEach((text, i) => {
    const ip = parseIp(text);
    values[i] = ip?.version === 4 ? ip.value : 0;
  });
  const parsed = ips.map((text) => parseIp(text)!).filter((ip) => ip.version === 4);
  const table = index.v4;
  let sink = 0;
  const findsPerSec = rate(seconds, (n) => {
    for (let k = 0; k < n; k++) {
      const h = table.find(values[k & 0xffff]);
      if (h !== -1) sink += table.score(h);
    }
  });
  const nowSec = Math.floor(Date.now() / 1000);
  const lookupsPerSec = rate(seconds, (n) => {
    for (let k = 0; k < n; k++) sink += index.lookup(parsed[k % parsed.length], nowSec)?.score ?? 0;
  });
  if (sink === -1) process.stderr.write('');
  return { ...figures, findsPerSec, lookupsPerSec };
}

/** Operations per second of `batch(n)` over about `seconds`. */
function rate(seconds: number, batch: (n: number) => void): number {
  batch(200_000);
  let ops = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    batch(100_000);
    ops += 100_000;
  }
  return ops / ((performance.now() - started) / 1000);
}
