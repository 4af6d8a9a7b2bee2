// Hot-path globals are bound once: a global lookup is cheap in plain Node but costs ~0.2 µs
// inside a vm context such as Jest's, which would dominate a 100k-entry render there.
const { floor } = Math;
const DAY_MS = 86_400_000;
const pad2 = Array.from({ length: 100 }, (_, i) => String(i).padStart(2, '0'));
const pad3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();

/**
 * Same output as `Date.prototype.toISOString` for a finite epoch-millisecond time, about ten times
 * faster: the `YYYY-MM-DDT` part is memoised per day (a list spans a few hundred days at most).
 */
export function isoUtc(ms: number): string {
  const day = floor(ms / DAY_MS);
  let prefix = dayPrefixes.get(day);
  if (prefix === undefined) {
    if (dayPrefixes.size >= 4096) dayPrefixes.clear();
    const iso = new Date(day * DAY_MS).toISOString();
    prefix = iso.slice(0, iso.indexOf('T') + 1);
    dayPrefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = floor(rest / 1000);
  const millis = floor(rest - seconds * 1000);
  return `${prefix}${pad2[hours]}:${pad2[minutes]}:${pad2[seconds]}.${pad3[millis]}Z`;
}
