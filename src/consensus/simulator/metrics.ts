import { ipKey, parseIp } from '../../common/ip/ip-address.js';
import { DEFAULT_CONSENSUS_PARAMS } from '../scoring/params.js';
import { ageGate, trustLowerBound } from '../scoring/trust.js';
import type { GroundTruth } from './generator/ground-truth.js';
import { buildNeverList } from './matchers.js';
import { naiveListings, type Interval } from './naive.js';
import type { Scenario, ScenarioResult } from './scenario.js';

const HOUR = 3_600_000;

export interface Percentiles {
  n: number;
  p50: number | null;
  p95: number | null;
}

/** §4.3 metrics of one run, computed from the scenario, the result and the ground truth only. */
export interface RunMetrics {
  name: string;
  family: string;
  variant: string;
  seed: number;
  events: number;
  eventsPerSecond: number;
  listedIps: number;
  listedHours: number;
  precision: number;
  collateralShare: number;
  falsePositives: { innocentTarget: number; neverList: number; reassigned: number; cgnat: number; honestUser: number; protectedAgent: number; victimMember: number; unknown: number };
  innocentListed: number;
  innocentHours: number;
  naiveInnocentListed: number;
  coverage: number;
  naiveCoverage: number;
  timeToListFromCampaign: Percentiles & { within5min: number };
  /** Share of bots listed (and delivered) within 5 min of their own first contact. */
  within5minOfFirstContact: number;
  campaignMinutes: number | null;
  campaignVictimOwners: number;
  campaignVictimAsns: number;
  /** Mean contacts a bot makes in the 5 minutes from its first contact (campaign density). */
  botContacts5min: number;
  timeToListFromFirstSignal: Percentiles;
  /**
   * The same over the bots that make a campaign in the sense of T8 (docs/consensus.md: each bot
   * contacts >= 20 distinct members within 5 min of its first contact, or >= 40 within 10 min).
   */
  t8: { bots: number; within5min: number; within5minOfFirstContact: number; fromFirstSignal: Percentiles };
  botsListed: number;
  adversaries: number;
  agedEstablished: number;
  agedEstablishedAsns: number;
  innocentPerAgedIdentity: number | null;
  quarantined: number;
  quarantineHours: Percentiles;
  /** Reporters quarantined that are not adversaries (must stay 0). */
  honestQuarantined: number;
}

export function listingIntervals(result: ScenarioResult, end: number): Map<string, Interval[]> {
  const out = new Map<string, Interval[]>();
  for (const l of result.listings) {
    const iv = { from: Date.parse(l.listedAt), to: l.delistedAt === null ? end : Date.parse(l.delistedAt) };
    const list = out.get(l.ip);
    if (list === undefined) out.set(l.ip, [iv]);
    else list.push(iv);
  }
  return out;
}

export function percentiles(values: number[]): Percentiles {
  const v = [...values].sort((a, b) => a - b);
  const at = (q: number): number | null => (v.length === 0 ? null : v[Math.min(v.length - 1, Math.ceil(q * v.length) - 1)]);
  return { n: v.length, p50: at(0.5), p95: at(0.95) };
}

function overlap(list: Interval[] | undefined, from: number, to: number): number {
  let sum = 0;
  for (const iv of list ?? []) sum += Math.max(0, Math.min(iv.to, to) - Math.max(iv.from, from));
  return sum;
}

function covered(list: Interval[] | undefined, t: number): boolean {
  if (list === undefined) return false;
  for (const iv of list) if (iv.from <= t && t < iv.to) return true;
  return false;
}

const keyOf = (raw: string): string => {
  const ip = parseIp(raw);
  return ip === null ? raw : ipKey(ip);
};

