import { Injectable, Logger } from '@nestjs/common';
import { RedisService } from '../../infra/redis/redis.service.js';

/** Cache invalidations every API replica must apply (keys revoked, plans edited, an organisation's plan changed). */
export type InvalidationMessage = { t: 'key'; hash: string } | { t: 'org'; org: string } | { t: 'plans' };

type Handler = (message: InvalidationMessage) => void;

export function parseInvalidation(text: string): InvalidationMessage | null {
  try {
    const m = JSON.parse(text) as Record<string, unknown>;
    if (m.t === 'key' && typeof m.hash === 'string') return { t: 'key', hash: m.hash };
    if (m.t === 'org' && typeof m.org === 'string') return { t: 'org', org: m.org };
    if (m.t === 'plans') return { t: 'plans' };
  } catch {
    // not ours
  }
  return null;
}

/**
 * In-process fan-out of invalidations, and their publication to the other replicas over Redis pub/sub
 * (delivered in milliseconds; a replica that was disconnected drops its caches on reconnecting).
 */
@Injectable()
export class LookupBus {
  private readonly logger = new Logger('LookupBus');
  private readonly handlers = new Set<Handler>();
  private readonly resyncs = new Set<() => void>();

  constructor(private readonly redis: RedisService) {}

  get channel(): string {
    return this.redis.key('lookup', 'invalidate');
  }

  on(handler: Handler): void {
    this.handlers.add(handler);
  }

  /** Called when this replica may have missed messages (subscriber reconnected). */
  onResync(handler: () => void): void {
    this.resyncs.add(handler);
  }

  dispatch(message: InvalidationMessage): void {
    for (const handler of this.handlers) handler(message);
  }

  resync(): void {
    for (const handler of this.resyncs) handler();
  }

  /** Applies here at once, then tells the other replicas (they fall back on cache expiry if Redis is down). */
  async publish(message: InvalidationMessage): Promise<void> {
    this.dispatch(message);
    try {
      await this.redis.pubsub.publish(this.channel, JSON.stringify(message));
    } catch (error) {
      this.logger.warn(`could not publish a lookup cache invalidation (${(error as Error).message}); other replicas catch up on cache expiry`);
    }
  }
}
