import { addBackground } from './background.js';
import type { World, WorldAgent } from './world.js';
import { SCENARIOS, type WorldConfig } from './world-config.js';

const DAY = 86_400_000;
const HOUR = 3_600_000;

export interface FamilyVariant {
  family: string;
  variant: string;
  description: string;
  world?: Partial<WorldConfig>;
  params?: Record<string, unknown>;
  /** Large variant: the benchmark runs it only with `--full`. */
  full?: boolean;
  build(w: World): CampaignInfo;
}

/** What a family tells the ground truth about its campaign, if it runs one. */
export interface CampaignInfo {
  campaignStart?: number;
  campaignMinutes?: number;
  /** Distinct owners and ASNs among the attacked members (T8 scope). */
  victimOwners?: number;
  victimAsns?: number;
}

export interface RingOptions {
  sybils: number;
  owners: 'one' | 'each';
  asns: number;
  ageDays: number;
  targets: number;
  /**
   * shared: every sybil reports the whole list in one batch a day; interleaved: every (sybil,
   * target) report at its own random time; disjoint: a different `perTarget` subset per target;
   * drip: the shared list at 2 new targets a day (14 a week, under the collusion threshold).
   */
  strategy: 'shared' | 'interleaved' | 'disjoint' | 'drip';
  perTarget?: number;
  /** burst: all targets in the first 6 hours; spread: evenly over the attack days. */
  schedule?: 'burst' | 'spread';
  complaintPerDay?: number;
}

/** Creates adversary agents spread round-robin over `asns` ASNs (top clouds first). */
export function addAdversaries(w: World, n: number, o: { owners: 'one' | 'each'; asns: number; ageDays: number; role: 'sybil' | 'flooder' | 'copier' | 'framer' | 'replayer'; prefix: string }): WorldAgent[] {
  const out: WorldAgent[] = [];
  const enrolledAt = w.attackStart - o.ageDays * DAY;
  for (let i = 0; i < n; i++) {
    const owner = o.owners === 'one' ? `${o.prefix}-owner` : `${o.prefix}-o${i + 1}`;
    const a = w.addAgent({ owner, asnIdx: i % Math.max(1, o.asns), enrolledAt, kind: 'community', id: `${o.prefix}${i + 1}` });
    w.carryTrust(a, (w.start - enrolledAt) / DAY);
    // A feed copier runs no real service: everything it reports is copied.
    if (o.role === 'copier') a.exposure = 0;
    out.push(a);
    w.adversaries.push({ agent: a.id, owner, asn: a.asn, enrolledAt: new Date(enrolledAt).toISOString(), role: o.role });
  }
  return out;
}

/** Innocent targets: competitors and residential victims, plus a Googlebot and a CDN edge. */
function innocentTargets(w: World, m: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < m - 2; i++) {
    const ip = w.newIp();
    w.innocent.push({ ip, kind: i % 2 === 0 ? 'competitor' : 'residential' });
    out.push(ip);
  }
  out.push(`66.249.66.${1 + w.rng.int(250)}`, `104.16.${w.rng.int(256)}.${1 + w.rng.int(250)}`);
  w.innocent.push({ ip: out[m - 2], kind: 'never-list' }, { ip: out[m - 1], kind: 'never-list' });
  return out;
}

/** A1 / A3: a ring of sybils that tries to list innocent IPs. */
export function sybilRing(w: World, o: RingOptions): void {
  const sybils = addAdversaries(w, o.sybils, { owners: o.owners, asns: o.asns, ageDays: o.ageDays, role: 'sybil', prefix: 'sy' });
  addBackground(w);
  const targets = innocentTargets(w, o.targets);
  w.extras.victims = targets
    .filter((ip) => !ip.startsWith('66.249.') && !ip.startsWith('104.16.'))
    .map((ip) => ({ ip, complaintProbabilityPerDay: o.complaintPerDay ?? 0.3, reviewHours: [2, 72], outcome: 'upheld' as const }));
  const scenario = SCENARIOS[0];
  const jitter = o.strategy === 'shared' ? 10_000 : HOUR;
  const report = (agent: WorldAgent, ip: string, first: number): void => {
    for (let t = first; t < w.end; t += DAY) w.signal(t + w.rng.uniform(0, jitter), agent, ip, scenario);
  };
  const attackDays = (w.end - w.attackStart) / DAY;
  const firstReport = (i: number): number =>
    o.schedule === 'spread' ? w.attackStart + ((i + w.rng.next()) / targets.length) * attackDays * DAY : w.attackStart + w.rng.uniform(0, 6 * HOUR);
  if (o.strategy === 'shared') {
    for (const s of sybils) {
      const at = w.attackStart + w.rng.uniform(0, 6 * HOUR);
      for (const ip of targets) report(s, ip, at);
    }
    return;
  }
  targets.forEach((ip, i) => {
    if (o.strategy === 'disjoint') {
      const picks = w.rng.sample(sybils.length, Math.min(o.perTarget ?? 6, sybils.length));
      const at = firstReport(i);
      for (const j of picks) report(sybils[j], ip, at + w.rng.uniform(0, HOUR));
      return;
    }
    const at = o.strategy === 'drip' ? w.attackStart + Math.floor(i / 2) * DAY : firstReport(i);
    for (const s of sybils) report(s, ip, at + w.rng.uniform(0, HOUR));
  });
}

