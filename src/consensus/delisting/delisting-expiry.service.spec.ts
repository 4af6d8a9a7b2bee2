import type { AuditService } from '../../audit/audit.service.js';
import { FixedClock } from '../../infra/clock/clock.js';
import type { MetricsService } from '../../infra/metrics/metrics.service.js';
import { DelistingExpiryService } from './delisting-expiry.service.js';
import type { DelistingRepository } from './delisting.repository.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const NOW = new Date('2026-12-07T12:00:00.000Z');
const ago = (ms: number) => new Date(NOW.getTime() - ms);

type Status = 'pending_proof' | 'verified' | 'suppressed' | 'awaiting_review' | 'upheld' | 'expired';
interface Request {
  id: string;
  status: Status;
  createdAt: Date;
  verifiedAt: Date | null;
  reviewRequestedAt: Date | null;
  escalatedAt: Date | null;
  closedAt: Date | null;
  justification: string | null;
}

const UNREVIEWED: readonly Status[] = ['verified', 'suppressed', 'awaiting_review'];

/** The delisting requests in memory, selected by state and cutoff as the repository's statements do. */
class FakeDelistingRepository {
  constructor(readonly requests: Request[]) {}
  private waitingBefore(r: Request, cutoff: Date): boolean {
    return (r.verifiedAt !== null && r.verifiedAt < cutoff) || (r.status === 'awaiting_review' && r.reviewRequestedAt !== null && r.reviewRequestedAt < cutoff);
  }
  async deleteUnproven(createdBefore: Date): Promise<number> {
    const before = this.requests.length;
    this.requests.splice(0, this.requests.length, ...this.requests.filter((r) => !(r.status === 'pending_proof' && r.createdAt < createdBefore)));
    return before - this.requests.length;
  }
  async escalate(verifiedBefore: Date, now: Date): Promise<string[]> {
    const hit = this.requests.filter((r) => UNREVIEWED.includes(r.status) && r.escalatedAt === null && this.waitingBefore(r, verifiedBefore));
    for (const r of hit) r.escalatedAt = now;
    return hit.map((r) => r.id);
  }
  async expireUnreviewed(verifiedBefore: Date, now: Date, justification: string): Promise<string[]> {
    const hit = this.requests.filter((r) => UNREVIEWED.includes(r.status) && this.waitingBefore(r, verifiedBefore));
    for (const r of hit) Object.assign(r, { status: 'expired', closedAt: now, justification });
    return hit.map((r) => r.id);
  }
}

function request(id: string, status: Status, fields: Partial<Request>): Request {
  return { id, status, createdAt: ago(40 * DAY), verifiedAt: null, reviewRequestedAt: null, escalatedAt: null, closedAt: null, justification: null, ...fields };
}

function setup(requests: Request[]) {
  const repository = new FakeDelistingRepository(requests);
  const audited: Array<[string, string, string | null]> = [];
  const audit = { record: async (actor: string, action: string, target: string | null) => void audited.push([actor, action, target]) } as unknown as AuditService;
  const service = new DelistingExpiryService(repository as unknown as DelistingRepository, audit, {} as MetricsService, new FixedClock(NOW));
  return { service, repository, audited };
}

describe('DelistingExpiryService.run', () => {
  it('deletes unproven requests after 7 days, escalates unreviewed ones after 72 h and expires them after 30 days, each audited', async () => {
    const { service, repository, audited } = setup([
      request('unproven-old', 'pending_proof', { createdAt: ago(7 * DAY + 1) }),
      request('unproven-new', 'pending_proof', { createdAt: ago(7 * DAY) }),
      request('proven-4d', 'verified', { verifiedAt: ago(4 * DAY) }),
      request('proven-2d', 'suppressed', { verifiedAt: ago(2 * DAY) }),
      request('reasoned-31d', 'awaiting_review', { reviewRequestedAt: ago(31 * DAY) }),
      request('reviewed', 'upheld', { verifiedAt: ago(35 * DAY) }),
    ]);
    const report = await service.run();
    expect(report).toEqual({ deletedUnproven: 1, escalated: ['proven-4d'], expired: ['reasoned-31d'] });
    expect(repository.requests.map((r) => `${r.id} ${r.status}${r.escalatedAt ? ' escalated' : ''}`)).toEqual([
      'unproven-new pending_proof',
      'proven-4d verified escalated',
      'proven-2d suppressed',
      'reasoned-31d expired',
      'reviewed upheld',
    ]);
    expect(repository.requests.find((r) => r.id === 'reasoned-31d')?.justification).toMatch(/No operator review within 30 days/);
    expect(audited).toEqual([
      ['rule', 'delisting.escalated', 'delisting:proven-4d'],
      ['rule', 'delisting.expired_unreviewed', 'delisting:reasoned-31d'],
    ]);
  });

  it('expires a request past 30 days without escalating it first in the same run', async () => {
    const { service, audited } = setup([request('proven-31d', 'verified', { verifiedAt: ago(31 * DAY) })]);
    expect(await service.run()).toEqual({ deletedUnproven: 0, escalated: [], expired: ['proven-31d'] });
    expect(audited.map(([, action]) => action)).toEqual(['delisting.expired_unreviewed']);
  });

  it('changes nothing on a second run at the same time, and the job reports skipped', async () => {
    const { service, audited } = setup([
      request('unproven-old', 'pending_proof', { createdAt: ago(8 * DAY) }),
      request('proven-4d', 'verified', { verifiedAt: ago(4 * DAY) }),
    ]);
    expect(await service.handle()).toBe('done');
    const after = audited.length;
    expect(await service.run()).toEqual({ deletedUnproven: 0, escalated: [], expired: [] });
    expect(await service.handle()).toBe('skipped');
    expect(audited).toHaveLength(after);
  });
});
