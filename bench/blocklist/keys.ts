import type { ListingChange } from '../../src/blocklist/blocklist.types.js';

/**
 * Bench list contents, defined once for SQL seeding and for generated changes: entry `i` is an
 * IPv4 address counted up from 11.0.0.0, except every tenth, an IPv6 /64.
 */
export function keyOf(i: number): string {
  if (i % 10 === 9) return `2a00:${(i >>> 16).toString(16)}:${(i & 0xffff).toString(16)}:1::/64`;
  return `${11 + (i >>> 24)}.${(i >>> 16) & 255}.${(i >>> 8) & 255}.${i & 255}`;
}

/** The same as `keyOf`, as a SQL expression of the integer column `i`. */
export const KEY_SQL =
  `CASE WHEN i % 10 = 9 THEN '2a00:' || to_hex(i >> 16) || ':' || to_hex(i & 65535) || ':1::/64' ` +
  `ELSE (11 + (i >> 24))::text || '.' || ((i >> 16) & 255)::text || '.' || ((i >> 8) & 255)::text || '.' || (i & 255)::text END`;

export const CLASSES = ['ssh-bruteforce', 'http-probing', 'http-exploit', 'smtp-spam', 'port-scan'];

export function scoreOf(i: number): number {
  return ((i * 7919) % 10_007) / 1000;
}

/**
 * Batches of changes against a list seeded with entries 0..listSize-1: 40% new keys (above the
 * seeded range), 30% removals of seeded keys from the bottom, 30% updates (new until) of seeded
 * keys from the middle. No key is touched twice, so every change is a real one.
 */
export class ChangeSource {
  private nextNew: number;
  private nextRemoved = 0;
  private nextUpdated: number;

  constructor(private readonly listSize: number) {
    this.nextNew = listSize;
    this.nextUpdated = Math.floor(listSize / 2);
  }

  next(count: number, now: number): ListingChange[] {
    const adds = Math.round(count * 0.4);
    const removes = Math.round(count * 0.3);
    const updates = count - adds - removes;
    if (this.nextRemoved + removes > Math.floor(this.listSize / 2) || this.nextUpdated + updates > this.listSize) {
      throw new Error(`a list of ${this.listSize} entries has no untouched keys left for ${count} more changes`);
    }
    const changes: ListingChange[] = [];
    for (let j = 0; j < adds; j++) changes.push(upsert(this.nextNew++, now + 3 * 86_400_000 + j * 1000));
    for (let j = 0; j < removes; j++) changes.push({ ...upsert(this.nextRemoved++, now), kind: 'remove' });
    for (let j = 0; j < updates; j++) changes.push(upsert(this.nextUpdated++, now + 4 * 86_400_000 + j * 1000));
    return changes;
  }
}

function upsert(i: number, untilMs: number): ListingChange {
  const key = keyOf(i);
  return {
    ipKey: key,
    value: key,
    scope: key.includes('/') ? 'range' : 'ip',
    scenarioClass: CLASSES[i % CLASSES.length],
    score: scoreOf(i),
    until: new Date(untilMs),
    kind: 'upsert',
  };
}
