import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { RedisService } from '../infra/redis/redis.service.js';
import { hashTag } from '../infra/redis/shared-state.js';
import { type IngestKeys, type IngestLedger, type IngestVerdict, ingestLedger } from './ingest-ledger.js';

const NONCE_TTL_MS = 24 * 3_600_000;
export const REPLAYED_NONCE_MESSAGE = 'This batch nonce was already used in the last 24 hours';

export interface GateTicket {
  /** the agent's bucket was empty: the batch is stored, but weighs nothing for consensus */
  overRate: boolean;
  /** per target (same order as given): counts toward the distinct-target budget */
  admitted: boolean[];
  /** undo the counters and free the nonce when the batch could not be committed */
  rollback(): Promise<void>;
}

/** The shared-state side of the ingest gate (docs/consensus.md): replay, rate caps, target budget. */
@Injectable()
export class IngestGateService {
  private readonly ledger: IngestLedger;

  constructor(
    private readonly redis: RedisService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.ledger = ingestLedger(redis.backend);
  }

  /** The agent's keys; on a cluster they share the agent's hash tag (one slot for the gate's script). */
  private keys(agentId: string, nonce: string, day: string): IngestKeys {
    const agent = hashTag(agentId);
    return {
      nonce: this.redis.key('nonce', 'batch', agent, nonce),
      bucket: this.redis.key('ingest', agent, 'bucket'),
      day: this.redis.key('ingest', agent, 'day', day),
      targets: this.redis.key('ingest', agent, 'targets', day),
    };
  }

  async pass(agentId: string, nonce: string, targets: string[], nowMs: number): Promise<GateTicket> {
    const caps = this.config.signals;
    const keys = this.keys(agentId, nonce, new Date(nowMs).toISOString().slice(0, 10));
    let verdict: IngestVerdict;
    try {
      verdict = await this.ledger.pass(
        keys,
        {
          ratePerSecond: caps.maxBatchesPerSecond,
          burst: caps.burstBatches,
          overflow: caps.overflowBatches,
          maxPerDay: caps.maxPerDay,
          maxTargetsPerDay: caps.maxTargetsPerDay,
          nonceTtlMs: NONCE_TTL_MS,
        },
        targets,
        nowMs,
      );
    } catch {
      throw DomainError.unavailable('Signal ingestion is unavailable (Redis unreachable); retry shortly');
    }
    if (verdict.kind === 'replayed') throw DomainError.conflict(REPLAYED_NONCE_MESSAGE, ErrorCode.ReplayedNonce);
    if (verdict.kind === 'rate') {
      throw DomainError.tooManyRequests(
        `Batch rate exceeded: ${caps.burstBatches + caps.overflowBatches} batches in a burst, then ${caps.maxBatchesPerSecond} per second`,
        verdict.retryMs / 1000,
      );
    }
    if (verdict.kind === 'daily') throw DomainError.tooManyRequests(`Daily cap of ${caps.maxPerDay} signals reached`, verdict.retryMs / 1000, 'daily_cap_reached');
    return {
      overRate: verdict.overRate,
      admitted: verdict.admitted,
      rollback: async () => {
        await this.ledger.rollback(keys, targets.length).catch(() => undefined);
      },
    };
  }
}
