import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { NetworkIdentityService } from '../common/network/network-identity.service.js';
import { InjectProcessRole, type ProcessRole } from '../common/process/process-role.js';
import { ReadinessChecks } from '../health/readiness-checks.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { RedisService } from '../infra/redis/redis.service.js';
import type { Subscription } from '../infra/redis/shared-state.js';
import { LookupBus, parseInvalidation } from './events/lookup-bus.js';
import { LookupIndexService } from './index/lookup-index.service.js';
import { NeverListService } from '../consensus/never-list/never-list.service.js';
import { LookupLimitsService } from './limits/lookup-limits.service.js';
import { LookupPlansService } from './plans/lookup-plans.service.js';
import { LookupUsageService } from './usage/lookup-usage.service.js';

const RETRY_START_MS = 5_000;
const PLANS_REFRESH_MS = 60_000;
const LIMITS_SWEEP_MS = 5_000;

/**
 * Runs the lookup domain in an application context of role `api` (never in a worker): loads plans,
 * never-list and index in the background (`/readyz` reports `lookup-index` down until they and the IP
 * metadata dataset are loaded), follows new scoring generations (pub/sub + polling), flushes usage,
 * and hands leases and counts back at shutdown.
 */
@Injectable()
export class LookupRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('LookupRuntime');
  private readonly timers: NodeJS.Timeout[] = [];
  private subscriber: Subscription | null = null;
  private stopped = false;

  constructor(
    @InjectProcessRole() private readonly role: ProcessRole,
    private readonly readiness: ReadinessChecks,
    private readonly index: LookupIndexService,
    private readonly neverList: NeverListService,
    private readonly plans: LookupPlansService,
    private readonly limits: LookupLimitsService,
    private readonly usage: LookupUsageService,
    private readonly bus: LookupBus,
    private readonly redis: RedisService,
    private readonly metrics: MetricsService,
    private readonly network: NetworkIdentityService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.role !== 'api') return;
    // Answers carry ASN and country: wait for the offline dataset too (it resolves even if it failed to load).
    let metadataLoaded = false;
    void this.network.ready().then(() => {
      metadataLoaded = true;
    });
    this.readiness.register('lookup-index', async () => {
      if (!this.index.ready) throw new Error('lookup index loading');
      if (!metadataLoaded) throw new Error('IP metadata dataset loading');
    });
    this.registerMetrics();
    this.subscriber = this.redis.pubsub.subscribe(
      {
        [this.redis.key('scores', 'version')]: (message) => void this.index.catchUp(Number(message) || 0).catch((e: Error) => this.warn('catch-up', e)),
        [this.bus.channel]: (message) => {
          const parsed = parseInvalidation(message);
          if (parsed) this.bus.dispatch(parsed);
        },
      },
      {
        onResubscribed: () => {
          this.bus.resync();
          void this.index.catchUp().catch((e: Error) => this.warn('catch-up', e));
        },
        onError: (error) => this.warn('subscriber', error),
      },
    );
    void this.start();
    const c = this.config.lookup;
    this.every(c.pollIntervalMs, () => this.index.catchUp());
    if (c.reloadMinutes > 0) this.every(c.reloadMinutes * 60_000, () => this.index.load());
    this.every(c.neverListRefreshSeconds * 1000, () => this.neverList.refresh());
    this.every(PLANS_REFRESH_MS, () => this.plans.reload());
    this.every(c.usageFlushSeconds * 1000, () => this.usage.flush());
    this.every(LIMITS_SWEEP_MS, () => this.limits.sweep());
  }

  private async start(): Promise<void> {
    while (!this.stopped) {
      try {
        await this.plans.reload();
        await this.neverList.refresh();
        await this.index.load();
        return;
      } catch (error) {
        this.warn('start (retrying)', error as Error);
        await new Promise((resolve) => setTimeout(resolve, RETRY_START_MS).unref());
      }
    }
  }

  private every(ms: number, task: () => Promise<unknown>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy || this.stopped) return;
      busy = true;
      task()
        .catch((error: Error) => this.warn('periodic task', error))
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  private registerMetrics(): void {
    const keys = this.metrics.gauge('quorum_lookup_index_keys', 'Scored IPv4 addresses and IPv6 /64s in the lookup index', ['family']);
    const version = this.metrics.gauge('quorum_lookup_index_generation', 'Scoring generation the lookup index answers with', []);
    const bytes = this.metrics.gauge('quorum_lookup_index_bytes', 'Bytes held by the lookup index arrays', []);
    this.metrics.onCollect(async () => {
      const current = this.index.current;
      keys.set({ family: 'ipv4' }, current.v4.size);
      keys.set({ family: 'ipv6' }, current.v6.size);
      version.set(current.version);
      bytes.set(current.byteLength);
    });
  }

  private warn(what: string, error: Error): void {
    this.logger.warn(`lookup ${what}: ${error.message}`);
  }

  async beforeApplicationShutdown(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    await this.subscriber?.close();
    await this.usage.flush().catch(() => undefined);
    await this.limits.releaseAll().catch(() => undefined);
  }
}