/** A2: one established agent floods random IPs (plus 20 innocent targets). */
export function flooder(w: World, perDay: number): void {
  const [f] = addAdversaries(w, 1, { owners: 'each', asns: 1, ageDays: 200, role: 'flooder', prefix: 'fl' });
  addBackground(w);
  const targets = innocentTargets(w, 22);
  const n = Math.round((perDay * (w.end - w.attackStart)) / DAY);
  for (let i = 0; i < n; i++) w.signal(w.attackStart + w.rng.next() * (w.end - w.attackStart), f, w.randomIp(), SCENARIOS[i % 2]);
  for (const ip of targets) w.signal(w.attackStart + w.rng.uniform(0, DAY), f, ip, SCENARIOS[0]);
}

/** A4: forged or replayed batches; the ingest gate flags them weight 0 (stale / bad signature / reused nonce). */
export function replayer(w: World): void {
  const victims = w.agents.filter((a) => a.kind === 'community').slice(0, 20);
  addBackground(w);
  const targets = innocentTargets(w, 12);
  for (const ip of targets) for (const a of victims) w.signal(w.attackStart + w.rng.uniform(0, DAY), a, ip, SCENARIOS[0], { weight0: true });
}

/** A5: attacker-run agents report the enrolled agent they are attacking. */
export function framing(w: World): void {
  const framers = addAdversaries(w, 8, { owners: 'each', asns: 8, ageDays: 180, role: 'framer', prefix: 'fr' });
  addBackground(w);
  const victims = w.agents.filter((a) => a.kind === 'community' && !a.id.startsWith('fr')).slice(0, 10);
  for (const v of victims) {
    w.innocent.push({ ip: v.ip, kind: 'protected-agent' });
    const at = w.attackStart + w.rng.uniform(0, DAY);
    for (const f of framers) for (let t = at; t < w.end; t += DAY) w.signal(t + w.rng.uniform(0, HOUR), f, v.ip, SCENARIOS[0]);
  }
}

/** A6: re-reports our published list (closed loop) and public-feed IPs. */
export function feedCopier(w: World): void {
  const [c] = addAdversaries(w, 1, { owners: 'each', asns: 1, ageDays: 200, role: 'copier', prefix: 'cp' });
  addBackground(w);
  w.extras.copiers = [{ agent: c.id, delaySeconds: 300, scenario: SCENARIOS[0] }];
  for (const a of w.attackers.slice(0, 400)) w.signal(Date.parse(a.firstContact) + 2 * HOUR, c, a.ip, SCENARIOS[0], { inPublicFeed: true });
}

export interface CampaignOptions {
  bots: number;
  mode: 'spray' | 'focused' | 'single';
  contacts: number;
  windowMinutes: number;
  victims?: number;
}

/** A7: a botnet campaign starting 2 h after the warm-up. */
export function campaign(w: World, o: CampaignOptions): CampaignInfo {
  addBackground(w);
  const start = w.attackStart + 2 * HOUR;
  const service = 1; // http
  const members: number[] = [];
  w.agents.forEach((a, i) => {
    if ((a.services & (1 << service)) !== 0) members.push(i);
  });
  const pool = o.mode === 'single' ? [members[w.rng.int(members.length)]] : o.mode === 'focused' ? w.rng.sample(members.length, o.victims ?? 150).map((i) => members[i]) : members;
  if (o.mode === 'single') w.innocent.push({ ip: w.agents[pool[0]].ip, kind: 'victim-member' });
  for (let b = 0; b < o.bots; b++) {
    const ip = w.newIp();
    const k = Math.min(o.contacts, pool.length);
    const hits = o.mode === 'single' ? Array.from({ length: o.contacts }, () => 0) : w.rng.sample(pool.length, k);
    const times: number[] = [];
    for (const h of hits) {
      const t = Math.round(start + w.rng.next() * o.windowMinutes * 60_000);
      times.push(t);
      w.contact(t, ip, pool[h], service);
    }
    times.sort((x, y) => x - y);
    w.attackers.push({
      ip,
      firstContact: new Date(times[0]).toISOString(),
      lastContact: new Date(times[times.length - 1]).toISOString(),
      cgnat: false,
      reassignedAt: null,
      breadth: k,
      bot: true,
    });
  }
  const owners = new Set(pool.map((i) => w.agents[i].owner));
  const asns = new Set(pool.map((i) => w.agents[i].asn));
  return { campaignStart: start, campaignMinutes: o.windowMinutes, victimOwners: owners.size, victimAsns: asns.size };
}
