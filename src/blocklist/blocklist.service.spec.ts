import type { AppConfig } from '../config/app-config.js';
import type { RedisService } from '../infra/redis/redis.service.js';
import type { BlocklistSync } from './blocklist-sync.service.js';
import type { BlocklistRepository } from './blocklist.repository.js';
import { BlocklistService } from './blocklist.service.js';
import type { ListingChange, OpenRow, VersionInfo } from './blocklist.types.js';
import type { PublishPlan } from './publish-plan.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const HOUR = 3_600_000;

/**
 * The repository's contract in memory: rows open from their version until closed, one version per
 * non-empty plan, rows whose `until` has passed closed in the same version, history pruned by date.
 */
class FakeBlocklistRepository {
  readonly rows: Array<OpenRow & { removedIn: number | null }> = [];
  readonly versions: VersionInfo[] = [];
  readonly pruneCutoffs: Date[] = [];
  pruneFails = false;
  private nextRowId = 1;

  async publishVersion(keys: readonly string[], now: Date, plan: (open: OpenRow[]) => PublishPlan): Promise<VersionInfo | null> {
    const wanted = new Set(keys);
    const open = this.rows.filter((r) => r.removedIn === null && wanted.has(r.ipKey)).map(({ removedIn: _removed, ...row }) => row);
    const changes = plan(open);
    if (changes.close.length === 0 && changes.open.length === 0) return null;
    const id = this.versions.length + 1;
    let removed = 0;
    for (const row of this.rows) {
      if (row.removedIn === null && (changes.close.includes(row.id) || row.until.getTime() <= now.getTime())) {
        row.removedIn = id;
        removed++;
      }
    }
    for (const r of changes.open) this.rows.push({ ...r, id: String(this.nextRowId++), addedInVersion: id, removedIn: null });
    const total = this.rows.filter((r) => r.removedIn === null).length;
    const version = { id, createdAt: now, added: changes.open.length, removed, total };
    this.versions.push(version);
    return version;
  }

  async pruneHistory(cutoff: Date): Promise<number> {
    this.pruneCutoffs.push(cutoff);
    if (this.pruneFails) throw new Error('database busy');
    return 1;
  }

  listed(): string[] {
    return this.rows.filter((r) => r.removedIn === null).map((r) => `${r.value} ${r.scenarioClass} ${r.score}`).sort();
  }
}

class FakePubSub {
  readonly published: Array<[string, string]> = [];
  fails = false;
  async publish(channel: string, message: string): Promise<void> {
    if (this.fails) throw new Error('redis down');
    this.published.push([channel, message]);
  }
}

function upsert(ip: string, score = 2, until = new Date(NOW.getTime() + 24 * HOUR), scenarioClass = 'quorum/ssh-bf'): ListingChange {
  return { ipKey: ip, value: ip, scope: 'ip', scenarioClass, score, until, kind: 'upsert' };
}

function setup() {
  const repository = new FakeBlocklistRepository();
  const pubsub = new FakePubSub();
  const sync = { channel: 'test:blocklist:version' } as unknown as BlocklistSync;
  const redis = { pubsub } as unknown as RedisService;
  const config = { blocklist: { ipv6Prefix: 64, historyHours: 48 } } as unknown as AppConfig;
  const service = new BlocklistService(repository as unknown as BlocklistRepository, sync, redis, config);
  return { service, repository, pubsub };
}

describe('BlocklistService.publishChanges', () => {
  it('publishes one version, announces it, and prunes history older than the configured hours', async () => {
    const { service, repository, pubsub } = setup();
    expect(await service.publishChanges([upsert('192.0.2.1'), upsert('2001:db8:1:2::/64')], NOW)).toEqual({ version: 1 });
    expect(repository.listed()).toEqual(['192.0.2.1 quorum/ssh-bf 2', '2001:db8:1:2::/64 quorum/ssh-bf 2']);
    expect(pubsub.published).toEqual([['test:blocklist:version', '1']]);
    expect(repository.pruneCutoffs).toEqual([new Date(NOW.getTime() - 48 * HOUR)]);
  });

  it('publishes nothing, and announces nothing, when the listings are already as wanted', async () => {
    const { service, repository, pubsub } = setup();
    await service.publishChanges([upsert('192.0.2.1')], NOW);
    expect(await service.publishChanges([upsert('192.0.2.1')], NOW)).toBeNull();
    expect(repository.versions).toHaveLength(1);
    expect(pubsub.published).toHaveLength(1);
  });

  it('replaces a listing whose attributes changed and delists on remove or on an upsert that has expired', async () => {
    const { service, repository } = setup();
    await service.publishChanges([upsert('192.0.2.1'), upsert('192.0.2.2'), upsert('192.0.2.3')], NOW);
    const expired = new Date(NOW.getTime() - 1);
    const result = await service.publishChanges(
      [upsert('192.0.2.1', 5), { ...upsert('192.0.2.2'), kind: 'remove' }, upsert('192.0.2.3', 2, expired)],
      NOW,
    );
    expect(result).toEqual({ version: 2 });
    expect(repository.listed()).toEqual(['192.0.2.1 quorum/ssh-bf 5']);
    expect(repository.versions[1]).toMatchObject({ added: 1, removed: 3, total: 1 });
  });

  it('skips invalid changes without touching the repository when nothing valid is left', async () => {
    const { service, repository, pubsub } = setup();
    const bad: ListingChange[] = [
      { ...upsert('192.0.2.1'), ipKey: 'not-an-ip', value: 'not-an-ip' },
      upsert('192.0.2.2', Number.NaN),
      upsert('192.0.2.3', 1, new Date(NOW.getTime() + HOUR), ''),
    ];
    expect(await service.publishChanges(bad, NOW)).toBeNull();
    expect(repository.versions).toHaveLength(0);
    expect(pubsub.published).toHaveLength(0);
    expect(await service.publishChanges([...bad, upsert('192.0.2.4')], NOW)).toEqual({ version: 1 });
    expect(repository.listed()).toEqual(['192.0.2.4 quorum/ssh-bf 2']);
  });

  it('keeps a committed version when the announcement or the pruning fails (API processes also poll)', async () => {
    const { service, repository, pubsub } = setup();
    pubsub.fails = true;
    repository.pruneFails = true;
    expect(await service.publishChanges([upsert('192.0.2.1')], NOW)).toEqual({ version: 1 });
    expect(repository.pruneCutoffs).toHaveLength(1);
    pubsub.fails = false;
    expect(await service.publishChanges([upsert('192.0.2.9')], NOW)).toEqual({ version: 2 });
    expect(pubsub.published).toEqual([['test:blocklist:version', '2']]);
  });
});
