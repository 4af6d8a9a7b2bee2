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
import { ProofVerifier, proofUrl } from './proof-verifier.js';

export interface CreatedDelisting {
  record: DelistingRecord;
  token: string;
  proofUrl: string;
}

/**
 * The false-positive path (consensus.md §3.8): an IP holder proves control by serving a one-time
 * token from the IP, the scoring job suppresses the listing for 24 h (unless a honeypot saw it), and
 * an operator upholds or rejects.
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

  async create(rawIp: string, source: string): Promise<CreatedDelisting> {
    const ip = parseIp(rawIp);
    if (!ip) throw new DomainError(400, 'invalid_ip', 'ip must be an IPv4 or IPv6 address');
    if (specialPurpose(ip)) throw new DomainError(400, 'reserved_ip', 'Special-purpose addresses are never listed');
    await this.limiter.enforce('delisting-source', source, 5, 3_600_000, 'Too many delisting requests from this address');
    const key = ipKey(ip);
    if ((await this.repository.countRecentForIp(key, new Date(this.clock.nowMs() - 86_400_000))) >= 5) {
      throw DomainError.tooManyRequests('Too many delisting requests for this IP today', 3600, 'rate_limited');
    }
    const token = `quorum-delisting-${randomBytes(18).toString('base64url')}`;
    const record = await this.repository.create(ip.text, key, hashToken(token));
    return { record, token, proofUrl: proofUrl(ip.text, record.id) };
  }

  async verify(id: string, token: string, source: string): Promise<DelistingRecord> {
    await this.limiter.enforce('delisting-verify', source, 20, 3_600_000, 'Too many verification attempts');
    const record = await this.find(id);
    if (record.status !== 'pending_proof') return record;
    if (hashToken(token) !== record.tokenHash) throw DomainError.forbidden('Wrong token for this request');
    if (!(await this.verifier.verify(record.ip, record.id, token))) {
      throw new DomainError(422, 'proof_not_found', `The token was not served at ${proofUrl(record.ip, record.id)}`);
    }
    await this.repository.markVerified(record.id, this.clock.now());
    await this.audit.record('ip-holder', 'delisting.verified', `delisting:${record.id}`, null);
    return this.find(id);
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
