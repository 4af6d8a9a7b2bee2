import { randomUUID } from 'node:crypto';
import type { AuditService } from '../../audit/audit.service.js';
import { hashToken } from '../../common/crypto/secret-token.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { RateLimiterService } from '../../common/rate-limit/rate-limiter.service.js';
import { FixedClock } from '../../infra/clock/clock.js';
import type { DelistingRecord, DelistingRepository, DelistingStatus, NewDelisting, ProofMethod } from './delisting.repository.js';
import { DelistingService } from './delisting.service.js';
import type { ProofScheme, ProofVerifier } from './proof-verifier.js';

const NOW = new Date('2026-12-07T12:00:00.000Z');
const HOUR = 3_600_000;
const IP = '81.2.69.160';
const UNREVIEWED: readonly DelistingStatus[] = ['verified', 'suppressed', 'awaiting_review'];

/** The delisting_request table in memory, each update guarded by the status its statement requires. */
class FakeDelistingRepository {
  readonly requests = new Map<string, DelistingRecord>();
  /** set to simulate another request changing the row between the read and the update */
  raceOnReview = false;
  constructor(private readonly clock: FixedClock) {}

  async create(request: NewDelisting) {
    const record: DelistingRecord = {
      ...request,
      id: randomUUID(),
      status: 'pending_proof',
      proofMethod: null,
      reviewRequestedAt: null,
      createdAt: this.clock.now(),
      verifiedAt: null,
      suppressedUntil: null,
      decidedAt: null,
      decidedBy: null,
      justification: null,
      closedAt: null,
      escalatedAt: null,
    };
    this.requests.set(record.id, record);
    return { ...record };
  }
  async find(id: string) {
    const record = this.requests.get(id);
    return record ? { ...record } : null;
  }
  async list(status: DelistingStatus | undefined, limit: number) {
    return [...this.requests.values()].filter((r) => !status || r.status === status).slice(0, limit);
  }
  async markVerified(id: string, now: Date, method: Exclude<ProofMethod, 'review'>) {
    const r = this.requests.get(id)!;
    if (r.status !== 'pending_proof' && r.status !== 'awaiting_review') return false;
    Object.assign(r, { status: 'verified', verifiedAt: now, proofMethod: method });
    return true;
  }
  async requestReview(id: string, reason: string, contact: string | null, now: Date) {
    const r = this.requests.get(id)!;
    if (this.raceOnReview || r.status !== 'pending_proof') return false;
    Object.assign(r, { status: 'awaiting_review', reviewRequestedAt: now, proofMethod: 'review', reason, ...(contact ? { contact } : {}) });
    return true;
  }
  async decide(id: string, outcome: 'upheld' | 'rejected', by: string, justification: string, now: Date) {
    const r = this.requests.get(id)!;
    if (!UNREVIEWED.includes(r.status)) return false;
    Object.assign(r, { status: outcome, decidedAt: now, decidedBy: by, justification, contact: null });
    return true;
  }
  async countRecentForIp(ipKey: string, since: Date) {
    return [...this.requests.values()].filter((r) => r.ipKey === ipKey && r.createdAt >= since).length;
  }
}

/** Fixed windows per (name, subject), as many hits as the service asks for. */
class FakeLimiter {
  readonly hits = new Map<string, number>();
  readonly asked = new Set<string>();
  async enforce(name: string, subject: string, limit: number, windowMs: number, message: string) {
    this.asked.add(`${name} ${limit}/${windowMs}`);
    const key = `${name}|${subject}`;
    const count = (this.hits.get(key) ?? 0) + 1;
    this.hits.set(key, count);
    if (count > limit) throw DomainError.tooManyRequests(message, windowMs / 1000);
  }
}

/** What each IP serves at its proof URLs, by scheme. */
class FakeVerifier {
  readonly served = new Map<string, { scheme: ProofScheme; token: string }>();
  fetches = 0;
  async verifyBy(ip: string, requestId: string, token: string) {
    this.fetches++;
    const found = this.served.get(`${ip} ${requestId}`);
    return found?.token === token ? found.scheme : null;
  }
}

function setup() {
  const clock = new FixedClock(NOW);
  const repository = new FakeDelistingRepository(clock);
  const limiter = new FakeLimiter();
  const verifier = new FakeVerifier();
  const audited: Array<[string, string, string | null, unknown]> = [];
  const audit = { record: async (actor: string, action: string, target: string | null, details: unknown) => void audited.push([actor, action, target, details]) } as unknown as AuditService;
  const service = new DelistingService(repository as unknown as DelistingRepository, verifier as unknown as ProofVerifier, limiter as unknown as RateLimiterService, audit, clock);
  return { service, repository, limiter, verifier, audited, clock };
}

async function refusal(promise: Promise<unknown>): Promise<{ code: string; message: string; headers?: Record<string, string> }> {
  const error = (await promise.catch((e: unknown) => e)) as DomainError;
  if (!(error instanceof DomainError)) throw new Error(`expected a DomainError, got ${String(error)}`);
  return { code: error.code, message: error.message, ...(error.headers ? { headers: error.headers } : {}) };
}

