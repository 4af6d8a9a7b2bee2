import { Injectable, Logger } from '@nestjs/common';
import { Clock } from '../../infra/clock/clock.js';
import { type MirrorDay, type MirrorDayCount, MirrorActivityRepository } from './mirror-activity.repository.js';

const MAX_MIRROR_ID = 64;

/** A mirror id the client sent (`x-quorum-mirror-id`), else the key's id; anything unexpected is replaced by the key's id. */
export function mirrorIdOf(header: unknown, apiKeyId: string): string {
  return typeof header === 'string' && header.length > 0 && header.length <= MAX_MIRROR_ID && /^[A-Za-z0-9._:-]+$/.test(header) ? header : apiKeyId;
}

/**
 * Metering of local mirrors: every snapshot or delta request counts its mirror as active on the day
 * (UTC). Counted in memory, added to `mirror_activity` by a periodic flush and at shutdown; a failed
 * flush is kept for the next one.
 */
@Injectable()
export class MirrorActivityService {
  private readonly logger = new Logger('MirrorActivity');
  private open = new Map<string, MirrorDay>();
  private flushing: Promise<void> | null = null;

  constructor(
    private readonly repository: MirrorActivityRepository,
    private readonly clock: Clock,
  ) {}

  record(organizationId: string, apiKeyId: string, mirrorId: string): void {
    const now = this.clock.nowMs();
    const day = new Date(now).toISOString().slice(0, 10);
    const key = `${organizationId}|${day}|${mirrorId}`;
    const row = this.open.get(key);
    if (row) {
      row.syncs++;
      row.lastMs = now;
      row.apiKeyId = apiKeyId;
    } else this.open.set(key, { organizationId, day, mirrorId, apiKeyId, firstMs: now, lastMs: now, syncs: 1 });
  }

  flush(): Promise<void> {
    this.flushing ??= this.flushNow().finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async flushNow(): Promise<void> {
    if (this.open.size === 0) return;
    const rows = [...this.open.values()];
    this.open = new Map();
    try {
      await this.repository.add(rows);
    } catch (error) {
      for (const row of rows) {
        const key = `${row.organizationId}|${row.day}|${row.mirrorId}`;
        const newer = this.open.get(key);
        if (newer) {
          newer.syncs += row.syncs;
          newer.firstMs = Math.min(newer.firstMs, row.firstMs);
        } else this.open.set(key, row);
      }
      this.logger.warn(`mirror activity flush failed, kept for the next one: ${(error as Error).message}`);
    }
  }

  perDay(organizationId: string, from: string, to: string): Promise<MirrorDayCount[]> {
    return this.repository.perDay(organizationId, from, to);
  }
}
