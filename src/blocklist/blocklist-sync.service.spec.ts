import type { AppConfig } from '../config/app-config.js';
import type { ProcessRole } from '../common/process/process-role.js';
import type { DomainError } from '../common/errors/domain-error.js';
import type { RedisService } from '../infra/redis/redis.service.js';
import { BlocklistSync } from './blocklist-sync.service.js';
import type { BlocklistRepository } from './blocklist.repository.js';
import type { StoredEntry, VersionInfo } from './blocklist.types.js';

const T0 = Date.parse('2026-12-07T10:00:00.000Z');

interface Row {
  entry: StoredEntry;
  closedIn: number | null;
}

/**
 * The blocklist_version and blocklist_entry tables in memory: a row is open from the version that added
 * it until the one that closed it; each read answers as the repository's statements do.
 */
class FakeBlocklistRepository {
  versions: VersionInfo[] = [];
  rows: Row[] = [];
  readonly calls: string[] = [];
  /** runs before each oldestVersionId answer (history pruned by another process meanwhile) */
  beforeOldest: (() => void) | null = null;
  failure: Error | null = null;

  publish(id: number, open: string[], close: string[] = []): void {
    for (const key of close) this.rows.find((r) => r.entry.ipKey === key && r.closedIn === null)!.closedIn = id;
    for (const key of open) {
      const current = this.rows.find((r) => r.entry.ipKey === key && r.closedIn === null);
      if (current) current.closedIn = id;
      this.rows.push({ entry: { ipKey: key, value: key, scope: 'ip', scenarioClass: 'ssh', score: 0.9, until: new Date(T0 + 86_400_000), addedInVersion: id }, closedIn: null });
    }
    this.versions.push({ id, createdAt: new Date(T0 + id * 60_000), added: open.length, removed: close.length, total: 0 });
  }
  prune(below: number): void {
    this.versions = this.versions.filter((v) => v.id >= below);
  }
  private openAt(row: Row, version: number): boolean {
    return row.entry.addedInVersion <= version && (row.closedIn === null || row.closedIn > version);
  }

  async latestVersion() {
    this.calls.push('latest');
    if (this.failure) throw this.failure;
    return this.versions.at(-1) ?? null;
  }
  async oldestVersionId() {
    this.beforeOldest?.();
    return this.versions[0]?.id ?? 0;
  }
  async versionsAfter(afterId: number) {
    return this.versions.filter((v) => v.id > afterId);
  }
  async entriesAt(version: number) {
    this.calls.push(`entriesAt ${version}`);
    return this.rows.filter((r) => this.openAt(r, version)).map((r) => r.entry);
  }
  async openedBetween(from: number, to: number) {
    this.calls.push(`openedBetween ${from} ${to}`);
    return this.rows.filter((r) => r.entry.addedInVersion > from && this.openAt(r, to)).map((r) => r.entry);
  }
  async closedBetween(from: number, to: number) {
    this.calls.push(`closedBetween ${from} ${to}`);
    return this.rows.filter((r) => this.openAt(r, from) && !this.openAt(r, to)).map((r) => r.entry);
  }
}

/** Redis pub/sub in memory: the handlers the service subscribed, called by the test. */
class FakeRedis {
  handlers: Record<string, (message: string) => void> = {};
  events: { onResubscribed?: () => void } = {};
  closed = 0;
  key(...parts: string[]) {
    return `q:${parts.join(':')}`;
  }
  pubsub = {
    subscribe: (handlers: Record<string, (message: string) => void>, events: { onResubscribed?: () => void }) => {
      this.handlers = handlers;
      this.events = events;
      return { ready: Promise.resolve(), close: async () => void this.closed++ };
    },
  };
}

