import type { AppConfig } from '../config/app-config.js';
import type { DomainError } from '../common/errors/domain-error.js';
import { FixedClock } from '../infra/clock/clock.js';
import { BlocklistState } from './blocklist-state.js';
import type { BlocklistSync } from './blocklist-sync.service.js';
import { BlocklistViewsService } from './blocklist-views.service.js';
import type { BlocklistRepository } from './blocklist.repository.js';
import type { StoredEntry, VersionInfo } from './blocklist.types.js';
import type { ServedBody } from './views/http-answer.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;
const T0 = Date.parse('2026-12-07T10:00:00.000Z');

interface Row {
  entry: StoredEntry;
  closedIn: number | null;
}

/**
 * The list's history in memory (versions, rows open from the version that added them until the one that
 * closed them), read as the repository's statements do, and one process's copy of it kept as the
 * sync service keeps it.
 */
class FakeHistory {
  versions: VersionInfo[] = [];
  rows: Row[] = [];
  readonly state = new BlocklistState();
  private readonly listeners: Array<(version: number) => void> = [];
  refreshes = 0;
  /** what another process published that a refresh finds */
  onRefresh: (() => void) | null = null;

  publish(id: number, at: number, open: Array<[key: string, score: number, scenario: string, untilMs: number]>, close: string[] = []): void {
    for (const key of close) this.rows.find((r) => r.entry.ipKey === key && r.closedIn === null)!.closedIn = id;
    for (const [key, score, scenarioClass, untilMs] of open) {
      const current = this.rows.find((r) => r.entry.ipKey === key && r.closedIn === null);
      if (current) current.closedIn = id;
      this.rows.push({ entry: { ipKey: key, value: key, scope: 'ip', scenarioClass, score, until: new Date(untilMs), addedInVersion: id }, closedIn: null });
    }
    this.versions.push({ id, createdAt: new Date(at), added: open.length, removed: close.length, total: 0 });
  }
  /** This process loads the latest version. */
  sync(): void {
    const latest = this.versions.at(-1)!.id;
    this.state.replace(this.entriesAt(latest), this.versions, this.versions[0].id);
    for (const listener of this.listeners) listener(latest);
  }
  private openAt(row: Row, version: number): boolean {
    return row.entry.addedInVersion <= version && (row.closedIn === null || row.closedIn > version);
  }
  private entriesAt(version: number): StoredEntry[] {
    return this.rows.filter((r) => this.openAt(r, version)).map((r) => r.entry);
  }

  readonly repository = {
    openedBetween: async (from: number, to: number) => this.rows.filter((r) => r.entry.addedInVersion > from && this.openAt(r, to)).map((r) => r.entry),
    closedBetween: async (from: number, to: number) => this.rows.filter((r) => this.openAt(r, from) && !this.openAt(r, to)).map((r) => r.entry),
    expiringBetween: async (from: number, to: number, after: Date, upTo: Date) =>
      this.rows.filter((r) => this.openAt(r, from) && this.openAt(r, to) && r.entry.until > after && r.entry.until <= upTo).map((r) => r.entry),
  };

  readonly blocklistSync = {
    loaded: async () => this.state,
    refresh: async () => {
      this.refreshes++;
      this.onRefresh?.();
    },
    onVersion: (listener: (version: number) => void) => void this.listeners.push(listener),
  };
}

const SIZES = { communitySize: 2, contributorSize: 3, contributorWindowDays: 7, historyHours: 24, rerenderSeconds: 60, maxAgeSeconds: 30, cacheBytes: 10 * 1024 * 1024 };

function setup(now = T0 + 10 * MIN) {
  const history = new FakeHistory();
  // version 1: five entries valid for a day, one of them (10.0.0.5) expiring 30 min after version 1
  history.publish(1, T0, [
    ['10.0.0.1', 0.9, 'ssh', T0 + DAY],
    ['10.0.0.2', 0.8, 'http', T0 + DAY],
    ['10.0.0.3', 0.7, 'ssh', T0 + DAY],
    ['10.0.0.4', 0.6, 'http', T0 + DAY],
    ['10.0.0.5', 0.5, 'ssh', T0 + 30 * MIN],
  ]);
  history.sync();
  const clock = new FixedClock(new Date(now));
  const config = { blocklist: SIZES } as unknown as AppConfig;
  const service = new BlocklistViewsService(history.blocklistSync as unknown as BlocklistSync, history.repository as unknown as BlocklistRepository, clock, config);
  return { history, clock, service };
}

