import type { KeyObject } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import type { AgentRecord } from '../agents/agent.types.js';
import { AgentsService } from '../agents/agents.service.js';
import { ReporterIdentityService } from '../agents/reporter-identity.service.js';
import { NONCE_PATTERN, parseTimestamp, signalsMessage } from '../agents/signed-messages.js';
import { parseEd25519PublicKey, verifyEd25519 } from '../common/crypto/ed25519.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { validationErrorFromFields } from '../common/http/validation.pipe.js';
import { NetworkIdentityService } from '../common/network/network-identity.service.js';
import { Clock } from '../infra/clock/clock.js';
import { IngestGateService, REPLAYED_NONCE_MESSAGE } from './ingest-gate.service.js';
import { parseSignalBatch } from './signal-batch.parser.js';
import { normalizeSignals, type Rejection } from './signal-normalizer.js';
import { SIGNAL_FLAGS } from './signal-rules.js';
import { type SignalRow, SignalsRepository, type StoredBatch } from './signals.repository.js';

export interface SignedHeaders {
  sentAt: string | undefined;
  nonce: string | undefined;
  signature: string | undefined;
}

/** What a committed batch tells other domains (consensus registers reporters and nudges scoring). */
export interface CommittedBatch {
  agent: AgentRecord;
  reporter: string;
  owner: string;
  ipKeys: string[];
}

export interface IngestResult {
  accepted: number;
  duplicates: number;
  rejected: Rejection[];
}

const KEY_CACHE_LIMIT = 50_000;

/** Signed batch ingestion: verify, validate, gate, store in one write, hand off to scoring. */
@Injectable()
export class SignalsService {
  private readonly logger = new Logger('Signals');
  private readonly keys = new Map<string, KeyObject>();
  private readonly networkPseudonyms = new Map<string, string | null>();
  private networkPseudonymsKey: number | null = null;
  private readonly lastTouched = new Map<string, number>();
  private readonly afterCommit: Array<(batch: CommittedBatch) => Promise<void>> = [];

