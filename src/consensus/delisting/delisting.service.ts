import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { hashToken } from '../../common/crypto/secret-token.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ipKey, parseIp } from '../../common/ip/ip-address.js';
import { specialPurpose } from '../../common/ip/special-purpose.js';
import { RateLimiterService } from '../../common/rate-limit/rate-limiter.service.js';
import { Clock } from '../../infra/clock/clock.js';
import { type DelistingRecord, DelistingRepository, type DelistingStatus } from './delisting.repository.js';
import { type ProofInstructions, proofInstructions } from './proof-instructions.js';
import { ProofVerifier, proofUrl } from './proof-verifier.js';

export interface CreatedDelisting {
  record: DelistingRecord;
  token: string;
  proofUrl: string;
  proof: ProofInstructions;
}

/** What the holder says about the listing: why it is wrong, and how to reach them (both optional here). */
export interface HolderStatement {
  reason?: string;
  contact?: string;
}

/**
 * The false-positive path (docs/consensus.md, "Delisting"): an IP holder shows control of the IP —
 * a one-time token served from it over HTTP or HTTPS, or sent by a Quorum agent running on it — and the
 * scoring job suppresses the listing for 24 h (unless a honeypot saw it) until an operator upholds or
 * rejects. A holder who cannot show control (carrier NAT) asks for a reasoned review instead: the
 * listing stays until an operator decides.
 */
@Injectable()
export class DelistingService {
  constructor(
    private readonly repository: DelistingRepository,
    private readonly verifier: ProofVerifier,
    private readonly limiter: RateLimiterService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async create(rawIp: string, source: string, statement: HolderStatement = {}): Promise<CreatedDelisting> {
    const ip = parseIp(rawIp);
    if (!ip) throw new DomainError('invalid_ip', 'ip must be an IPv4 or IPv6 address');
    if (specialPurpose(ip)) throw new DomainError('reserved_ip', 'Special-purpose addresses are never listed');
    await this.limiter.enforce('delisting-source', source, 5, 3_600_000, 'Too many delisting requests from this address');
    const key = ipKey(ip);
    if ((await this.repository.countRecentForIp(key, new Date(this.clock.nowMs() - 86_400_000))) >= 5) {
      throw DomainError.tooManyRequests('Too many delisting requests for this IP today', 3600, 'rate_limited');
    }
    const token = `quorum-delisting-${randomBytes(18).toString('base64url')}`;
    const record = await this.repository.create({ ip: ip.text, ipKey: key, tokenHash: hashToken(token), reason: statement.reason ?? null, contact: statement.contact ?? null });
    return { record, token, proofUrl: proofUrl(ip.text, record.id), proof: proofInstructions(ip.text, record.id, token, record.createdAt) };
  }

  /** Fetches the token from the IP (HTTP, then HTTPS). A request waiting for a reasoned review may still be proven. */
  async verify(id: string, token: string, source: string): Promise<DelistingRecord> {
    const record = await this.provable(id, token, source);
    if (record.status !== 'pending_proof' && record.status !== 'awaiting_review') return record;
    const scheme = await this.verifier.verifyBy(record.ip, record.id, token);
    if (scheme === null) {
      throw new DomainError('proof_not_found', `The token was not served at ${proofUrl(record.ip, record.id)} nor at ${proofUrl(record.ip, record.id, 'https')}`);
    }
    return this.markVerified(record, scheme);
  }

  /**
   * A Quorum agent (or CrowdSec engine) running on the IP sends the token: its signed-in identity
   * plus a request that leaves from the IP itself show control, with no port to open.
   */
  async proveFromAgent(id: string, token: string, source: string): Promise<DelistingRecord> {
    const record = await this.provable(id, token, source);
    if (record.status !== 'pending_proof' && record.status !== 'awaiting_review') return record;
    const from = parseIp(source);
    if (!from || ipKey(from) !== record.ipKey) {
      throw new DomainError('proof_wrong_source', `The agent's request came from ${source}, not from ${record.ip}: send it from a server whose public address is ${record.ip}`);
    }
    return this.markVerified(record, 'agent');
  }

  /** No proof possible: the reason (and a contact) go to an operator's queue; nothing is suppressed meanwhile. */
  async requestReview(id: string, token: string, statement: Required<Pick<HolderStatement, 'reason'>> & HolderStatement, source: string): Promise<DelistingRecord> {
    const record = await this.provable(id, token, source);
    if (record.status !== 'pending_proof') {
      throw DomainError.conflict(`Request is ${record.status}: a reasoned review can only replace a missing proof`);
    }
    if (!(await this.repository.requestReview(record.id, statement.reason, statement.contact ?? record.contact, this.clock.now()))) {
      throw DomainError.conflict('The request changed meanwhile: read it again');
    }
    await this.audit.record('ip-holder', 'delisting.review_requested', `delisting:${record.id}`, null);
    return this.find(id);
  }

  private async provable(id: string, token: string, source: string): Promise<DelistingRecord> {
    await this.limiter.enforce('delisting-verify', source, 20, 3_600_000, 'Too many verification attempts');
    const record = await this.find(id);
    if (hashToken(token) !== record.tokenHash) throw DomainError.forbidden('Wrong token for this request');
    return record;
  }

  private async markVerified(record: DelistingRecord, method: 'http' | 'https' | 'agent'): Promise<DelistingRecord> {
    await this.repository.markVerified(record.id, this.clock.now(), method);
    await this.audit.record('ip-holder', 'delisting.verified', `delisting:${record.id}`, { method });
    return this.find(record.id);
  }

  async find(id: string): Promise<DelistingRecord> {
    const record = /^[0-9a-f-]{36}$/i.test(id) ? await this.repository.find(id) : null;
    if (!record) throw DomainError.notFound('Delisting request not found');
    return record;
  }

  list(status: DelistingStatus | undefined): Promise<DelistingRecord[]> {
    return this.repository.list(status, 200);
  }

  async review(id: string, outcome: 'upheld' | 'rejected', justification: string, operatorId: string): Promise<DelistingRecord> {
    const record = await this.find(id);
    if (!(await this.repository.decide(record.id, outcome, `operator:${operatorId}`, justification, this.clock.now()))) {
      throw DomainError.conflict(`Request is ${record.status}: only verified requests can be reviewed`);
    }
    await this.audit.record(`operator:${operatorId}`, `delisting.${outcome}`, `delisting:${record.id}`, { justification });
    return this.find(id);
  }
}
