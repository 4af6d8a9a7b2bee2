import type { AgentsLifecycle } from '../agents/agents.erasure.js';
import type { AuditService } from '../audit/audit.service.js';
import type { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { FixedClock } from '../infra/clock/clock.js';
import type { QueueService } from '../infra/queue/queue.service.js';
import type { DataLifecycle, OrganizationSubject, Removed } from './data-lifecycle.js';
import type { DataLifecycles } from './data-lifecycles.js';
import type { ErasureEntry } from './erasure-ledger.repository.js';
import type { ErasureLedgerService } from './erasure-ledger.service.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import type { PrivacyRequestRecord, PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { organizationSubject } from './subject-hash.js';

const SECRET = 'pseudonym-secret-for-tests-0123456789';
const NOW = new Date('2026-12-07T03:00:00.000Z');
const ORG = '00000000-0000-4000-8000-0000000000a1';
const HALF_ERASED = '00000000-0000-4000-8000-0000000000a2';

/** The privacy_request table in memory. */
class FakeRequests {
  readonly rows = new Map<string, PrivacyRequestRecord>();
  async create(data: { kind: string; subject: string; ip: string | null; status: string; tokenHash: string | null; now: Date }) {
    const record = { id: `req-${this.rows.size + 1}`, kind: data.kind, subject: data.subject, ip: data.ip, status: data.status, tokenHash: data.tokenHash, grounds: null, outcome: null, createdAt: data.now, verifiedAt: null, closedAt: null } as PrivacyRequestRecord;
    this.rows.set(record.id, record);
    return { ...record };
  }
  async close(id: string, status: 'completed' | 'refused', now: Date, outcome: Record<string, unknown>, grounds: string | null = null) {
    const record = Object.assign(this.rows.get(id)!, { status, closedAt: now, verifiedAt: now, ip: null, tokenHash: null, grounds, outcome });
    return { ...record };
  }
}

/** A domain's lifecycle that logs each call into `log` and removes the given rows. */
function domain(name: string, log: string[], identifiers: string[], removed: Removed): DataLifecycle {
  return {
    identifiersOf: async (id: string) => (log.push(`${name} identifiers ${id}`), identifiers),
    eraseOrganization: async (subject: OrganizationSubject) => (log.push(`${name} erase ${subject.organizationId} [${subject.identifiers.join(',')}]`), removed),
  } as unknown as DataLifecycle;
}

function setup() {
  const clock = new FixedClock(NOW);
  const log: string[] = [];
  // the agents domain knows ORG (live) and HALF_ERASED (erased mark set, rows left by a crash)
  const live = new Set([ORG, HALF_ERASED]);
  const agents = {
    begin: async (id: string, now: Date) => {
      log.push(`begin ${id}`);
      return live.has(id) ? { organizationId: id, agentIds: ['a1', 'a2'], owner: 'owner-pseudonym', reporters: ['r1', 'r2'], now } : null;
    },
    erasedOrganizations: async () => [HALF_ERASED, '00000000-0000-4000-8000-0000000000ff'],
  } as unknown as AgentsLifecycle;
  const registered = [
    domain('consensus', log, [], { withdrawn_listings: 2, vote: 7 }),
    domain('signals', log, [], { signal: 40 }),
    domain('audit', log, ['owner@example.net'], { audit_key: 3 }),
    domain('agents', log, ['a1', 'a2', 'key-prefix'], { reporter: 2, agent: 2, organization: 1, signal: 1 }),
  ];
  const lifecycles = { all: () => registered } as unknown as DataLifecycles;
  const requests = new FakeRequests();
  const ledgerEntries: ErasureEntry[] = [];
  const ledger = { record: async (entries: ErasureEntry[]) => (log.push('ledger'), void ledgerEntries.push(...entries)) } as unknown as ErasureLedgerService;
  const queued: Array<[string, object, string | undefined]> = [];
  let queueDown = false;
  const queues = {
    enqueue: async (name: string, data: object, id?: string) => {
      if (queueDown) throw new Error('redis down');
      queued.push([name, data, id]);
    },
  } as unknown as QueueService;
  const audited: Array<[string, string, string | null, unknown]> = [];
  const audit = { record: async (actor: string, action: string, target: string | null, details: unknown) => void audited.push([actor, action, target, details]) } as unknown as AuditService;
  const config = { privacy: { pseudonymSecret: SECRET } } as unknown as AppConfig;
  const service = new OrganizationErasureService(agents, lifecycles, requests as unknown as PrivacyRequestsRepository, queues, audit, ledger, clock, config);
  return { service, log, requests, ledgerEntries, queued, audited, takeQueueDown: () => (queueDown = true) };
}

describe('OrganizationErasureService.erase', () => {
  it('revokes first, writes the ledger, then has every domain erase in order with the identifiers all gathered beforehand', async () => {
    const { service, log, ledgerEntries } = setup();
    await service.erase(ORG, 'operator:ops');
    const ids = 'owner@example.net,a1,a2,key-prefix';
    expect(log).toEqual([
      `begin ${ORG}`,
      'ledger',
      `consensus identifiers ${ORG}`,
      `signals identifiers ${ORG}`,
      `audit identifiers ${ORG}`,
      `agents identifiers ${ORG}`,
      `consensus erase ${ORG} [${ids}]`,
      `signals erase ${ORG} [${ids}]`,
      `audit erase ${ORG} [${ids}]`,
      `agents erase ${ORG} [${ids}]`,
    ]);
    expect(ledgerEntries).toEqual([{ kind: 'organization', subject: organizationSubject(SECRET, ORG), erasedAt: NOW }]);
  });

  it('closes the request as completed with counts summed across domains, audits it under the keyed hash and queues a rescoring', async () => {
    const { service, requests, audited, queued } = setup();
    const closed = await service.erase(ORG, 'operator:ops');
    const subject = organizationSubject(SECRET, ORG);
    expect(closed).toMatchObject({ id: 'req-1', kind: 'organization_erasure', subject, status: 'completed', closedAt: NOW });
    expect(closed.outcome).toEqual({ agents: 2, signals: 41, reporters: 2, withdrawnListings: 2, purgedRows: 58, keyDestroyed: true });
    expect(JSON.stringify([...requests.rows.values()])).not.toContain(ORG);
    expect(audited).toEqual([['operator:ops', 'privacy.organization_erased', 'privacy:req-1', { subject, agents: 2, signals: 41, reporters: 2, withdrawnListings: 2 }]]);
    expect(queued).toEqual([['consensus-recompute', { reason: 'organization_erasure' }, 'consensus-recompute-erasure-req-1']]);
  });

  it('still completes when the rescoring cannot be queued (the periodic recompute catches up)', async () => {
    const { service, takeQueueDown, queued } = setup();
    takeQueueDown();
    expect((await service.erase(ORG, 'operator:ops')).status).toBe('completed');
    expect(queued).toEqual([]);
  });

  it('refuses an unknown organisation: the request is closed as refused and nothing is erased or recorded', async () => {
    const { service, log, requests, ledgerEntries, audited } = setup();
    const unknown = '00000000-0000-4000-8000-0000000000ff';
    const error = (await service.erase(unknown, 'operator:ops').catch((e: unknown) => e)) as DomainError;
    expect([error.code, error.message]).toEqual(['not_found', 'Organisation not found']);
    expect(requests.rows.get('req-1')).toMatchObject({ status: 'refused', grounds: 'unknown_organization', closedAt: NOW });
    expect(log).toEqual([`begin ${unknown}`]);
    expect(ledgerEntries).toEqual([]);
    expect(audited).toEqual([]);
  });
});

describe('OrganizationErasureService.purgeLeftovers', () => {
  it('finishes the erasures an interruption left, skipping those already gone, without a new request or ledger entry', async () => {
    const { service, log, requests, ledgerEntries } = setup();
    expect(await service.purgeLeftovers()).toBe(1);
    expect(log.filter((l) => l.includes(' erase '))).toHaveLength(4);
    expect(log.filter((l) => l.startsWith('begin'))).toEqual([`begin ${HALF_ERASED}`, 'begin 00000000-0000-4000-8000-0000000000ff']);
    expect(requests.rows.size).toBe(0);
    expect(ledgerEntries).toEqual([]);
  });
});
