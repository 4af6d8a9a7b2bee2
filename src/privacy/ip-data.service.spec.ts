import type { BlocklistLifecycle } from '../blocklist/blocklist.erasure.js';
import type { ConsensusLifecycle } from '../consensus/consensus.erasure.js';
import type { SignalsFeed } from '../signals/signals-feed.js';
import type { DataLifecycle, IpSubject, Removed } from './data-lifecycle.js';
import type { DataLifecycles } from './data-lifecycles.js';
import { COPY_LIMIT, IpDataService } from './ip-data.service.js';

const NOW = new Date('2026-12-07T03:00:00.000Z');
const KEY6 = '2a00:1450:4001:81a::/64';
const A1 = '2a00:1450:4001:81a::1';
const A2 = '2a00:1450:4001:81a::2';
const T = (h: number) => new Date(NOW.getTime() - h * 3_600_000);

/** Raw signals by address, the consensus aggregate of one key and one blocklist row, in memory. */
function setup() {
  const signalAddresses = new Map<string, string[]>([[KEY6, [A1, A2]]]);
  const asked: string[] = [];
  const signals = {
    held: async (ipKey: string, address: string | null, limit: number) => {
      asked.push(`signals ${ipKey} ${address} ${limit}`);
      return {
        count: 3,
        oldest: T(5),
        newest: T(1),
        sources: ['crowdsec'],
        scenarios: ['ssh-bf'],
        copy: [{ ip: A1, receivedAt: T(1), source: 'crowdsec', scenario: 'ssh-bf', startedAt: T(2), stoppedAt: T(1) }],
      };
    },
    otherAddressesLeft: async (ipKey: string, address: string) => (signalAddresses.get(ipKey) ?? []).some((a) => a !== address),
  } as unknown as SignalsFeed;
  const consensus = {
    held: async (ipKey: string, address: string | null, limit: number) => {
      asked.push(`consensus ${ipKey} ${address} ${limit}`);
      return {
        aggregate: { score: 0.8, reporters: 4, scenarios: ['ssh'], firstSeen: T(5), lastSeen: T(1), listed: true, listedUntil: T(-24), honeypot: false },
        explanations: { count: 1, newest: T(1) },
        delistingRequests: 2,
        copy: { explanations: [{ listedAt: T(1), reason: 'consensus', score: 0.8, scenarioClasses: ['ssh'], firstSeen: T(5), lastSeen: T(1) }], delistingRequests: [{ status: 'rejected', createdAt: T(3), closedAt: T(2) }] },
      };
    },
  } as unknown as ConsensusLifecycle;
  let openUntil: Date | null = T(-24);
  const blocklist = {
    held: async (ipKey: string, limit: number) => {
      asked.push(`blocklist ${ipKey} ${limit}`);
      return { openUntil, copy: [{ value: ipKey, scenarioClass: 'ssh', until: T(-24), open: openUntil !== null }] };
    },
  } as unknown as BlocklistLifecycle;
  const erased: IpSubject[] = [];
  const domain = (removed: Removed) => ({ eraseIp: async (subject: IpSubject) => (erased.push(subject), removed) }) as unknown as DataLifecycle;
  const lifecycles = { all: () => [domain({ signal: 3, privacy_request: 1 }), domain({ ip_score: 1 }), domain({ signal: 2, blocklist_entry: 4 })] } as unknown as DataLifecycles;
  const service = new IpDataService(signals, consensus, blocklist, lifecycles);
  return { service, asked, erased, signalAddresses, closeListing: () => (openUntil = null) };
}

describe('IpDataService.held', () => {
  it("gathers every domain's data on the key, narrowed to the address where a store holds addresses, copies bounded", async () => {
    const { service, asked } = setup();
    const held = await service.held(KEY6, A1);
    expect(asked).toEqual([`signals ${KEY6} ${A1} ${COPY_LIMIT}`, `consensus ${KEY6} ${A1} ${COPY_LIMIT}`, `blocklist ${KEY6} ${COPY_LIMIT}`]);
    expect(held).toMatchObject({
      aggregate: { score: 0.8, listed: true },
      signals: { count: 3, oldest: T(5), newest: T(1), sources: ['crowdsec'], scenarios: ['ssh-bf'] },
      explanations: { count: 1, newest: T(1) },
      openListing: { until: T(-24) },
      delistingRequests: 2,
    });
    expect(held.copy.signals).toHaveLength(1);
    expect(held.copy.explanations[0].reason).toBe('consensus');
    expect(held.copy.blocklist).toEqual([{ value: KEY6, scenarioClass: 'ssh', until: T(-24), open: true }]);
    expect(held.copy.delistingRequests).toEqual([{ status: 'rejected', createdAt: T(3), closedAt: T(2) }]);
    expect(Object.keys(held.signals)).not.toContain('copy');
  });

  it('reports no open listing once the rows are closed', async () => {
    const { service, closeListing } = setup();
    closeListing();
    expect((await service.held('81.2.69.160')).openListing).toBeNull();
  });
});

describe('IpDataService.erase', () => {
  it('erases a whole IPv4 key in every domain and sums what each removed per table', async () => {
    const { service, erased } = setup();
    expect(await service.erase('81.2.69.160', '81.2.69.160', NOW, 'req-1')).toEqual({ signal: 5, privacy_request: 1, ip_score: 1, blocklist_entry: 4 });
    expect(erased).toEqual(Array(3).fill({ ipKey: '81.2.69.160', address: '81.2.69.160', wholeKey: true, requestId: 'req-1', now: NOW }));
  });

  it('erases only the address of an IPv6 /64 while other addresses of it remain in the signals, and the whole key for the last one', async () => {
    const { service, erased, signalAddresses } = setup();
    await service.erase(KEY6, A1, NOW, null);
    expect(erased.map((s) => [s.address, s.wholeKey])).toEqual(Array(3).fill([A1, false]));
    signalAddresses.set(KEY6, [A2]);
    erased.length = 0;
    await service.erase(KEY6, A2, NOW, null);
    expect(erased.map((s) => [s.address, s.wholeKey, s.requestId])).toEqual(Array(3).fill([A2, true, null]));
  });
});
