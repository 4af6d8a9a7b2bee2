import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { hashToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { PrivacyErrorCode } from './privacy-error-codes.js';
import { ipKey, parseIp } from '../common/ip/ip-address.js';
import { specialPurpose } from '../common/ip/special-purpose.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { ProofVerifier, proofUrl } from '../consensus/delisting/proof-verifier.js';
import { Clock } from '../infra/clock/clock.js';
import { JobName, jobId } from '../infra/queue/queue.constants.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { IpDataService } from './ip-data.service.js';
import { type IpAccessReport, accessReport } from './ip-access-report.js';
import { type PrivacyRequestKind, type PrivacyRequestRecord, PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { ipAddressSubject, ipSubject } from './subject-hash.js';

const DAY_MS = 86_400_000;
export const REFUSAL_GROUNDS =
  'Recital 49 / Art. 21(1): the address is listed or was reported in the last days; keeping the evidence is necessary for network security. ' +
  'A delisting review is available at POST /v1/delisting-requests.';

export interface IpRequestResult {
  request: PrivacyRequestRecord;
  access: IpAccessReport | null;
}

/**
 * IP-holder rights (GDPR R8, R9). The holder proves control of the IP exactly as for delisting: by
 * serving a one-time token at the proof URL on that IP. Access answers without any reporter identity;
 * erasure and objection erase an inactive IP at once and refuse, with grounds, for an active one.
 */
@Injectable()
export class IpRightsService {
  private readonly logger = new Logger('IpRights');

  constructor(
    private readonly data: IpDataService,
    private readonly requests: PrivacyRequestsRepository,
    private readonly verifier: ProofVerifier,
    private readonly limiter: RateLimiterService,
    private readonly queues: QueueService,
    private readonly audit: AuditService,
    private readonly ledger: ErasureLedgerService,
    private readonly markers: ConsensusLifecycle,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async create(kind: Exclude<PrivacyRequestKind, 'organization_erasure'>, rawIp: string, source: string): Promise<{ request: PrivacyRequestRecord; token: string; proofUrl: string }> {
    const ip = parseIp(rawIp);
    if (!ip) throw new DomainError('invalid_ip', 'ip must be an IPv4 or IPv6 address');
    // Never listed, and the proof fetch must not reach private or loopback services.
    if (specialPurpose(ip)) throw new DomainError('reserved_ip', 'Special-purpose addresses are never listed nor stored');
    await this.limiter.enforce('privacy-source', source, 5, 3_600_000, 'Too many privacy requests from this address');
    const subject = ipSubject(this.config.privacy.pseudonymSecret, ipKey(ip));
    if ((await this.requests.countRecent(subject, new Date(this.clock.nowMs() - DAY_MS))) >= 5) {
      throw DomainError.tooManyRequests('Too many privacy requests for this IP today', 3600, 'rate_limited');
    }
    const token = `quorum-delisting-${randomBytes(18).toString('base64url')}`;
    const request = await this.requests.create({ kind, subject, ip: ip.text, status: 'pending_proof', tokenHash: hashToken(token), now: this.clock.now() });
    return { request, token, proofUrl: proofUrl(ip.text, request.id) };
  }

  async verify(id: string, token: string, source: string): Promise<IpRequestResult> {
    await this.limiter.enforce('privacy-verify', source, 20, 3_600_000, 'Too many verification attempts');
    const request = await this.find(id);
    if (request.kind === 'organization_erasure' || request.status !== 'pending_proof' || !request.ip || !request.tokenHash) {
      throw DomainError.conflict(`Request is ${request.status}`);
    }
    if (hashToken(token) !== request.tokenHash) throw DomainError.forbidden('Wrong token for this request');
    if (!(await this.verifier.verify(request.ip, request.id, token))) {
      throw new DomainError(PrivacyErrorCode.ProofNotServed, `The token was not served at ${proofUrl(request.ip, request.id)}`);
    }
    const parsed = parseIp(request.ip);
    if (!parsed) throw DomainError.conflict('Stored address is invalid');
    const key = ipKey(parsed);
    if (request.kind === 'ip_access') return this.answerAccess(request, key, parsed.text);
    return this.eraseOrRefuse(request, key, parsed.text);
  }

  async find(id: string): Promise<PrivacyRequestRecord> {
    const request = /^[0-9a-f-]{36}$/i.test(id) ? await this.requests.find(id) : null;
    if (!request) throw DomainError.notFound('Privacy request not found');
    return request;
  }

  /** Whether an erased IP is under its protection marker (consulted with a keyed hash only). */
  async protectedUntil(key: string): Promise<Date | null> {
    return this.markers.protectedUntil(ipSubject(this.config.privacy.pseudonymSecret, key), this.clock.now());
  }

  private async answerAccess(request: PrivacyRequestRecord, key: string, address: string): Promise<IpRequestResult> {
    const now = this.clock.now();
    const access = accessReport(await this.data.held(key, address), this.config.privacy.retention, now);
    const closed = await this.requests.close(request.id, 'completed', now, { answered: true });
    await this.audit.record('ip-holder', 'privacy.ip_access', `privacy:${request.id}`, { subject: request.subject });
    return { request: closed, access };
  }

  private async eraseOrRefuse(request: PrivacyRequestRecord, key: string, address: string): Promise<IpRequestResult> {
    const now = this.clock.now();
    const held = await this.data.held(key, address);
    // Listing is per consensus key (an IPv6 /64 is listed as a whole); activity is per address.
    const listed = (held.aggregate?.listed ?? false) || (held.openListing !== null && held.openListing.until > now);
    const active = await this.data.hasSignalsSince(key, new Date(now.getTime() - this.config.privacy.inactiveDays * DAY_MS), address);
    if (listed || active) {
      const reason = listed ? 'listed' : 'active';
      const closed = await this.requests.close(request.id, 'refused', now, { reason }, `${reason}: ${REFUSAL_GROUNDS}`);
      await this.audit.record('ip-holder', `privacy.${request.kind}_refused`, `privacy:${request.id}`, { subject: request.subject, reason });
      return { request: closed, access: null };
    }
    const erased = await this.data.erase(key, address, now, request.id);
    await this.markers.protect(request.subject, now, new Date(now.getTime() + this.config.privacy.protectionDays * DAY_MS));
    // R13: replayed after a restore. `ip` names the IPv4 address or the IPv6 /64 (its marker); an IPv6
    // erasure also names its address, the unit of what was deleted.
    await this.ledger.record([
      { kind: 'ip', subject: request.subject, erasedAt: now },
      ...(address !== key ? [{ kind: 'ip_address' as const, subject: ipAddressSubject(this.config.privacy.pseudonymSecret, address), erasedAt: now }] : []),
    ]);
    const closed = await this.requests.close(request.id, 'completed', now, { erased });
    await this.audit.record('ip-holder', `privacy.${request.kind}`, `privacy:${request.id}`, { subject: request.subject, erased });
    // Scoring engines hold the IP in memory too: a rebuild from the (now erased) store forgets it.
    await this.queues
      .enqueue(JobName.ConsensusRecompute, { reason: 'ip_erasure' }, jobId(JobName.ConsensusRecompute, 'ip-erasure', request.id))
      .catch((error: Error) => this.logger.warn(`rescoring not queued: ${error.message}`));
    return { request: closed, access: null };
  }
}
