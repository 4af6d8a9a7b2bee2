import type { AgentsLifecycle } from '../agents/agents.erasure.js';
import type { AppConfig } from '../config/app-config.js';
import type { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import { FixedClock } from '../infra/clock/clock.js';
import type { DataLifecycle } from './data-lifecycle.js';
import type { DataLifecycles } from './data-lifecycles.js';
import type { ErasureEntry } from './erasure-ledger.repository.js';
import type { ErasureLedgerService } from './erasure-ledger.service.js';
import type { IpDataService } from './ip-data.service.js';
import { LedgerReplayService } from './ledger-replay.service.js';
import type { OrganizationErasureService } from './organization-erasure.service.js';
import { ipAddressSubject, ipSubject, organizationSubject } from './subject-hash.js';

const SECRET = 'pseudonym-secret-for-tests-0123456789';
const NOW = new Date('2026-12-07T03:00:00.000Z');
const DAY = 86_400_000;
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const ORG_ERASED = '00000000-0000-4000-8000-0000000000e1';
const ORG_KEPT = '00000000-0000-4000-8000-0000000000e2';

/**
 * A restored database in memory: the organisations the agents domain holds, the IPs two domains hold,
 * and what the replay erased or protected, in order.
 */
function setup(ledger: ErasureEntry[]) {
  const done: string[] = [];
  const held = [
    { keys: ['81.2.69.160', '81.2.69.161'], addresses: [{ ip: '2a00:1450:4001:81a::1', key: '2a00:1450:4001:81a::/64' }] },
    // the same key held by a second domain is erased once
    { keys: ['81.2.69.160'], addresses: [{ ip: '2a00:1450:4001:81a::2', key: '2a00:1450:4001:81a::/64' }] },
  ];
  const lifecycles = { all: () => held.map((h) => ({ heldIps: async () => h }) as unknown as DataLifecycle) } as unknown as DataLifecycles;
  const agents = { organizationIds: async () => [ORG_ERASED, ORG_KEPT] } as unknown as AgentsLifecycle;
  const organizations = {
    erase: async (id: string, actor: string) => void done.push(`erase org ${id} by ${actor}`),
    purgeLeftovers: async () => (done.push('purge leftovers'), 0),
  } as unknown as OrganizationErasureService;
  const ipData = { erase: async (key: string, address: string, now: Date, requestId: string | null) => void done.push(`erase ip ${key} ${address} ${now.toISOString()} ${requestId}`) } as unknown as IpDataService;
  const markers = { protect: async (subject: string, since: Date, until: Date) => void done.push(`protect ${subject} ${since.toISOString()} ${until.toISOString()}`) } as unknown as ConsensusLifecycle;
  const ledgerService = { entries: async () => ledger } as unknown as ErasureLedgerService;
  const config = { privacy: { pseudonymSecret: SECRET, protectionDays: 30 } } as unknown as AppConfig;
  const service = new LedgerReplayService(ledgerService, agents, lifecycles, markers, organizations, ipData, new FixedClock(NOW), config);
  return { service, done };
}

describe('LedgerReplayService.replay', () => {
  it('erases again the organisations the ledger names by keyed hash, then finishes half-erased ones', async () => {
    const { service, done } = setup([{ kind: 'organization', subject: organizationSubject(SECRET, ORG_ERASED), erasedAt: daysAgo(40) }]);
    expect(await service.replay()).toEqual({ entries: 1, organizations: 1, ipKeys: 0, ipv6Addresses: 0, markers: 0 });
    expect(done).toEqual([`erase org ${ORG_ERASED} by erasure-ledger-replay`, 'purge leftovers']);
  });

  it('erases each held IPv4 key and IPv6 address once when the ledger names it, store by store', async () => {
    const { service, done } = setup([
      { kind: 'ip', subject: ipSubject(SECRET, '81.2.69.160'), erasedAt: daysAgo(40) },
      { kind: 'ip_address', subject: ipAddressSubject(SECRET, '2a00:1450:4001:81a::2'), erasedAt: daysAgo(40) },
    ]);
    expect(await service.replay()).toMatchObject({ entries: 2, ipKeys: 1, ipv6Addresses: 1 });
    expect(done.filter((d) => d.startsWith('erase ip'))).toEqual([
      `erase ip 81.2.69.160 81.2.69.160 ${NOW.toISOString()} null`,
      `erase ip 2a00:1450:4001:81a::/64 2a00:1450:4001:81a::2 ${NOW.toISOString()} null`,
    ]);
  });

  it('matches a subject only under its own kind and secret', async () => {
    const { service, done } = setup([
      // an IP's hash filed as an organisation, an address's hash as a key, a hash under another secret
      { kind: 'organization', subject: ipSubject(SECRET, '81.2.69.161'), erasedAt: daysAgo(40) },
      { kind: 'ip', subject: ipAddressSubject(SECRET, '2a00:1450:4001:81a::1'), erasedAt: daysAgo(40) },
      { kind: 'organization', subject: organizationSubject('another-secret-0123456789abcdef', ORG_KEPT), erasedAt: daysAgo(40) },
    ]);
    expect(await service.replay()).toMatchObject({ organizations: 0, ipKeys: 0, ipv6Addresses: 0 });
    expect(done).toEqual(['purge leftovers']);
  });

  it('sets again the protection markers of IP erasures younger than the protection period', async () => {
    const young = ipSubject(SECRET, '192.0.2.1'); // no longer held: the marker is set all the same
    const { service, done } = setup([
      { kind: 'ip', subject: young, erasedAt: daysAgo(29) },
      { kind: 'ip', subject: ipSubject(SECRET, '192.0.2.2'), erasedAt: daysAgo(30) },
      { kind: 'ip_address', subject: ipAddressSubject(SECRET, '2001:db8::1'), erasedAt: daysAgo(1) },
    ]);
    expect((await service.replay()).markers).toBe(1);
    expect(done.filter((d) => d.startsWith('protect'))).toEqual([`protect ${young} ${daysAgo(29).toISOString()} ${new Date(daysAgo(29).getTime() + 30 * DAY).toISOString()}`]);
  });
});