describe('DelistingService.create', () => {
  it('stores a pending request under the IP key with only the hash of a fresh token, and tells how to prove control', async () => {
    const { service, repository } = setup();
    const created = await service.create(IP, '192.0.2.50', { reason: 'shared hosting', contact: 'noc@example.net' });
    expect(created.token).toMatch(/^quorum-delisting-[A-Za-z0-9_-]{24}$/);
    expect(repository.requests.get(created.record.id)).toMatchObject({ ip: IP, ipKey: IP, status: 'pending_proof', tokenHash: hashToken(created.token), reason: 'shared hosting', contact: 'noc@example.net' });
    expect(created.proofUrl).toBe(`http://${IP}/.well-known/quorum-delisting/${created.record.id}`);
    expect(created.proof.serve_file.content).toBe(created.token);
    expect((await service.create(IP, '192.0.2.50')).token).not.toBe(created.token);
  });

  it('keys an IPv6 request by its /64 and brackets it in the proof URL', async () => {
    const { service } = setup();
    const created = await service.create('2a00:1450:4001:81a::200e', 'src');
    expect(created.record.ipKey).toBe('2a00:1450:4001:81a::/64');
    expect(created.proofUrl).toBe(`http://[2a00:1450:4001:81a::200e]/.well-known/quorum-delisting/${created.record.id}`);
  });

  it('refuses text that is no address, and special-purpose addresses', async () => {
    const { service, repository } = setup();
    expect(await refusal(service.create('81.2.69.300', 'src'))).toMatchObject({ code: 'invalid_ip' });
    expect(await refusal(service.create('10.1.2.3', 'src'))).toMatchObject({ code: 'reserved_ip' });
    expect(await refusal(service.create('::1', 'src'))).toMatchObject({ code: 'reserved_ip' });
    expect(repository.requests.size).toBe(0);
  });

  it('allows five requests a day for one IP key (an IPv6 /64 counts as one), counting the last 24 hours only', async () => {
    const { service, clock } = setup();
    for (let i = 0; i < 5; i++) await service.create(`2a00:1450:4001:81a::${i + 1}`, `src-${i}`);
    expect(await refusal(service.create('2a00:1450:4001:81a::99', 'src-5'))).toEqual({
      code: 'rate_limited',
      message: 'Too many delisting requests for this IP today',
      headers: { 'retry-after': '3600' },
    });
    expect((await service.create('2a00:1450:4001:81b::1', 'src-6')).record.ipKey).toBe('2a00:1450:4001:81b::/64');
    clock.advance(24 * HOUR);
    expect(await refusal(service.create('2a00:1450:4001:81a::99', 'src-7'))).toMatchObject({ code: 'rate_limited' });
    clock.advance(1);
    expect((await service.create('2a00:1450:4001:81a::99', 'src-8')).record.status).toBe('pending_proof');
  });

  it('limits each requesting address to five requests an hour', async () => {
    const { service, limiter } = setup();
    for (let i = 0; i < 5; i++) await service.create(`81.2.69.${i + 1}`, 'one-source');
    expect(await refusal(service.create('81.2.69.9', 'one-source'))).toMatchObject({ code: 'rate_limited', message: 'Too many delisting requests from this address' });
    expect(limiter.asked).toEqual(new Set(['delisting-source 5/3600000']));
  });
});