export function computeMetrics(scenario: Scenario, result: ScenarioResult, truth: GroundTruth): RunMetrics {
  const start = Date.parse(scenario.start);
  const end = Date.parse(scenario.end);
  const attackStart = Date.parse(truth.attackStart);
  const listed = listingIntervals(result, end);
  const naive = naiveListings(scenario);
  const never = buildNeverList(scenario.neverList, scenario.agents.filter((a) => a.kind === 'honeypot').map((a) => a.ip));
  const attackers = new Map(truth.attackers.map((a) => [keyOf(a.ip), a]));
  const innocent = new Map(truth.innocent.map((i) => [keyOf(i.ip), i.kind]));
  const fp = { innocentTarget: 0, neverList: 0, reassigned: 0, cgnat: 0, honestUser: 0, protectedAgent: 0, victimMember: 0, unknown: 0 };
  let listedMs = 0;
  let attackerMs = 0;
  let collateralMs = 0;
  let innocentMs = 0;
  const innocentTargets = new Set<string>();
  for (const [ip, list] of listed) {
    const total = overlap(list, start, end);
    listedMs += total;
    if (never(ip) !== null) fp.neverList++;
    const a = attackers.get(ip);
    if (a !== undefined) {
      const reassigned = a.reassignedAt === null ? end : Date.parse(a.reassignedAt);
      const good = overlap(list, start, reassigned);
      attackerMs += good;
      if (total - good > 0) {
        fp.reassigned++;
        collateralMs += total - good;
      }
      if (a.cgnat) {
        fp.cgnat++;
        collateralMs += good;
      }
      continue;
    }
    const kind = innocent.get(ip);
    if (kind === 'competitor' || kind === 'residential') {
      fp.innocentTarget++;
      innocentTargets.add(ip);
      innocentMs += total;
    } else if (kind === 'honest-user') fp.honestUser++;
    else if (kind === 'protected-agent') fp.protectedAgent++;
    else if (kind === 'victim-member') fp.victimMember++;
    else if (kind === undefined && never(ip) === null) fp.unknown++;
  }
  let naiveInnocent = 0;
  for (const ip of naive.keys()) {
    const kind = innocent.get(keyOf(ip));
    if (kind === 'competitor' || kind === 'residential') naiveInnocent++;
  }
  let contacts = 0;
  let hit = 0;
  let naiveHit = 0;
  for (const [ip, times] of Object.entries(truth.contacts)) {
    const key = keyOf(ip);
    const mine = listed.get(key);
    const theirs = naive.get(ip);
    for (const s of times) {
      const t = start + s * 1000;
      contacts++;
      if (covered(mine, t)) hit++;
      if (covered(theirs, t)) naiveHit++;
    }
  }
  return {
    name: scenario.name,
    family: truth.family,
    variant: truth.variant,
    seed: truth.seed,
    events: result.stats.events,
    eventsPerSecond: result.stats.eventsPerSecond,
    listedIps: listed.size,
    listedHours: listedMs / HOUR,
    precision: listedMs === 0 ? 1 : attackerMs / listedMs,
    collateralShare: listedMs === 0 ? 0 : collateralMs / listedMs,
    falsePositives: fp,
    innocentListed: innocentTargets.size,
    innocentHours: innocentMs / HOUR,
    naiveInnocentListed: naiveInnocent,
    coverage: contacts === 0 ? 0 : hit / contacts,
    naiveCoverage: contacts === 0 ? 0 : naiveHit / contacts,
    ...campaignTimes(scenario, truth, listed),
    ...adversaryCosts(scenario, result, truth, attackStart, innocentTargets.size),
  };
}

function campaignTimes(
  scenario: Scenario,
  truth: GroundTruth,
  listed: Map<string, Interval[]>,
): Pick<
  RunMetrics,
  | 'timeToListFromCampaign'
  | 'timeToListFromFirstSignal'
  | 't8'
  | 'botsListed'
  | 'within5minOfFirstContact'
  | 'campaignMinutes'
  | 'campaignVictimOwners'
  | 'campaignVictimAsns'
  | 'botContacts5min'
