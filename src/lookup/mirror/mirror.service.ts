import { type BeforeApplicationShutdown, Inject, Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { AppConfig } from '../../config/app-config.js';
import { APP_CONFIG } from '../../config/config.module.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import type { IpScoreIndex } from '../index/ip-score-index.js';
import { LookupIndexService } from '../index/lookup-index.service.js';
import type { ApiKeyPrincipal } from '../keys/api-key-cache.js';
import { LookupPlansService } from '../plans/lookup-plans.service.js';
import { MirrorActivityService } from './mirror-activity.js';
import { type DeltaAnswer, MirrorFeed } from './mirror-feed.js';
import { MirrorSigner } from './mirror-signer.js';

const ACTIVITY_FLUSH_MS = 30_000;
/** bytes of delta frames kept at most (older ones: take a snapshot) */
const KEEP_BYTES = 64 * 1024 * 1024;

/**
 * Publishes the lookup index as the mirror feed in each API process: every `publishMs` it checks
 * whether the index moved (another generation, or a reload) and publishes the difference
 * (src/lookup/mirror/mirror-feed.ts), waking the clients waiting in a long poll. Entitlement (the
 * plan's `mirror` view) and metering (active mirrors per day) are applied here for the routes.
 */
@Injectable()
export class MirrorService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Mirror');
  readonly signer: MirrorSigner | null;
  readonly feed: MirrorFeed | null;
  private readonly timers: NodeJS.Timeout[] = [];
  private waiters = new Set<() => void>();
  private seenIndex: IpScoreIndex | null = null;
  private seenVersion = -1;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly index: LookupIndexService,
    private readonly plans: LookupPlansService,
    readonly activity: MirrorActivityService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    const c = config.lookup.mirror;
    if (c.signingKey) this.signer = MirrorSigner.fromConfig(c.signingKey);
    else if (config.env === 'production') this.signer = null;
    else this.signer = MirrorSigner.generate();
    this.feed = this.signer
      ? new MirrorFeed({ sign: this.signer.sign, keepDeltas: c.keepDeltas, keepBytes: KEEP_BYTES, nowMs: () => this.clock.nowMs() })
      : null;
  }

  onApplicationBootstrap(): void {
    if (!this.adapterHost.httpAdapter || !this.feed) {
      if (!this.feed && this.adapterHost.httpAdapter) this.logger.warn('no QUORUM_MIRROR_SIGNING_KEY in production: the mirror feed is off');
      return;
    }
    if (this.signer?.generated) this.logger.log(`mirror feed signs with a key generated for this process (key id ${this.signer.keyId})`);
    this.every(this.config.lookup.mirror.publishMs, () => this.publishIfMoved());
    this.every(ACTIVITY_FLUSH_MS, () => this.activity.flush());
  }

  private every(ms: number, task: () => unknown): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      Promise.resolve()
        .then(task)
        .catch((error: Error) => this.logger.warn(`mirror task failed: ${error.message}`))
        .finally(() => {
          busy = false;
        });
    }, ms);
    timer.unref();
    this.timers.push(timer);
  }

  /** Publishes when the index is another object or at another generation than last time; true when a delta went out. */
  publishIfMoved(): boolean {
    if (!this.feed || !this.index.ready) return false;
    const current = this.index.current;
    if (current === this.seenIndex && current.version === this.seenVersion) return false;
    this.seenIndex = current;
    this.seenVersion = current.version;
    const delta = this.feed.publish(current);
    if (delta) this.wake();
    return delta !== null;
  }

  private wake(): void {
    const waiting = this.waiters;
    this.waiters = new Set();
    for (const resolve of waiting) resolve();
  }

  /** Resolves when the feed moves past `version` or after `waitMs` (long poll). */
  waitPast(version: number, waitMs: number): Promise<void> {
    if (!this.feed || this.feed.version !== version || waitMs <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, waitMs);
      timer.unref();
      this.waiters.add(done);
    });
  }

  /** The feed, or 503 when it is off or has nothing yet. */
  ready(): MirrorFeed {
    if (!this.feed) throw new DomainError('mirror_unavailable', 'The mirror feed is not configured on this service (no signing key)');
    if (this.feed.version === 0) throw new DomainError('mirror_unavailable', 'The mirror feed has not published yet; retry shortly', undefined, { 'retry-after': '5' });
    return this.feed;
  }

  /** 402 `plan_restricted` unless the key's plan has the `mirror` view; counts the mirror as active today. */
  async admit(principal: ApiKeyPrincipal, mirrorId: string): Promise<void> {
    const policy = this.plans.cached(principal.planId) ?? (await this.plans.policy(principal.planId));
    if (!policy.views.has('mirror')) throw new DomainError('plan_restricted', `The ${policy.record.name} plan does not include the local mirror`);
    this.activity.record(principal.organizationId, principal.apiKeyId, mirrorId);
  }

  deltas(epoch: number, since: number): DeltaAnswer {
    return this.ready().deltasSince(epoch, since);
  }

  async beforeApplicationShutdown(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.wake();
    await this.activity.flush().catch(() => undefined);
  }
}
