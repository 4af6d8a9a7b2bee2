/** Day partitions of the `signal` table (UTC days), named signal_pYYYYMMDD. Pure helpers. */
export interface DayPartition {
  name: string;
  from: string; // inclusive, ISO date
  to: string; // exclusive, ISO date
}

const DAY_MS = 86_400_000;

function isoDate(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function partitionFor(dayStartMs: number): DayPartition {
  const from = isoDate(dayStartMs);
  return { name: `signal_p${from.replaceAll('-', '')}`, from, to: isoDate(dayStartMs + DAY_MS) };
}

/** Partitions covering [now - behindDays, now + aheadDays]. */
export function partitionsAround(now: Date, behindDays: number, aheadDays: number): DayPartition[] {
  const today = Math.floor(now.getTime() / DAY_MS) * DAY_MS;
  const out: DayPartition[] = [];
  for (let d = -behindDays; d <= aheadDays; d++) out.push(partitionFor(today + d * DAY_MS));
  return out;
}

/** Parses a partition name back to its day start (ms), or null when the name is not ours. */
export function partitionDay(name: string): number | null {
  const match = /^signal_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!match) return null;
  return Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
}