function setup(role: ProcessRole = 'worker') {
  const repository = new FakeBlocklistRepository();
  const redis = new FakeRedis();
  const config = { blocklist: { pollSeconds: 3_600 } } as unknown as AppConfig;
  const sync = new BlocklistSync(repository as unknown as BlocklistRepository, redis as unknown as RedisService, role, config);
  const announced: number[] = [];
  sync.onVersion((version) => announced.push(version));
  const keys = () => sync.state.entries().map((e) => `${e.ipKey}@${e.addedInVersion}`).sort();
  return { sync, repository, redis, announced, keys };
}

let running: BlocklistSync[] = [];
afterEach(async () => {
  for (const sync of running) await sync.onApplicationShutdown();
  running = [];
});

describe('BlocklistSync', () => {
  it('loads the whole list at boot, then moves forward from the rows the new versions opened and closed', async () => {
    const { sync, repository, announced, keys } = setup();
    repository.publish(1, ['10.0.0.1', '10.0.0.2']);
    repository.publish(2, ['10.0.0.3'], ['10.0.0.1']);
    await sync.refresh();
    expect(repository.calls).toEqual(['latest', 'entriesAt 2']);
    expect(sync.state.version).toBe(2);
    expect(keys()).toEqual(['10.0.0.2@1', '10.0.0.3@2']);
    repository.publish(3, ['10.0.0.4', '10.0.0.2'], ['10.0.0.3']);
    repository.publish(4, ['10.0.0.5']);
    repository.calls.length = 0;
    await sync.refresh();
    expect(repository.calls).toEqual(['latest', 'openedBetween 2 4', 'closedBetween 2 4']);
    expect(sync.state.version).toBe(4);
    expect(keys()).toEqual(['10.0.0.2@3', '10.0.0.4@3', '10.0.0.5@4']);
    expect(sync.state.createdAt(3)).toBe(T0 + 3 * 60_000);
    expect(announced).toEqual([2, 4]);
  });

  it('reads nothing more and announces nothing when the latest version is the loaded one', async () => {
    const { sync, repository, announced } = setup();
    repository.publish(1, ['10.0.0.1']);
    await sync.refresh();
    repository.calls.length = 0;
    await sync.refresh();
    expect(repository.calls).toEqual(['latest']);
    expect(announced).toEqual([1]);
  });

  it('counts an empty history as loaded version 0, and empties the list when the history disappears', async () => {
    const { sync, repository, announced } = setup();
    await sync.refresh();
    expect(sync.state.version).toBe(0);
    expect(await sync.loaded(1_000)).toBe(sync.state);
    running.push(sync);
    repository.publish(1, ['10.0.0.1']);
    await sync.refresh();
    expect(sync.state.size).toBe(1);
    repository.versions = [];
    repository.rows = [];
    await sync.refresh();
    expect([sync.state.version, sync.state.size]).toEqual([0, 0]);
    expect(announced).toEqual([1, 0]);
  });

  it('reloads from scratch when it fell behind the kept history', async () => {
    const { sync, repository, keys } = setup();
    repository.publish(1, ['10.0.0.1']);
    await sync.refresh();
    repository.publish(2, ['10.0.0.2']);
    repository.publish(3, ['10.0.0.3'], ['10.0.0.1']);
    repository.prune(3);
    repository.calls.length = 0;
    await sync.refresh();
    expect(repository.calls).toEqual(['latest', 'entriesAt 3']);
    expect(keys()).toEqual(['10.0.0.2@2', '10.0.0.3@3']);
    expect(sync.state.oldestVersion).toBe(3);
  });

  it('reloads from scratch when the database went back to an older version (a restore)', async () => {
    const { sync, repository, keys } = setup();
    repository.publish(1, ['10.0.0.1']);
    repository.publish(2, ['10.0.0.2']);
    await sync.refresh();
    repository.versions.pop();
    repository.rows = repository.rows.filter((r) => r.entry.addedInVersion === 1);
    repository.calls.length = 0;
    await sync.refresh();
    expect(repository.calls).toEqual(['latest', 'entriesAt 1']);
    expect([sync.state.version, ...keys()]).toEqual([1, '10.0.0.1@1']);
  });

  it('starts again from scratch when history was pruned while it read the rows of a step forward', async () => {
    const { sync, repository, keys } = setup();
    repository.publish(1, ['10.0.0.1']);
    repository.publish(2, ['10.0.0.2']);
    await sync.refresh();
    repository.publish(3, ['10.0.0.3']);
    repository.publish(4, ['10.0.0.4']);
    let answers = 0;
    // the second answer of the first attempt (after the reads) sees versions up to 3 pruned
    repository.beforeOldest = () => void (++answers === 2 && repository.prune(4));
    repository.calls.length = 0;
    await sync.refresh();
    expect(repository.calls).toEqual(['latest', 'openedBetween 2 4', 'closedBetween 2 4', 'entriesAt 4']);
    expect([sync.state.version, sync.state.oldestVersion, ...keys()]).toEqual([4, 4, '10.0.0.1@1', '10.0.0.2@2', '10.0.0.3@3', '10.0.0.4@4']);
  });

  it('gives up after three pruned attempts in a row and keeps the list it had', async () => {
    const { sync, repository, keys } = setup();
    repository.publish(1, ['10.0.0.1']);
    await sync.refresh();
    repository.publish(2, ['10.0.0.2']);
    repository.publish(3, ['10.0.0.3']);
    let next = 2;
    // every read of rows is followed by a prune past the version it read
    repository.beforeOldest = () => {
      if (!/^(openedBetween|closedBetween|entriesAt)/.test(repository.calls.at(-1) ?? '')) return;
      repository.publish(++next + 1, []);
      repository.prune(next + 1);
      repository.calls.push('pruned');
    };
    repository.calls.length = 0;
    await sync.refresh();
    expect(repository.calls.filter((c) => c === 'pruned')).toHaveLength(3);
    expect([sync.state.version, ...keys()]).toEqual([1, '10.0.0.1@1']);
  });

  it('shares one run between concurrent refreshes, plus one more for those asked during it', async () => {
    const { sync, repository } = setup();
    repository.publish(1, ['10.0.0.1']);
    const all = [sync.refresh(), sync.refresh(), sync.refresh()];
    await Promise.all(all);
    expect(repository.calls.filter((c) => c === 'latest')).toHaveLength(2);
    await sync.refresh();
    expect(repository.calls.filter((c) => c === 'latest')).toHaveLength(3);
  });

  it('answers service_unavailable from loaded() while the first load fails, and the state once it succeeds', async () => {
    const { sync, repository } = setup();
    running.push(sync);
    repository.failure = new Error('connection refused');
    const error = (await sync.loaded(1).catch((e: unknown) => e)) as DomainError;
    expect([error.code, error.message]).toEqual(['service_unavailable', 'The blocklist is not loaded yet; retry shortly']);
    repository.failure = null;
    repository.publish(1, ['10.0.0.1']);
    await sync.refresh();
    expect((await sync.loaded(1)).version).toBe(1);
  });

  it('starts at boot only in the api role, refreshes on a version message and after a resubscription, and unsubscribes at shutdown', async () => {
    const worker = setup('worker');
    worker.sync.onApplicationBootstrap();
    expect(worker.redis.handlers).toEqual({});
    const api = setup('api');
    running.push(api.sync);
    api.sync.onApplicationBootstrap();
    api.sync.start();
    expect(Object.keys(api.redis.handlers)).toEqual(['q:blocklist:version']);
    await api.sync.loaded(1_000);
    api.repository.publish(1, ['10.0.0.1']);
    api.redis.handlers['q:blocklist:version']('1');
    await api.sync.refresh();
    expect(api.sync.state.version).toBe(1);
    api.repository.publish(2, ['10.0.0.2']);
    api.redis.events.onResubscribed?.();
    await api.sync.refresh();
    expect(api.announced).toEqual([1, 2]);
    await api.sync.onApplicationShutdown();
    running = [];
    expect(api.redis.closed).toBe(1);
  });
});