> {
  const bots = truth.attackers.filter((a) => a.bot === true);
  const scope = { campaignMinutes: truth.campaignMinutes ?? null, campaignVictimOwners: truth.campaignVictimOwners ?? 0, campaignVictimAsns: truth.campaignVictimAsns ?? 0 };
  if (truth.campaignStart === undefined || bots.length === 0) {
    return {
      timeToListFromCampaign: { n: 0, p50: null, p95: null, within5min: 0 },
      timeToListFromFirstSignal: { n: 0, p50: null, p95: null },
      t8: { bots: 0, within5min: 0, within5minOfFirstContact: 0, fromFirstSignal: { n: 0, p50: null, p95: null } },
      botsListed: 0,
      within5minOfFirstContact: 0,
      botContacts5min: 0,
      ...scope,
    };
  }
  const cs = Date.parse(truth.campaignStart);
  const firstSignal = new Map<string, number>();
  for (const ev of scenario.events) if (ev.type === 'signal' && !firstSignal.has(ev.ip)) firstSignal.set(ev.ip, Date.parse(ev.t));
  const delivery = 15_000;
  const fromCampaign: number[] = [];
  const fromFirst: number[] = [];
  let within = 0;
  let withinOwn = 0;
  let dense = 0;
  let botsListed = 0;
  const t8 = { bots: 0, within: 0, withinOwn: 0, fromFirst: [] as number[] };
  for (const b of bots) {
    const first = listed.get(keyOf(b.ip))?.find((iv) => iv.from >= cs)?.from;
    const t = first === undefined ? Infinity : first + delivery;
    if (first !== undefined) botsListed++;
    fromCampaign.push((t - cs) / 1000);
    if (t - cs <= 300_000) within++;
    if (t - Date.parse(b.firstContact) <= 300_000) withinOwn++;
    const contacts = truth.contacts[b.ip] ?? [];
    const c0 = Math.min(...contacts);
    let in5 = 0;
    let in10 = 0;
    for (const c of contacts) {
      if (c - c0 <= 300) in5++;
      if (c - c0 <= 600) in10++;
    }
    dense += in5;
    const s = firstSignal.get(b.ip);
    if (s !== undefined) fromFirst.push(((first ?? Infinity) - s) / 1000);
    if (in5 < 20 && in10 < 40) continue;
    t8.bots++;
    if (t - cs <= 300_000) t8.within++;
    if (t - Date.parse(b.firstContact) <= 300_000) t8.withinOwn++;
    if (s !== undefined) t8.fromFirst.push(((first ?? Infinity) - s) / 1000);
  }
  return {
    timeToListFromCampaign: { ...percentiles(fromCampaign), within5min: within / bots.length },
    timeToListFromFirstSignal: percentiles(fromFirst),
    t8: {
      bots: t8.bots,
      within5min: t8.bots === 0 ? 0 : t8.within / t8.bots,
      within5minOfFirstContact: t8.bots === 0 ? 0 : t8.withinOwn / t8.bots,
      fromFirstSignal: percentiles(t8.fromFirst),
    },
    botsListed,
    within5minOfFirstContact: withinOwn / bots.length,
    botContacts5min: dense / bots.length,
    ...scope,
  };
}

function adversaryCosts(
  scenario: Scenario,
  result: ScenarioResult,
  truth: GroundTruth,
  attackStart: number,
  innocentListed: number,
): Pick<RunMetrics, 'adversaries' | 'agedEstablished' | 'agedEstablishedAsns' | 'innocentPerAgedIdentity' | 'quarantined' | 'quarantineHours' | 'honestQuarantined'> {
  const p = DEFAULT_CONSENSUS_PARAMS;
  const agents = new Map(scenario.agents.map((a) => [a.id, a]));
  const asns = new Set<number>();
  let aged = 0;
  for (const adv of truth.adversaries) {
    const a = agents.get(adv.agent);
    if (a === undefined) continue;
    const age = attackStart - Date.parse(a.enrolledAt);
    const w = trustLowerBound(a.alpha ?? p.priorAlpha, a.beta ?? p.priorBeta, p.trustZ) * ageGate(age, p);
    if (age >= 90 * 86_400_000 && w >= p.establishedMinWeight) {
      aged++;
      asns.add(a.asn);
    }
  }
  const adversaries = new Set(truth.adversaries.map((a) => a.agent));
  const hours = result.quarantined.filter((q) => adversaries.has(q.agent)).map((q) => (Date.parse(q.at) - attackStart) / HOUR);
  return {
    adversaries: adversaries.size,
    agedEstablished: aged,
    agedEstablishedAsns: asns.size,
    innocentPerAgedIdentity: aged === 0 ? null : innocentListed / aged,
    quarantined: hours.length,
    quarantineHours: percentiles(hours),
    honestQuarantined: result.quarantined.filter((q) => !adversaries.has(q.agent)).length,
  };
}
