import { randomUUID } from 'node:crypto';
import type { AuditService } from '../audit/audit.service.js';
import { hashToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import type { AppConfig } from '../config/app-config.js';
import type { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import type { ProofVerifier } from '../consensus/delisting/proof-verifier.js';
import { FixedClock } from '../infra/clock/clock.js';
import type { QueueService } from '../infra/queue/queue.service.js';
import type { ErasureEntry } from './erasure-ledger.repository.js';
import type { ErasureLedgerService } from './erasure-ledger.service.js';
import type { HeldIpData, IpDataService } from './ip-data.service.js';
import { IpRightsService, REFUSAL_GROUNDS } from './ip-rights.service.js';
import type { PrivacyRequestKind, PrivacyRequestRecord, PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { ipAddressSubject, ipSubject } from './subject-hash.js';

const SECRET = 'pseudonym-secret-for-tests-0123456789';
const NOW = new Date('2026-12-07T03:00:00.000Z');
const DAY = 86_400_000;
const IP = '81.2.69.160';
const RETENTION = { signalDays: 30, signalUuidDays: 7, ipScoreDays: 90, blocklistDays: 30, explanationDays: 90, delistingDays: 365, auditDays: 365, usageDays: 400, privacyRequestDays: 365 };

/** The privacy_request table in memory. */
class FakeRequests {
  readonly rows = new Map<string, PrivacyRequestRecord>();
  async create(data: { kind: PrivacyRequestKind; subject: string; ip: string | null; status: 'pending_proof'; tokenHash: string | null; now: Date }) {
    const record: PrivacyRequestRecord = { id: randomUUID(), kind: data.kind, subject: data.subject, ip: data.ip, status: data.status, tokenHash: data.tokenHash, grounds: null, outcome: null, createdAt: data.now, verifiedAt: null, closedAt: null };
    this.rows.set(record.id, record);
    return { ...record };
  }
  async find(id: string) {
    const r = this.rows.get(id);
    return r ? { ...r } : null;
  }
  async countRecent(subject: string, since: Date) {
    return [...this.rows.values()].filter((r) => r.subject === subject && r.createdAt >= since).length;
  }
  async close(id: string, status: 'completed' | 'refused', now: Date, outcome: Record<string, unknown>, grounds: string | null = null) {
    return { ...Object.assign(this.rows.get(id)!, { status, closedAt: now, verifiedAt: now, ip: null, tokenHash: null, grounds, outcome }) };
  }
}

/** What the domains hold about each key: listing state and the time of the last signal per address. */
class FakeIpData {
  listed = false;
  openListingUntil: Date | null = null;
  readonly lastSignal = new Map<string, Date>();
  readonly erased: string[] = [];
  async held(): Promise<HeldIpData> {
    return {
      aggregate: { score: 0.7, reporters: 3, scenarios: ['ssh'], firstSeen: new Date(NOW.getTime() - 40 * DAY), lastSeen: new Date(NOW.getTime() - 20 * DAY), listed: this.listed, listedUntil: this.listed ? new Date(NOW.getTime() + DAY) : null, honeypot: false },
      signals: { count: 0, oldest: null, newest: null, sources: [], scenarios: [] },
      explanations: { count: 0, newest: null },
      openListing: this.openListingUntil ? { until: this.openListingUntil } : null,
      delistingRequests: 0,
      copy: { signals: [], explanations: [], blocklist: [], delistingRequests: [] },
    };
  }
  async hasSignalsSince(_key: string, since: Date, address: string) {
    const last = this.lastSignal.get(address);
    return last !== undefined && last >= since;
  }
  async erase(key: string, address: string, now: Date, requestId: string | null) {
    this.erased.push(`${key} ${address} ${now.toISOString()} ${requestId}`);
    return { signal: 4 };
  }
}

class FakeLimiter {
  readonly hits = new Map<string, number>();
  readonly asked = new Set<string>();
  async enforce(name: string, subject: string, limit: number, windowMs: number, message: string) {
    this.asked.add(`${name} ${limit}/${windowMs}`);
    const count = (this.hits.get(`${name}|${subject}`) ?? 0) + 1;
    this.hits.set(`${name}|${subject}`, count);
    if (count > limit) throw DomainError.tooManyRequests(message, windowMs / 1000);
  }
}

function setup() {
  const clock = new FixedClock(NOW);
  const data = new FakeIpData();
  const requests = new FakeRequests();
  const limiter = new FakeLimiter();
  const served = new Map<string, string>(); // `${ip} ${id}` -> token
  const verifier = { verify: async (ip: string, id: string, token: string) => served.get(`${ip} ${id}`) === token } as unknown as ProofVerifier;
  const queued: string[] = [];
  let queueDown = false;
  const queues = {
    enqueue: async (_name: string, _data: object, id: string) => {
      if (queueDown) throw new Error('redis down');
      queued.push(id);
    },
  } as unknown as QueueService;
  const audited: Array<[string, string, string | null, unknown]> = [];
  const audit = { record: async (actor: string, action: string, target: string | null, details: unknown) => void audited.push([actor, action, target, details]) } as unknown as AuditService;
  const ledgerEntries: ErasureEntry[] = [];
  const ledger = { record: async (entries: ErasureEntry[]) => void ledgerEntries.push(...entries) } as unknown as ErasureLedgerService;
  const protections: string[] = [];
  const markers = {
    protect: async (subject: string, now: Date, until: Date) => void protections.push(`${subject} ${now.toISOString()} ${until.toISOString()}`),
    protectedUntil: async (subject: string, now: Date) => (subject === ipSubject(SECRET, IP) && now.getTime() === NOW.getTime() ? new Date(NOW.getTime() + DAY) : null),
  } as unknown as ConsensusLifecycle;
  const config = { privacy: { pseudonymSecret: SECRET, inactiveDays: 7, protectionDays: 30, retention: RETENTION } } as unknown as AppConfig;
  const service = new IpRightsService(data as unknown as IpDataService, requests as unknown as PrivacyRequestsRepository, verifier, limiter as unknown as RateLimiterService, queues, audit, ledger, markers, clock, config);
  /** A request created and its token served from the IP, ready to verify. */
  const proven = async (kind: Exclude<PrivacyRequestKind, 'organization_erasure'>, ip = IP) => {
    const created = await service.create(kind, ip, 'holder');
    served.set(`${ip} ${created.request.id}`, created.token);
    return created;
  };
  return { service, clock, data, requests, limiter, served, queued, audited, ledgerEntries, protections, proven, takeQueueDown: () => (queueDown = true) };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  const error = (await promise.catch((e: unknown) => e)) as DomainError;
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, message: error.message };
}

describe('IpRightsService.create', () => {
  it('stores a pending request under the keyed hash of the IP key, with the address and only the hash of a fresh token', async () => {
    const { service, requests } = setup();
    const created = await service.create('ip_access', '2a00:1450:4001:81a::1', 'holder');
    expect(requests.rows.get(created.request.id)).toMatchObject({
      kind: 'ip_access',
      status: 'pending_proof',
      subject: ipSubject(SECRET, '2a00:1450:4001:81a::/64'),
      ip: '2a00:1450:4001:81a::1',
      tokenHash: hashToken(created.token),
    });
    expect(created.proofUrl).toBe(`http://[2a00:1450:4001:81a::1]/.well-known/quorum-delisting/${created.request.id}`);
  });

  it('refuses text that is no address and special-purpose addresses (the proof fetch must not reach them)', async () => {
    const { service, requests } = setup();
    expect(await refusal(service.create('ip_erasure', 'localhost', 'holder'))).toMatchObject({ code: 'invalid_ip' });
    expect(await refusal(service.create('ip_erasure', '127.0.0.1', 'holder'))).toMatchObject({ code: 'reserved_ip' });
    expect(await refusal(service.create('ip_erasure', '169.254.169.254', 'holder'))).toMatchObject({ code: 'reserved_ip' });
    expect(requests.rows.size).toBe(0);
  });

  it('allows five requests a day per IP key and five an hour per requesting address', async () => {
    const { service, clock, limiter } = setup();
    for (let i = 0; i < 5; i++) await service.create('ip_access', `2a00:1450:4001:81a::${i + 1}`, `src-${i}`);
    expect(await refusal(service.create('ip_access', '2a00:1450:4001:81a::9', 'src-9'))).toEqual({ code: 'rate_limited', message: 'Too many privacy requests for this IP today' });
    clock.advance(DAY + 1);
    expect((await service.create('ip_access', '2a00:1450:4001:81a::9', 'src-9')).request.status).toBe('pending_proof');
    for (let i = 0; i < 5; i++) await service.create('ip_access', `81.2.69.${i + 1}`, 'busy');
    expect(await refusal(service.create('ip_access', '81.2.69.9', 'busy'))).toMatchObject({ code: 'rate_limited', message: 'Too many privacy requests from this address' });
    expect(limiter.asked).toEqual(new Set(['privacy-source 5/3600000']));
  });
});

describe('IpRightsService.verify', () => {
  it('answers an access request with the report, closes it without the address or token, and audits it', async () => {
    const { service, data, proven, audited } = setup();
    data.listed = true;
    const { request, token } = await proven('ip_access');
    const result = await service.verify(request.id, token, 'holder');
    expect(result.request).toMatchObject({ status: 'completed', ip: null, tokenHash: null, outcome: { answered: true } });
    expect(result.access).toMatchObject({ listed: true, listed_until: new Date(NOW.getTime() + DAY).toISOString(), scenario_classes: ['ssh'] });
    expect(audited).toEqual([['ip-holder', 'privacy.ip_access', `privacy:${request.id}`, { subject: request.subject }]]);
  });

  it('refuses a wrong token, a token not served from the IP, a closed request and an unknown or malformed id', async () => {
    const { service, served, proven } = setup();
    const { request, token } = await proven('ip_access');
    expect(await refusal(service.verify(request.id, 'quorum-delisting-guess', 'holder'))).toMatchObject({ code: 'forbidden' });
    served.delete(`${IP} ${request.id}`);
    expect(await refusal(service.verify(request.id, token, 'holder'))).toEqual({ code: 'proof_not_served', message: `The token was not served at http://${IP}/.well-known/quorum-delisting/${request.id}` });
    served.set(`${IP} ${request.id}`, token);
    await service.verify(request.id, token, 'holder');
    expect(await refusal(service.verify(request.id, token, 'holder'))).toEqual({ code: 'conflict', message: 'Request is completed' });
    expect(await refusal(service.verify(randomUUID(), token, 'holder'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(service.verify('../../etc', token, 'holder'))).toMatchObject({ code: 'not_found' });
  });

  it('limits verification attempts to twenty an hour per address', async () => {
    const { service, proven, limiter } = setup();
    const { request } = await proven('ip_access');
    for (let i = 0; i < 20; i++) await refusal(service.verify(request.id, 'wrong', 'guesser'));
    expect(await refusal(service.verify(request.id, 'wrong', 'guesser'))).toMatchObject({ code: 'rate_limited' });
    expect(limiter.asked.has('privacy-verify 20/3600000')).toBe(true);
  });

  it('erases an inactive, unlisted IP: every store, a 30-day protection marker, the ledger, the request, the audit and a rescoring', async () => {
    const { service, data, proven, protections, ledgerEntries, audited, queued } = setup();
    const { request, token } = await proven('ip_erasure');
    const result = await service.verify(request.id, token, 'holder');
    expect(data.erased).toEqual([`${IP} ${IP} ${NOW.toISOString()} ${request.id}`]);
    expect(protections).toEqual([`${request.subject} ${NOW.toISOString()} ${new Date(NOW.getTime() + 30 * DAY).toISOString()}`]);
    expect(ledgerEntries).toEqual([{ kind: 'ip', subject: request.subject, erasedAt: NOW }]);
    expect(result).toEqual({ request: expect.objectContaining({ status: 'completed', outcome: { erased: { signal: 4 } } }), access: null });
    expect(audited).toEqual([['ip-holder', 'privacy.ip_erasure', `privacy:${request.id}`, { subject: request.subject, erased: { signal: 4 } }]]);
    expect(queued).toEqual([`consensus-recompute-ip-erasure-${request.id}`]);
  });

  it('records the address of an IPv6 erasure in the ledger beside its /64, and still completes when the rescoring cannot be queued', async () => {
    const { service, proven, ledgerEntries, takeQueueDown, data } = setup();
    takeQueueDown();
    const address = '2a00:1450:4001:81a::1';
    const { request, token } = await proven('ip_objection', address);
    expect((await service.verify(request.id, token, 'holder')).request.status).toBe('completed');
    expect(data.erased).toEqual([`2a00:1450:4001:81a::/64 ${address} ${NOW.toISOString()} ${request.id}`]);
    expect(ledgerEntries).toEqual([
      { kind: 'ip', subject: ipSubject(SECRET, '2a00:1450:4001:81a::/64'), erasedAt: NOW },
      { kind: 'ip_address', subject: ipAddressSubject(SECRET, address), erasedAt: NOW },
    ]);
  });

  it('refuses, with grounds, to erase a listed IP (aggregate or open blocklist row) and an IP reported within the inactivity period', async () => {
    const listed = setup();
    listed.data.listed = true;
    const a = await listed.proven('ip_erasure');
    expect((await listed.service.verify(a.request.id, a.token, 'holder')).request).toMatchObject({ status: 'refused', outcome: { reason: 'listed' }, grounds: `listed: ${REFUSAL_GROUNDS}` });
    expect(listed.audited).toEqual([['ip-holder', 'privacy.ip_erasure_refused', `privacy:${a.request.id}`, { subject: a.request.subject, reason: 'listed' }]]);

    const open = setup();
    open.data.openListingUntil = new Date(NOW.getTime() + 1);
    const b = await open.proven('ip_objection');
    expect((await open.service.verify(b.request.id, b.token, 'holder')).request).toMatchObject({ status: 'refused', outcome: { reason: 'listed' } });

    const active = setup();
    active.data.lastSignal.set(IP, new Date(NOW.getTime() - 7 * DAY));
    const c = await active.proven('ip_erasure');
    expect((await active.service.verify(c.request.id, c.token, 'holder')).request).toMatchObject({ status: 'refused', grounds: `active: ${REFUSAL_GROUNDS}` });
    for (const context of [listed, open, active]) expect([context.data.erased, context.ledgerEntries, context.protections]).toEqual([[], [], []]);
  });

  it('erases once the open listing has ended and the last report is older than the inactivity period', async () => {
    const { service, data, proven } = setup();
    data.openListingUntil = NOW;
    data.lastSignal.set(IP, new Date(NOW.getTime() - 7 * DAY - 1));
    const { request, token } = await proven('ip_erasure');
    expect((await service.verify(request.id, token, 'holder')).request.status).toBe('completed');
  });
});

describe('IpRightsService.protectedUntil', () => {
  it("looks the marker up by the key's keyed hash only", async () => {
    const { service } = setup();
    expect(await service.protectedUntil(IP)).toEqual(new Date(NOW.getTime() + DAY));
    expect(await service.protectedUntil('81.2.69.161')).toBeNull();
  });
});