const apiKey = { kind: 'apiKey' } as const;
const agentSince = (ms: number) => ({ kind: 'agent', lastSignalAt: new Date(ms) }) as const;

function values(served: ServedBody): string[] {
  return (JSON.parse(served.body.identity.toString()) as { entries: Array<{ value: string }> }).entries.map((e) => e.value);
}
function delta(served: ServedBody): { version: number; since: number; added: string[]; removed: string[] } {
  const body = JSON.parse(served.body.identity.toString()) as { version: number; since: number; added: Array<{ value: string }>; removed: Array<{ value: string }> };
  return { version: body.version, since: body.since, added: body.added.map((e) => e.value), removed: body.removed.map((e) => e.value) };
}
async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = (await promise.catch((e: unknown) => e)) as DomainError;
  return { code: error.code, message: error.message };
}

describe('BlocklistViewsService.view', () => {
  it('serves API keys the whole list, recent contributors the contributor size and other agents the community size, by rank', async () => {
    const { service, clock } = setup();
    const now = clock.nowMs();
    expect(values(await service.view(apiKey, 'json', []))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
    expect(values(await service.view(agentSince(now - 7 * DAY), 'json', []))).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']);
    expect(values(await service.view(agentSince(now - 7 * DAY - 1), 'json', []))).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(values(await service.view({ kind: 'agent', lastSignalAt: null }, 'json', []))).toEqual(['10.0.0.1', '10.0.0.2']);
  });

  it('keeps only the asked scenario classes, whatever their order or repetition', async () => {
    const { service } = setup();
    expect(values(await service.view(apiKey, 'json', ['http']))).toEqual(['10.0.0.2', '10.0.0.4']);
    const community = await service.view({ kind: 'agent', lastSignalAt: null }, 'json', ['ssh', 'http', 'ssh']);
    expect(await service.view({ kind: 'agent', lastSignalAt: null }, 'json', ['http', 'ssh'])).toBe(community);
  });

  it('names the file after the version and the format, and stamps text formats with the version time, firewall formats with the render time', async () => {
    const { service, clock } = setup();
    const json = await service.view(apiKey, 'json', []);
    expect([json.filename, json.contentType, json.version, json.lastModifiedMs]).toEqual(['quorum-blocklist-v1.json', 'application/json; charset=utf-8', 1, T0]);
    const nft = await service.view(apiKey, 'nftables', []);
    expect([nft.filename, nft.lastModifiedMs]).toEqual(['quorum-blocklist-v1.nft', clock.nowMs()]);
  });

  it('reuses a text body until an entry in it expires, then drops the entry and dates the body from that expiry', async () => {
    const { service, clock } = setup();
    const first = await service.view(apiKey, 'csv', []);
    clock.set(new Date(T0 + 30 * MIN - 1));
    expect(await service.view(apiKey, 'csv', [])).toBe(first);
    clock.set(new Date(T0 + 30 * MIN));
    const json = await service.view(apiKey, 'json', []);
    expect(values(json)).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.0.0.4']);
    expect(json.lastModifiedMs).toBe(T0 + 30 * MIN);
    expect(await service.view(apiKey, 'csv', [])).not.toBe(first);
  });

  it('renders firewall bodies again after the re-render period, since their timeouts count from render time', async () => {
    const { service, clock } = setup(T0);
    const first = await service.view({ kind: 'agent', lastSignalAt: null }, 'ipset', []);
    clock.advance(60_000 - 1);
    expect(await service.view({ kind: 'agent', lastSignalAt: null }, 'ipset', [])).toBe(first);
    clock.advance(1);
    const second = await service.view({ kind: 'agent', lastSignalAt: null }, 'ipset', []);
    expect(second).not.toBe(first);
    expect(second.lastModifiedMs).toBe(T0 + 60_000);
  });

  it('serves the new version once loaded and drops the bodies of older versions from the cache', async () => {
    const { service, history } = setup();
    await service.view(apiKey, 'json', []);
    await service.view(apiKey, 'txt', []);
    const cache = (service as unknown as { cache: { size: number } }).cache;
    expect(cache.size).toBe(2);
    history.publish(2, T0 + 5 * MIN, [['10.0.0.6', 0.95, 'ssh', T0 + DAY]], ['10.0.0.1']);
    history.sync();
    expect(cache.size).toBe(0);
    const next = await service.view(apiKey, 'json', []);
    expect([next.version, ...values(next)]).toEqual([2, '10.0.0.6', '10.0.0.2', '10.0.0.3', '10.0.0.4', '10.0.0.5']);
  });
});

describe('BlocklistViewsService.changes', () => {
  function withVersion2(now = T0 + 40 * MIN) {
    const context = setup(now);
    context.history.publish(2, T0 + 20 * MIN, [['10.0.0.6', 0.95, 'http', T0 + DAY]], ['10.0.0.3']);
    context.history.sync();
    return context;
  }

  it('answers the rows opened, closed and expired since a version, for the whole list', async () => {
    const { service } = withVersion2();
    // 10.0.0.5 expired at T0+30min, between the two versions and now
    expect(delta(await service.changes(apiKey, 1, []))).toEqual({ version: 2, since: 1, added: ['10.0.0.6'], removed: ['10.0.0.3', '10.0.0.5'] });
    expect(delta(await service.changes(apiKey, 1, ['http']))).toEqual({ version: 2, since: 1, added: ['10.0.0.6'], removed: [] });
  });

  it('answers a limited view by rank: an entry that rose into it is added, one pushed out is removed', async () => {
    const { service } = withVersion2();
    // community view (2): was 10.0.0.1, 10.0.0.2; is 10.0.0.6, 10.0.0.1
    expect(delta(await service.changes({ kind: 'agent', lastSignalAt: null }, 1, []))).toEqual({ version: 2, since: 1, added: ['10.0.0.6'], removed: ['10.0.0.2'] });
  });

  it('answers an empty delta for the current version', async () => {
    const { service } = setup();
    expect(delta(await service.changes(apiKey, 1, []))).toEqual({ version: 1, since: 1, added: [], removed: [] });
  });

  it('catches up when the cursor is newer than the loaded version, and refuses it as unknown when still ahead', async () => {
    const { service, history } = setup();
    history.onRefresh = () => {
      history.publish(2, T0 + 5 * MIN, [['10.0.0.6', 0.95, 'ssh', T0 + DAY]]);
      history.sync();
      history.onRefresh = null;
    };
    expect(delta(await service.changes(apiKey, 2, []))).toMatchObject({ version: 2, since: 2 });
    expect(await refusal(service.changes(apiKey, 3, []))).toEqual({
      code: 'cursor_expired',
      message: 'Version 3 is unknown; download the full list (GET /v1/blocklist) and continue from its version',
    });
    expect(history.refreshes).toBe(2);
  });

  it('refuses a cursor older than the kept history, or created within five minutes of its horizon', async () => {
    const older = withVersion2();
    older.history.versions.shift();
    older.history.sync();
    expect(await refusal(older.service.changes(apiKey, 1, []))).toMatchObject({ code: 'cursor_expired', message: expect.stringContaining('older than the kept history') });
    // version 1 was created at T0; with 24 h of history the horizon is at now - 24 h + 5 min
    const edge = withVersion2(T0 + 24 * HOUR - 5 * MIN);
    expect(delta(await edge.service.changes(apiKey, 1, []))).toMatchObject({ since: 1 });
    const past = withVersion2(T0 + 24 * HOUR - 5 * MIN + 1);
    expect(await refusal(past.service.changes(apiKey, 1, []))).toMatchObject({ code: 'cursor_expired' });
  });

  it('reuses a delta for the same version, cursor and view until the re-render period is over', async () => {
    const { service, clock } = withVersion2();
    const first = await service.changes(apiKey, 1, []);
    expect(await service.changes(apiKey, 1, [])).toBe(first);
    expect(await service.changes({ kind: 'agent', lastSignalAt: null }, 1, [])).not.toBe(first);
    clock.advance(60_000);
    expect(await service.changes(apiKey, 1, [])).not.toBe(first);
  });
});
