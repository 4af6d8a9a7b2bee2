import { VoteStore } from './votes.js';

const NONE = -1;

/** A store with `ips` x `agents` entries (every pair), created in a seeded shuffled order. */
function filled(ips: number, agents: number, seed = 11) {
  const votes = new VoteStore();
  const ipHead = new Int32Array(ips).fill(NONE);
  const agentHead = new Int32Array(agents).fill(NONE);
  const pairs: Array<[number, number]> = [];
  for (let x = 0; x < ips; x++) for (let r = 0; r < agents; r++) pairs.push([x, r]);
  let s = seed;
  for (let i = pairs.length - 1; i > 0; i--) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    const j = s % (i + 1);
    [pairs[i], pairs[j]] = [pairs[j], pairs[i]];
  }
  for (const [x, r] of pairs) votes.create(x, r, x * 1000 + r, 1, 0, ipHead, agentHead);
  return { votes, ipHead, agentHead };
}

function list(head: number, next: Int32Array): number[] {
  const out: number[] = [];
  for (let e = head; e !== NONE; e = next[e]) out.push(e);
  return out;
}

/** Both lists hold exactly the live entries, each once, and the reporter lists link back correctly. */
function expectConsistent(votes: VoteStore, ipHead: Int32Array, agentHead: Int32Array, live: Set<string>): void {
  const byIp = new Set<string>();
  for (let x = 0; x < ipHead.length; x++) {
    for (const e of list(ipHead[x], votes.nextByIp)) {
      expect(votes.ip[e]).toBe(x);
      byIp.add(`${x}/${votes.agent[e]}`);
    }
  }
  expect(byIp).toEqual(live);
  const byAgent = new Set<string>();
  for (let r = 0; r < agentHead.length; r++) {
    let prev = NONE;
    for (const e of list(agentHead[r], votes.nextByAgent)) {
      expect(votes.agent[e]).toBe(r);
      expect(votes.prevByAgent[e]).toBe(prev);
      prev = e;
      byAgent.add(`${votes.ip[e]}/${r}`);
    }
  }
  expect(byAgent).toEqual(live);
  expect(votes.live).toBe(live.size);
  for (const key of live) {
    const [x, r] = key.split('/').map(Number);
    expect(votes.find(x, r)).not.toBe(NONE);
  }
}

describe('VoteStore pruning', () => {
  it('sweeps a share of the IP table per call, the whole table within one period, and keeps both lists consistent', () => {
    const { votes, ipHead, agentHead } = filled(200, 7);
    const dead = (e: number) => (votes.ip[e] + votes.agent[e]) % 3 === 0;
    const live = new Set<string>();
    for (let x = 0; x < 200; x++) for (let r = 0; r < 7; r++) if ((x + r) % 3 !== 0) live.add(`${x}/${r}`);
    const period = 60_000;
    expect(votes.sweepDue(ipHead, 200, agentHead, 1_000, period, dead)).toBe(0); // first call: starts the clock
    // A tenth of the period visits a tenth of the IPs: some expired entries are still there.
    const first = votes.sweepDue(ipHead, 200, agentHead, 1_000 + period / 10, period, dead);
    expect(first).toBeGreaterThan(0);
    expect(votes.live).toBeGreaterThan(live.size);
    // Calls spread over the rest of the period (irregular cadence) finish the sweep.
    let removed = first;
    for (const at of [9_000, 9_500, 30_000, 30_001, 45_000, 61_000]) removed += votes.sweepDue(ipHead, 200, agentHead, at, period, dead);
    expect(removed).toBe(200 * 7 - live.size);
    expectConsistent(votes, ipHead, agentHead, live);
    expect(votes.find(0, 0)).toBe(NONE);
  });

  it('reuses freed entries without corrupting the lists, and keeps survivors in their order', () => {
    const { votes, ipHead, agentHead } = filled(50, 5, 3);
    const orderBefore = list(ipHead[7], votes.nextByIp).filter((e) => votes.agent[e] !== 2);
    votes.compact(ipHead, 50, agentHead, 5, (e) => votes.agent[e] === 2);
    expect(list(ipHead[7], votes.nextByIp)).toEqual(orderBefore);
    const live = new Set<string>();
    for (let x = 0; x < 50; x++) for (let r = 0; r < 5; r++) if (r !== 2) live.add(`${x}/${r}`);
    expectConsistent(votes, ipHead, agentHead, live);
    // New entries take the freed slots and are linked at the head of both lists.
    for (let x = 0; x < 50; x += 2) {
      votes.create(x, 2, 5_000, 1, 0, ipHead, agentHead);
      live.add(`${x}/2`);
    }
    expect(votes.capacity).toBe(250);
    expectConsistent(votes, ipHead, agentHead, live);
    // A clock that goes back never sweeps, nor does a second call at the same time.
    expect(votes.sweepDue(ipHead, 50, agentHead, 10_000, 1_000, () => true)).toBe(0);
    expect(votes.sweepDue(ipHead, 50, agentHead, 9_000, 1_000, () => true)).toBe(0);
    expect(votes.sweepDue(ipHead, 50, agentHead, 9_000, 1_000, () => true)).toBe(0);
    expect(votes.sweepDue(ipHead, 50, agentHead, 10_000, 1_000, () => true)).toBe(live.size);
    expectConsistent(votes, ipHead, agentHead, new Set());
  });

  it('finds every live pair and no removed one through growth and random removals (hash index against a Map)', () => {
    const votes = new VoteStore();
    const ips = 5_000;
    const agents = 40;
    const ipHead = new Int32Array(ips).fill(NONE);
    const agentHead = new Int32Array(agents).fill(NONE);
    const reference = new Map<string, number>();
    let s = 99;
    const next = () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0);
    for (let round = 0; round < 6; round++) {
      for (let i = 0; i < 8_000; i++) {
        const x = next() % ips;
        const r = next() % agents;
        if (votes.find(x, r) === NONE) reference.set(`${x}/${r}`, votes.create(x, r, round, 1, 0, ipHead, agentHead));
      }
      const cut = next() % 3;
      votes.compact(ipHead, ips, agentHead, agents, (e) => (votes.ip[e] + votes.agent[e] + round) % 3 === cut);
      for (const [key] of reference) {
        const [x, r] = key.split('/').map(Number);
        if ((x + r + round) % 3 === cut) reference.delete(key);
      }
      expect(votes.live).toBe(reference.size);
      const wrong: string[] = [];
      for (let x = 0; x < ips; x++) {
        for (let r = 0; r < agents; r++) {
          const e = votes.find(x, r);
          if (e !== (reference.get(`${x}/${r}`) ?? NONE) || (e !== NONE && (votes.ip[e] !== x || votes.agent[e] !== r))) wrong.push(`${round}: ${x}/${r} -> ${e}`);
        }
      }
      expect(wrong.slice(0, 5)).toEqual([]);
    }
    expect(reference.size).toBeGreaterThan(5_000); // the index grew through several rehashes
    expectConsistent(votes, ipHead, agentHead, new Set(reference.keys()));
  });
});
