import type { ListingChange, NewRow, OpenRow } from './blocklist.types.js';
import { parseAddress } from '../common/ip/address-words.js';

export interface NormaliseOptions {
  /** 64: an IPv6 key is published as its /64 range; 128: as the address the change carries. */
  ipv6Prefix: 64 | 128;
  now: Date;
}

/** One wanted outcome per IP key: listed as `row`, or not listed (`row` null). */
export interface WantedListing {
  ipKey: string;
  row: NewRow | null;
}

export interface SkippedChange {
  ipKey: string;
  reason: string;
}

export interface PublishPlan {
  /** Ids of open rows to close. */
  close: string[];
  open: NewRow[];
}

const SCENARIO_CLASS = /^[\x20-\x7e]{1,128}$/;

/**
 * Validates the changes and reduces them to one wanted state per IP key (the last change for a key
 * wins). An upsert whose `until` has passed is a removal. Values that no firewall could load are
 * skipped, not published: one bad row would make every consumer reject the whole list.
 */
export function wantedListings(changes: readonly ListingChange[], options: NormaliseOptions): {
  wanted: WantedListing[];
  skipped: SkippedChange[];
} {
  const byKey = new Map<string, WantedListing>();
  const skipped: SkippedChange[] = [];
  const nowMs = options.now.getTime();
  for (const change of changes) {
    const key = typeof change.ipKey === 'string' ? change.ipKey : '';
    const keyAddress = key.length <= 64 ? parseAddress(key) : null;
    if (keyAddress === null) {
      skipped.push({ ipKey: key, reason: 'ipKey is not an IP address or CIDR' });
      continue;
    }
    if (change.kind === 'remove' || (change.kind === 'upsert' && change.until instanceof Date && change.until.getTime() <= nowMs)) {
      byKey.delete(key);
      byKey.set(key, { ipKey: key, row: null });
      continue;
    }
    const problem = upsertProblem(change);
    if (problem !== null) {
      skipped.push({ ipKey: key, reason: problem });
      continue;
    }
    const asRange = keyAddress.family === 6 && keyAddress.prefix === 64 && options.ipv6Prefix === 64;
    const value = asRange ? key : change.value;
    const parsed = value.length <= 64 ? parseAddress(value) : null;
    if (parsed === null) {
      skipped.push({ ipKey: key, reason: 'value is not an IP address or CIDR' });
      continue;
    }
    const full = parsed.family === 4 ? 32 : 128;
    byKey.delete(key);
    byKey.set(key, {
      ipKey: key,
      row: {
        ipKey: key,
        value,
        scope: parsed.prefix < full ? 'range' : 'ip',
        scenarioClass: change.scenarioClass,
        score: change.score,
        until: new Date(change.until.getTime()),
      },
    });
  }
  return { wanted: [...byKey.values()], skipped };
}

function upsertProblem(change: ListingChange): string | null {
  if (change.kind !== 'upsert') return 'kind must be upsert or remove';
  if (typeof change.value !== 'string') return 'value must be a string';
  if (typeof change.scenarioClass !== 'string' || !SCENARIO_CLASS.test(change.scenarioClass)) {
    return 'scenarioClass must be 1-128 printable ASCII characters';
  }
  if (typeof change.score !== 'number' || !Number.isFinite(change.score)) return 'score must be a finite number';
  if (!(change.until instanceof Date) || !Number.isFinite(change.until.getTime())) return 'until must be a valid Date';
  return null;
}

/**
 * The rows to close and open so that each wanted key ends up as wanted, given the rows currently
 * open for those keys. An unchanged listing is left alone; a changed one is replaced (closed and
 * reopened in the same version), because rows never change once written.
 */
export function planVersion(wanted: readonly WantedListing[], open: readonly OpenRow[]): PublishPlan {
  const openByKey = new Map<string, OpenRow[]>();
  for (const row of open) {
    const rows = openByKey.get(row.ipKey);
    if (rows) rows.push(row);
    else openByKey.set(row.ipKey, [row]);
  }
  const plan: PublishPlan = { close: [], open: [] };
  for (const { ipKey, row } of wanted) {
    // More than one open row per key cannot happen under the publish lock; if it ever did, every
    // row but an identical one is closed, which repairs it.
    const current = openByKey.get(ipKey) ?? [];
    const kept = row === null ? undefined : current.find((c) => sameListing(c, row));
    for (const c of current) if (c !== kept) plan.close.push(c.id);
    if (row !== null && kept === undefined) plan.open.push(row);
  }
  return plan;
}

function sameListing(a: OpenRow, b: NewRow): boolean {
  return (
    a.value === b.value &&
    a.scope === b.scope &&
    a.scenarioClass === b.scenarioClass &&
    a.score === b.score &&
    a.until.getTime() === b.until.getTime()
  );
}