  constructor(
    private readonly repository: SignalsRepository,
    private readonly gate: IngestGateService,
    private readonly agents: AgentsService,
    private readonly identities: ReporterIdentityService,
    private readonly network: NetworkIdentityService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** Lets consensus be told about committed batches without signals depending on it. */
  onCommitted(listener: (batch: CommittedBatch) => Promise<void>): void {
    this.afterCommit.push(listener);
  }

  async ingestSigned(agent: AgentRecord, rawBody: Buffer | undefined, body: unknown, headers: SignedHeaders): Promise<IngestResult> {
    const nowMs = this.clock.nowMs();
    const { nonce } = this.verifySignature(agent, rawBody, headers, nowMs);
    return this.ingest(agent, body, nonce, nowMs, 'quorum');
  }

  /** Shared by native and CrowdSec ingestion once the sender is authenticated. */
  async ingest(agent: AgentRecord, body: unknown, nonce: string, nowMs: number, source: 'quorum' | 'crowdsec'): Promise<IngestResult> {
    const parsed = parseSignalBatch(body, this.config.signals.maxPerBatch, { allowTrust: source === 'crowdsec', nowMs });
    if ('problems' in parsed) throw validationErrorFromFields(parsed.problems);
    const { accepted, rejected } = normalizeSignals(parsed.signals, nowMs);
    const identity = await this.identities.identify(agent.organizationId, agent.id);
    if (agent.networkPseudonym) {
      // Memoised pseudonyms belong to one network key: a rotation (network-key-ring.ts) starts a new memo.
      const keyId = this.network.currentKeyId();
      if (keyId !== this.networkPseudonymsKey) {
        this.networkPseudonyms.clear();
        this.networkPseudonymsKey = keyId;
      }
      for (const s of accepted) {
        if (this.targetNetworkPseudonym(s.targetNetwork) === agent.networkPseudonym) s.flags |= SIGNAL_FLAGS.selfNetwork;
      }
    }
    const targets = [...new Set(accepted.filter((s) => (s.flags & SIGNAL_FLAGS.stale) === 0).map((s) => s.ipKey))];
    const ticket = await this.gate.pass(identity.reporter, nonce, targets, nowMs);
    const admitted = new Set(targets.filter((_, i) => ticket.admitted[i]));
    const rows: SignalRow[] = accepted.map((s) => {
      let flags = ticket.overRate ? s.flags | SIGNAL_FLAGS.overRate : s.flags;
      if ((flags & SIGNAL_FLAGS.stale) === 0 && !admitted.has(s.ipKey)) flags |= SIGNAL_FLAGS.overTargetCap;
      return {
        ip: s.ip,
        ipKey: s.ipKey,
        scope: s.scope,
        scenario: s.scenario,
        scenarioVersion: s.scenarioVersion,
        scenarioHash: s.scenarioHash,
        scenarioTrust: s.scenarioTrust,
        startedAt: new Date(s.startedAt),
        stoppedAt: new Date(s.stoppedAt),
        uuid: s.uuid,
        labels: s.labels ? JSON.stringify(s.labels) : null,
        weight: flags === 0 ? 1 : 0,
        flags,
      };
    });
    let stored: StoredBatch;
    try {
      stored = rows.length === 0
        ? { fresh: true, inserted: 0, claimedUuids: new Set<string>() }
        : await this.repository.insertBatch(
            {
              receivedAt: new Date(nowMs),
              reporter: identity.reporter,
              owner: identity.owner,
              reporterAsn: agent.asn,
              reporterNet: agent.networkPseudonym,
              reporterCountry: agent.country,
              source,
              agentId: agent.id,
              // CrowdSec engines send no nonce (a random one stands in): nothing to remember.
              nonce: source === 'quorum' ? nonce : null,
              nonceExpiresAt: new Date(nowMs + 2 * this.config.signals.maxClockSkewSeconds * 1000),
            },
            rows,
          );
    } catch (error) {
      await ticket.rollback();
      this.logger.warn(`batch not stored: ${(error as Error).message}`);
      throw DomainError.unavailable('Signals could not be stored; nothing was kept, retry later');
    }
    if (!stored.fresh) {
      // Redis forgot the nonce (restart, flush) but PostgreSQL did not: the same refusal as the gate's.
      await ticket.rollback();
      throw DomainError.conflict(REPLAYED_NONCE_MESSAGE, ErrorCode.ReplayedNonce);
    }
    const duplicates: Rejection[] = accepted
      .filter((s) => s.uuid !== null && !stored.claimedUuids.has(s.uuid))
      .map((s) => ({ index: s.index, uuid: s.uuid, reason: 'duplicate_uuid' as const }));
    const allRejected = [...rejected, ...duplicates].sort((a, b) => a.index - b.index);
    if (stored.inserted > 0) await this.afterStored({ agent, reporter: identity.reporter, owner: identity.owner, ipKeys: [...admitted] });
    return { accepted: stored.inserted, duplicates: duplicates.length + rejected.filter((r) => r.reason === 'duplicate_uuid').length, rejected: allRejected };
  }

  /** HMAC of a target's /24 (/48), memoised: one batch often hits few networks, and HMACs add up. */
  private targetNetworkPseudonym(network: string): string | null {
    let cached = this.networkPseudonyms.get(network);
    if (cached === undefined) {
      cached = this.network.networkOf(network.split('/')[0]);
      if (this.networkPseudonyms.size >= 200_000) this.networkPseudonyms.clear();
      this.networkPseudonyms.set(network, cached);
    }
    return cached;
  }

  private async afterStored(batch: CommittedBatch): Promise<void> {
    try {
      const now = this.clock.nowMs();
      if (now - (this.lastTouched.get(batch.agent.id) ?? 0) >= 60_000) {
        if (this.lastTouched.size >= 100_000) this.lastTouched.clear();
        this.lastTouched.set(batch.agent.id, now);
        await this.agents.touchLastSignal(batch.agent.id);
      }
      for (const listener of this.afterCommit) await listener(batch);
    } catch (error) {
      // The batch is committed; scoring also picks it up from the table on its next tick.
      this.logger.warn(`post-commit hand-off failed: ${(error as Error).message}`);
    }
  }

  private verifySignature(agent: AgentRecord, rawBody: Buffer | undefined, headers: SignedHeaders, nowMs: number): { nonce: string } {
    const { sentAt, nonce, signature } = headers;
    if (!sentAt || !nonce || !signature) {
      throw DomainError.unauthorized('Signed batches need x-quorum-sent-at, x-quorum-nonce and x-quorum-signature headers', ErrorCode.InvalidSignature);
    }
    if (!NONCE_PATTERN.test(nonce)) throw DomainError.badRequest('x-quorum-nonce must be 16-64 characters of A-Z a-z 0-9 _ -');
    const sentMs = parseTimestamp(sentAt);
    if (sentMs === null) throw DomainError.badRequest('x-quorum-sent-at must be an RFC 3339 timestamp');
    const skewMs = this.config.signals.maxClockSkewSeconds * 1000;
    if (Math.abs(nowMs - sentMs) > skewMs) {
      throw DomainError.unauthorized(`x-quorum-sent-at is more than ${skewMs / 1000} s away from the server clock`, 'stale_timestamp');
    }
    if (!rawBody) throw DomainError.badRequest('A JSON body is required');
    const key = this.publicKey(agent);
    if (!key || !verifyEd25519(key, signalsMessage(agent.id, sentAt, nonce, rawBody), signature)) {
      throw DomainError.unauthorized('Bad batch signature', ErrorCode.InvalidSignature);
    }
    return { nonce };
  }

  private publicKey(agent: AgentRecord): KeyObject | null {
    const cacheKey = `${agent.id}:${agent.keyVersion}`;
    let key = this.keys.get(cacheKey);
    if (!key && agent.publicKey) {
      key = parseEd25519PublicKey(agent.publicKey) ?? undefined;
      if (key) {
        if (this.keys.size >= KEY_CACHE_LIMIT) this.keys.clear();
        this.keys.set(cacheKey, key);
      }
    }
    return key ?? null;
  }
}
