import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { InjectProcessRole, type ProcessRole } from '../common/process/process-role.js';
import { withTimeout } from '../common/util/timeout.js';
import { RedisService } from '../infra/redis/redis.service.js';
import type { Subscription } from '../infra/redis/shared-state.js';
import { BlocklistState } from './blocklist-state.js';
import { BlocklistRepository } from './blocklist.repository.js';

export const VERSION_CHANNEL_PARTS = ['blocklist', 'version'] as const;

/**
 * Keeps this process's copy of the current list up to date. Started at boot in application contexts of
 * role `api` (src/common/process/process-role.ts), or on first use anywhere else. A new version is announced on Redis pub/sub
 * (`<prefix>blocklist:version`), and the latest version id is also polled as a catch-up, so a process
 * that missed a message (or Redis) is at most one poll behind. Moving forward reads only the rows the
 * new versions opened and closed.
 */
@Injectable()
export class BlocklistSync implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly state = new BlocklistState();
  private readonly logger = new Logger('BlocklistSync');
  private readonly listeners: Array<(version: number) => void> = [];
  private started = false;
  private isLoaded = false;
  private markLoaded!: () => void;
  private readonly firstLoad = new Promise<void>((resolve) => {
    this.markLoaded = resolve;
  });
  private running: Promise<void> | null = null;
  private rerun = false;
  private subscriber: Subscription | null = null;
  private timer: NodeJS.Timeout | null = null;
  private lastWarning = 0;

  constructor(
    private readonly repository: BlocklistRepository,
    private readonly redis: RedisService,
    @InjectProcessRole() private readonly role: ProcessRole,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  get channel(): string {
    return this.redis.key(...VERSION_CHANNEL_PARTS);
  }

  onApplicationBootstrap(): void {
    if (this.role === 'api') this.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const subscriber = this.subscriber;
    this.subscriber = null;
    if (subscriber) await subscriber.close();
  }

  start(): void {
    if (this.started) return;
    this.started = true;
    this.subscriber = this.redis.pubsub.subscribe(
      { [this.channel]: () => void this.refresh() },
      { onError: (error) => this.warn(`pub/sub: ${error.message}`), onResubscribed: () => void this.refresh() },
    );
    this.timer = setInterval(() => void this.refresh(), this.config.blocklist.pollSeconds * 1000);
    this.timer.unref();
    void this.refresh();
  }

  /** The state once loaded; a 503 when the first load has not succeeded within `timeoutMs`. */
  async loaded(timeoutMs = 10_000): Promise<BlocklistState> {
    this.start();
    if (!this.isLoaded) {
      await withTimeout(this.firstLoad, timeoutMs, 'blocklist load').catch(() => {
        throw DomainError.unavailable('The blocklist is not loaded yet; retry shortly');
      });
    }
    return this.state;
  }

  onVersion(listener: (version: number) => void): void {
    this.listeners.push(listener);
  }

  /** Catches up with the database; concurrent calls share one run (plus one more if asked meanwhile). */
  refresh(): Promise<void> {
    if (this.running) {
      this.rerun = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.rerun = false;
        try {
          await this.catchUp();
        } catch (error) {
          this.warn(`cannot load the blocklist: ${(error as Error).message}`);
        }
      } while (this.rerun);
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private async catchUp(): Promise<void> {
    const before = this.state.version;
    const latest = await this.repository.latestVersion();
    if (latest === null) {
      if (!this.isLoaded || this.state.version !== 0) this.state.replace([], [], 0);
    } else if (!this.isLoaded || latest.id !== this.state.version) {
      await this.moveForward(latest.id);
    }
    if (!this.isLoaded) {
      this.isLoaded = true;
      this.markLoaded();
    }
    if (this.state.version !== before) for (const listener of this.listeners) listener(this.state.version);
  }

  private async moveForward(latest: number): Promise<void> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const oldest = await this.repository.oldestVersionId();
      const from = this.state.version;
      // From scratch at boot, after falling behind the kept history, or when the database went back.
      const incremental = this.isLoaded && from >= (oldest <= 1 ? 0 : oldest) && from <= latest;
      const versions = await this.repository.versionsAfter(incremental ? from : Math.max(oldest - 1, 0));
      if (versions.length === 0) return;
      const to = versions[versions.length - 1].id;
      if (incremental) {
        const [opened, closed] = await Promise.all([this.repository.openedBetween(from, to), this.repository.closedBetween(from, to)]);
        // History pruned meanwhile may have taken rows these reads needed: start again from scratch.
        if ((await this.repository.oldestVersionId()) > Math.max(from, 1)) continue;
        this.state.apply(versions, opened, closed, oldest);
      } else {
        const entries = await this.repository.entriesAt(to);
        if ((await this.repository.oldestVersionId()) > to) continue;
        this.state.replace(entries, versions, oldest);
      }
      return;
    }
    throw new Error('history was pruned while loading, three times in a row');
  }

  private warn(message: string): void {
    if (Date.now() - this.lastWarning < 10_000) return;
    this.lastWarning = Date.now();
    this.logger.warn(message);
  }
}
