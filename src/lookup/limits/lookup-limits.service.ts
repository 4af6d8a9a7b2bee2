import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../infra/clock/clock.js';
import { RedisService } from '../../infra/redis/redis.service.js';
import { type LimitWindows, LeaseMeter, type MeterLimits, type MeterVerdict } from './lease-meter.js';
import { leaseStore } from './redis-lease.store.js';

/** Idle quota leases go back to Redis after this long, so other replicas can use them. */
export const LEASE_IDLE_MS = 10_000;
const FORGET_ORG_MS = 15 * 60_000;

/** Per-organisation burst and quota limits shared by all API replicas through Redis (see LeaseMeter). */
@Injectable()
export class LookupLimitsService {
  private readonly logger = new Logger('LookupLimits');
  private readonly meter: LeaseMeter;
  private lastWarnMs = 0;

  constructor(redis: RedisService, clock: Clock) {
    const store = leaseStore(redis.backend, (org, kind, windowId) => redis.key('lookup', 'quota', org, kind, String(windowId)));
    this.meter = new LeaseMeter(store, () => clock.nowMs(), (error) => this.warn(error));
  }

  consume(organizationId: string, limits: MeterLimits, lookups: number): MeterVerdict | Promise<MeterVerdict> {
    return this.meter.consume(organizationId, limits, lookups);
  }

  /** Quota and burst state for the headers, without counting anything. */
  peek(organizationId: string, limits: MeterLimits): LimitWindows {
    return this.meter.limitWindows(organizationId, limits);
  }

  sweep(): Promise<void> {
    return this.meter.sweep(LEASE_IDLE_MS, FORGET_ORG_MS);
  }

  releaseAll(): Promise<void> {
    return this.meter.releaseAll();
  }

  private warn(error: unknown): void {
    const now = Date.now();
    if (now - this.lastWarnMs < 10_000) return;
    this.lastWarnMs = now;
    this.logger.warn(`Redis unavailable for lookup limits, counting per replica until it is back: ${(error as Error).message}`);
  }
}
