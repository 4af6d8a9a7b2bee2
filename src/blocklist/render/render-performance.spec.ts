import { BLOCKLIST_FORMATS } from './index.js';
import type { BlocklistEntry, BlocklistFormat, RenderContext } from './types.js';

/** Requirement: each format renders a 100,000-entry view in well under 100 ms (plain Node takes
 * 10-50 ms here; Jest's sandbox is slower, so the best of several runs is held to 100 ms). */
const BUDGET_MS = 100;
const { imul } = Math;

function randomEntries(count: number, now: Date): BlocklistEntry[] {
  let seed = 2026;
  // High bits only: the low bits of this LCG repeat quickly and would yield duplicate addresses.
  const next = (): number => (seed = (imul(seed, 1103515245) + 12345) >>> 0) >>> 16;
  const classes = ['ssh-bruteforce', 'http-probing', 'http-exploit', 'smtp-spam', 'port-scan'];
  const entries: BlocklistEntry[] = [];
  for (let i = 0; i < count; i++) {
    const v6 = i % 10 === 0;
    const value = v6
      ? `2001:db8:${next().toString(16)}:${next().toString(16)}::/64`
      : `${1 + (next() % 223)}.${next() & 255}.${next() & 255}.${next() & 255}`;
    entries.push({
      value,
      scope: v6 ? 'range' : 'ip',
      scenarioClass: classes[next() % classes.length],
      score: next() / 65_536,
      until: new Date(now.getTime() + 60_000 + (next() % (7 * 86_400)) * 1000),
    });
  }
  return entries;
}

describe('render speed for 100,000 entries', () => {
  const now = new Date('2026-11-25T17:00:00.000Z');
  const ctx: RenderContext = { version: 1, generatedAt: now, now };
  const entries = randomEntries(100_000, now);

  it.each(Object.keys(BLOCKLIST_FORMATS) as BlocklistFormat[])(`%s renders in under ${BUDGET_MS} ms`, (format) => {
    const render = BLOCKLIST_FORMATS[format].render;
    let best = Infinity;
    let bytes = 0;
    for (let run = 0; run < 5; run++) {
      const started = performance.now();
      bytes = render(entries, ctx).length;
      best = Math.min(best, performance.now() - started);
    }
    console.info(`${format}: ${best.toFixed(1)} ms, ${(bytes / 1e6).toFixed(2)} MB`);
    expect(bytes).toBeGreaterThan(100_000 * 10);
    expect(best).toBeLessThan(BUDGET_MS);
  });
});