describe('DelistingService proofs', () => {
  async function pending(context = setup()) {
    const created = await context.service.create(IP, 'holder');
    return { ...context, id: created.record.id, token: created.token };
  }

  it('verifies a token served over HTTPS, records the scheme and audits it', async () => {
    const { service, verifier, audited, id, token } = await pending();
    verifier.served.set(`${IP} ${id}`, { scheme: 'https', token });
    expect(await service.verify(id, token, 'holder')).toMatchObject({ status: 'verified', proofMethod: 'https', verifiedAt: NOW });
    expect(audited).toEqual([['ip-holder', 'delisting.verified', `delisting:${id}`, { method: 'https' }]]);
  });

  it('answers proof_not_found, naming both URLs, when the IP does not serve the token', async () => {
    const { service, verifier, repository, id, token } = await pending();
    verifier.served.set(`${IP} ${id}`, { scheme: 'http', token: 'something else' });
    expect(await refusal(service.verify(id, token, 'holder'))).toEqual({
      code: 'proof_not_found',
      message: `The token was not served at http://${IP}/.well-known/quorum-delisting/${id} nor at https://${IP}/.well-known/quorum-delisting/${id}`,
    });
    expect(repository.requests.get(id)?.status).toBe('pending_proof');
  });

  it('refuses a wrong token and an unknown or malformed id before fetching anything', async () => {
    const { service, verifier, id } = await pending();
    expect(await refusal(service.verify(id, 'quorum-delisting-guess', 'holder'))).toMatchObject({ code: 'forbidden' });
    expect(await refusal(service.verify(randomUUID(), 'x', 'holder'))).toMatchObject({ code: 'not_found' });
    expect(await refusal(service.verify("1' OR '1'='1", 'x', 'holder'))).toMatchObject({ code: 'not_found' });
    expect(verifier.fetches).toBe(0);
  });

  it('returns a request already proven or decided as it is, without fetching again', async () => {
    const { service, verifier, audited, id, token } = await pending();
    verifier.served.set(`${IP} ${id}`, { scheme: 'http', token });
    await service.verify(id, token, 'holder');
    await service.review(id, 'rejected', 'seen by a honeypot', 'op1');
    expect(await service.verify(id, token, 'holder')).toMatchObject({ status: 'rejected', proofMethod: 'http' });
    expect(await service.proveFromAgent(id, token, IP)).toMatchObject({ status: 'rejected' });
    expect(verifier.fetches).toBe(1);
    expect(audited.map(([, action]) => action)).toEqual(['delisting.verified', 'delisting.rejected']);
  });

  it('accepts an agent proof sent from the IP (any address of an IPv6 /64) and refuses one from elsewhere', async () => {
    const context = setup();
    const v6 = await context.service.create('2a00:1450:4001:81a::200e', 'holder');
    expect(await context.service.proveFromAgent(v6.record.id, v6.token, '2a00:1450:4001:81a::1')).toMatchObject({ status: 'verified', proofMethod: 'agent' });
    const { service, repository, id, token } = await pending(context);
    expect(await refusal(service.proveFromAgent(id, token, '81.2.69.161'))).toMatchObject({ code: 'proof_wrong_source', message: expect.stringContaining(`whose public address is ${IP}`) });
    expect(await refusal(service.proveFromAgent(id, token, 'not-an-ip'))).toMatchObject({ code: 'proof_wrong_source' });
    expect(repository.requests.get(id)?.status).toBe('pending_proof');
  });

  it('limits verification attempts to twenty an hour per address', async () => {
    const { service, limiter, id } = await pending();
    for (let i = 0; i < 20; i++) await refusal(service.verify(id, 'wrong', 'guesser'));
    expect(await refusal(service.verify(id, 'wrong', 'guesser'))).toMatchObject({ code: 'rate_limited', message: 'Too many verification attempts' });
    expect(limiter.asked.has('delisting-verify 20/3600000')).toBe(true);
  });
});

describe('DelistingService reasoned reviews and decisions', () => {
  async function pending(statement = {}) {
    const context = setup();
    const created = await context.service.create(IP, 'holder', statement);
    return { ...context, id: created.record.id, token: created.token };
  }

  it('moves an unproven request to an operator with the reason, keeping the earlier contact when none is given, and it may still be proven', async () => {
    const { service, verifier, audited, clock, id, token } = await pending({ contact: 'noc@example.net' });
    clock.advance(HOUR);
    const record = await service.requestReview(id, token, { reason: 'carrier-grade NAT' }, 'holder');
    expect(record).toMatchObject({ status: 'awaiting_review', proofMethod: 'review', reason: 'carrier-grade NAT', contact: 'noc@example.net', reviewRequestedAt: new Date(NOW.getTime() + HOUR) });
    expect(audited).toEqual([['ip-holder', 'delisting.review_requested', `delisting:${id}`, null]]);
    verifier.served.set(`${IP} ${id}`, { scheme: 'http', token });
    expect(await service.verify(id, token, 'holder')).toMatchObject({ status: 'verified', proofMethod: 'http' });
  });

  it('refuses a reasoned review once the request left pending_proof, or when it changed meanwhile', async () => {
    const proven = await pending();
    proven.verifier.served.set(`${IP} ${proven.id}`, { scheme: 'http', token: proven.token });
    await proven.service.verify(proven.id, proven.token, 'holder');
    expect(await refusal(proven.service.requestReview(proven.id, proven.token, { reason: 'r' }, 'holder'))).toEqual({
      code: 'conflict',
      message: 'Request is verified: a reasoned review can only replace a missing proof',
    });
    const raced = await pending();
    raced.repository.raceOnReview = true;
    expect(await refusal(raced.service.requestReview(raced.id, raced.token, { reason: 'r' }, 'holder'))).toEqual({ code: 'conflict', message: 'The request changed meanwhile: read it again' });
    expect(raced.audited).toEqual([]);
  });

  it("records an operator's decision on a waiting request, clears the holder's contact, and refuses to decide twice or before any proof or reason", async () => {
    const { service, audited, id, token } = await pending({ contact: 'noc@example.net' });
    expect(await refusal(service.review(id, 'upheld', 'too early', 'op1'))).toEqual({ code: 'conflict', message: 'Request is pending_proof: only verified requests can be reviewed' });
    await service.requestReview(id, token, { reason: 'NAT' }, 'holder');
    expect(await service.review(id, 'upheld', 'listed for cause', 'op1')).toMatchObject({ status: 'upheld', decidedBy: 'operator:op1', justification: 'listed for cause', contact: null, decidedAt: NOW });
    expect(audited.at(-1)).toEqual(['operator:op1', 'delisting.upheld', `delisting:${id}`, { justification: 'listed for cause' }]);
    expect(await refusal(service.review(id, 'rejected', 'again', 'op2'))).toMatchObject({ code: 'conflict', message: expect.stringContaining('upheld') });
  });
});
