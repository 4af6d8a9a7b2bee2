// IP utilities micro-benchmark. Baseline: ipaddr.js `process()` (parse + IPv4-mapped unwrap) on
// the same inputs, measured in the same run; other figures are given as ratios against it.
// Run: npx tsc -p tsconfig.build.json && node dist/bench/ip-parse.bench.js [--no-metadata]
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ipaddr from 'ipaddr.js';
import { CidrSet } from '../src/common/ip/cidr-set.js';
import { formatIpv4, parseIp, type ParsedIp } from '../src/common/ip/ip-address.js';
import { IpMetadataIndex } from '../src/common/ip/ip-metadata.js';
import { specialPurpose } from '../src/common/ip/special-purpose.js';

function inputs(n: number): string[] {
  let s = 12345;
  const next = (): number => {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    return s;
  };
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 10;
    if (kind < 7) out.push(formatIpv4(next()));
    else if (kind < 9) out.push(`2a0${kind}:${(next() & 0xffff).toString(16)}:${(next() & 0xffff).toString(16)}::${(next() & 0xffff).toString(16)}`);
    else out.push(`::ffff:${formatIpv4(next())}`);
  }
  return out;
}

/** Operations per second of `fn` over `items`, best of a few rounds. */
function rate<T>(items: readonly T[], fn: (x: T) => unknown, rounds = 5): number {
  let sink = 0;
  let best = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = process.hrtime.bigint();
    for (const x of items) if (fn(x) !== undefined) sink++;
    const secs = Number(process.hrtime.bigint() - t0) / 1e9;
    best = Math.max(best, items.length / secs);
  }
  if (sink < 0) console.log(sink);
  return best;
}

const fmt = (x: number): string => Math.round(x).toLocaleString('en-US');

async function main(): Promise<void> {
  const metadata = process.argv.includes('--no-metadata') ? null : await loadMetadata();
  const texts = inputs(200_000);
  const baseline = rate(texts, (t) => (ipaddr.isValid(t) ? ipaddr.process(t) : null));
  const ours = rate(texts, (t) => parseIp(t));
  const parsed = texts.map((t) => parseIp(t)).filter((p): p is ParsedIp => p !== null);

  const cidrs: string[] = [];
  for (let i = 0; i < 150_000; i++) cidrs.push(`${formatIpv4((Math.imul(i, 2654435761) >>> 8) << 8 >>> 0)}/24`);
  const t0 = performance.now();
  const set = CidrSet.fromCidrs(cidrs);
  const buildMs = performance.now() - t0;
  const match = rate(parsed, (ip) => set.match(ip) ?? null);
  const special = rate(parsed, (ip) => specialPurpose(ip));

  console.log(`baseline ipaddr.js process(): ${fmt(baseline)} ops/s (= 1.00)`);
  console.log(`parseIp:                      ${fmt(ours)} ops/s (${(ours / baseline).toFixed(2)}x baseline)`);
  console.log(`CidrSet.match, 150k /24s:     ${fmt(match)} ops/s (${(match / baseline).toFixed(2)}x baseline), built in ${buildMs.toFixed(0)} ms`);
  console.log(`specialPurpose:               ${fmt(special)} ops/s (${(special / baseline).toFixed(2)}x baseline)`);

  if (metadata === null) return;
  const lookup = rate(parsed, (ip) => metadata.index.lookup(ip));
  for (const line of metadata.lines) console.log(line);
  console.log(`metadata lookup: ${fmt(lookup)} ops/s (${(lookup / baseline).toFixed(2)}x baseline)`);
  console.log(JSON.stringify(metadata.index.stats));
}

async function loadMetadata(): Promise<{ index: IpMetadataIndex; lines: string[] }> {
  global.gc?.();
  const heap0 = process.memoryUsage();
  const l0 = performance.now();
  const index = await IpMetadataIndex.load();
  const loadMs = performance.now() - l0;
  global.gc?.();
  const heap1 = process.memoryUsage();
  const resolver = createRequire(import.meta.url);
  const asnDir = dirname(resolver.resolve('@ip-location-db/asn/package.json'));
  const countryDir = dirname(resolver.resolve('@ip-location-db/asn-country/package.json'));
  const files = ['asn-ipv4.csv', 'asn-ipv6.csv'].map((f) => join(asnDir, f));
  files.push(...['asn-country-ipv4.csv', 'asn-country-ipv6.csv'].map((f) => join(countryDir, f)));
  const r0 = performance.now();
  await Promise.all(files.map((f) => readFile(f, 'utf8')));
  const readMs = performance.now() - r0;
  const mb = (b: number): string => (b / 2 ** 20).toFixed(1);
  const gcNote = global.gc ? '' : ' (run node with --expose-gc for exact heap figures)';
  return {
    index,
    lines: [
      `metadata load: ${loadMs.toFixed(0)} ms (${(loadMs / readMs).toFixed(2)}x the ${readMs.toFixed(0)} ms raw file read)`,
      `metadata memory: typed arrays ${mb(index.stats.tableBytes)} MiB; JS heap +${mb(heap1.heapUsed - heap0.heapUsed)} MiB, ` +
        `array buffers +${mb(heap1.arrayBuffers - heap0.arrayBuffers)} MiB, RSS +${mb(heap1.rss - heap0.rss)} MiB${gcNote}`,
    ],
  };
}

await main();
