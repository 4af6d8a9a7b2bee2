import { formatIpv4 } from '../../../common/ip/ip-address.js';
import { parseCidr } from '../../../common/ip/cidr.js';
import type { Scenario, ScenarioAgent, ScenarioEvent } from '../scenario.js';
import type { CampaignInfo } from './families.js';
import type { GroundTruth, InnocentKind, TruthAdversary, TruthAttacker } from './ground-truth.js';
import { Prng, WeightedPicker, zipfWeights } from './prng.js';
import { SCENARIO_SHARE, SCENARIOS, SERVICE_SHARE, SERVICES, WORLD_NEVER_LIST, type WorldConfig } from './world-config.js';

const DAY = 86_400_000;
const EXCLUDED_FIRST_OCTETS = new Set([0, 10, 100, 127, 169, 172, 192, 198, 203]);

export interface WorldAgent {
  id: string;
  owner: string;
  ip: string;
  asn: number;
  country: string;
  enrolledAt: number;
  kind: 'community' | 'honeypot';
  services: number;
  exposure: number;
  alpha?: number;
  beta?: number;
  misconfigured: boolean;
}

interface GenEvent {
  t: number;
  seq: number;
  ev: ScenarioEvent;
}

/** Honest world of §4.1 plus helpers the adversary families use to add their parts. */
export class World {
  readonly rng: Prng;
  readonly start: number;
  readonly end: number;
  readonly attackStart: number;
  readonly agents: WorldAgent[] = [];
  readonly owners: string[] = [];
  readonly asnNumbers: number[] = [];
  readonly asnCountry: string[] = [];
  private readonly asnPrefixes: number[][] = [];
  private readonly pool: number[] = [];
  private readonly used = new Set<number>();
  private readonly events: GenEvent[] = [];
  private seq = 0;
  readonly attackers: TruthAttacker[] = [];
  readonly contacts: Record<string, number[]> = {};
  readonly innocent: { ip: string; kind: InnocentKind }[] = [];
  readonly adversaries: TruthAdversary[] = [];
  readonly canaries: string[] = [];
  readonly extras: Partial<Scenario> & Record<string, unknown> = {};
  private targetPicker: WeightedPicker | null = null;
  private readonly expectedSignalsPerDay: number;

  constructor(
    readonly cfg: WorldConfig,
    seed: number,
    startIso = '2026-03-01T00:00:00.000Z',
  ) {
    this.rng = new Prng(seed);
    this.start = Date.parse(startIso);
    this.end = this.start + cfg.days * DAY;
    this.attackStart = this.start + cfg.warmupDays * DAY;
    this.buildAddressSpace();
    this.buildAsns();
    this.buildAgents();
    const meanBreadth = cappedParetoMean(cfg.breadthAlpha, cfg.breadthCap);
    const contactsPerDay = cfg.attackersPerDay * cfg.attackerLifetimeDays * meanBreadth;
    this.expectedSignalsPerDay = (contactsPerDay * cfg.detectP * 0.6) / cfg.agents;
    for (const a of this.agents) if (a.kind === 'community') this.carryTrust(a, (this.start - a.enrolledAt) / DAY);
  }

  private buildAddressSpace(): void {
    const blocked = new Set<number>();
    for (const n of WORLD_NEVER_LIST) {
      const c = parseCidr(n.cidr);
      if (c === null || c.version !== 4) continue;
      for (let p = c.start >>> 16; p <= c.end >>> 16; p++) blocked.add(p);
    }
    const seen = new Set<number>();
    while (this.pool.length < this.cfg.addressPrefixes16) {
      const first = 1 + this.rng.int(223);
      if (EXCLUDED_FIRST_OCTETS.has(first)) continue;
      const p = (first << 8) | this.rng.int(256);
      if (blocked.has(p) || seen.has(p)) continue;
      seen.add(p);
      this.pool.push(p);
    }
    for (let i = 0; i < 3; i++) {
      const p = this.pool[this.rng.int(this.pool.length)];
      const c = this.rng.int(256);
      const base = ((p << 16) | (c << 8)) >>> 0;
      for (let h = 0; h < 256; h++) this.used.add(base + h);
      this.canaries.push(`${formatIpv4(base)}/24`);
    }
  }

  private buildAsns(): void {
    const countries = Array.from({ length: this.cfg.countries }, (_, i) => COUNTRY_CODES[i % COUNTRY_CODES.length]);
    const countryPick = new WeightedPicker(zipfWeights(countries.length, 1));
    for (let i = 0; i < this.cfg.asns; i++) {
      this.asnNumbers.push(i < this.cfg.cloudAsns ? 16000 + i : 64000 + i);
      this.asnCountry.push(countries[countryPick.pick(this.rng)]);
      this.asnPrefixes.push([this.pool[this.rng.int(this.pool.length)], this.pool[this.rng.int(this.pool.length)]]);
    }
  }

  /** A fresh public address of the world's space. */
  newIp(): string {
    for (;;) {
      const p = this.pool[this.rng.int(this.pool.length)];
      const v = ((p << 16) | this.rng.int(65536)) >>> 0;
      if ((v & 0xff) === 0 || (v & 0xff) === 255 || this.used.has(v)) continue;
      this.used.add(v);
      return formatIpv4(v);
    }
  }

  /** Any address of the world's space (not reserved, may repeat): the flooder's random IPs. */
  randomIp(): string {
    const p = this.pool[this.rng.int(this.pool.length)];
    return formatIpv4(((p << 16) | this.rng.int(65536)) >>> 0);
  }

  /** A fresh address inside one ASN (agent egress). */
  ipInAsn(asnIdx: number): string {
    const prefixes = this.asnPrefixes[asnIdx];
    for (;;) {
      const p = prefixes[this.rng.int(prefixes.length)];
      const v = ((p << 16) | (1 + this.rng.int(65534))) >>> 0;
      if (this.used.has(v)) continue;
      this.used.add(v);
      return formatIpv4(v);
    }
  }

  private buildAgents(): void {
    const cfg = this.cfg;
    const asnPick = new WeightedPicker(zipfWeights(cfg.asns, cfg.asnZipf));
    let o = 0;
    while (this.agentCount('community') < cfg.agents) {
      const owner = `o${++o}`;
      this.owners.push(owner);
      const n = this.rng.chance(cfg.multiOwnerShare) ? Math.min(20, 2 + Math.floor(this.rng.exponential(1.5))) : 1;
      for (let k = 0; k < n && this.agentCount('community') < cfg.agents; k++) {
        const ageDays = this.rng.uniform(0, 720);
        this.addAgent({ owner, asnIdx: asnPick.pick(this.rng), enrolledAt: this.start - ageDays * DAY, kind: 'community' });
      }
    }
    this.owners.push('quorum-sensors');
    const hpAsns = this.rng.sample(cfg.asns, cfg.honeypotAsns);
    for (let i = 0; i < cfg.honeypots; i++) {
      const asnIdx = hpAsns[i % hpAsns.length];
      const a = this.addAgent({ owner: 'quorum-sensors', asnIdx, enrolledAt: this.start - 365 * DAY, kind: 'honeypot' });
      a.country = COUNTRY_CODES[i % cfg.honeypotCountries];
      a.services = (1 << SERVICES.length) - 1;
      a.exposure = 1;
    }
  }

  private agentCount(kind: 'community' | 'honeypot'): number {
    let n = 0;
    for (const a of this.agents) if (a.kind === kind) n++;
    return n;
  }

  addAgent(o: { owner: string; asnIdx: number; enrolledAt: number; kind: 'community' | 'honeypot'; id?: string }): WorldAgent {
    let services = 0;
    for (let s = 0; s < SERVICES.length; s++) if (this.rng.chance(SERVICE_SHARE[s])) services |= 1 << s;
    if (services === 0) services = 1;
    const agent: WorldAgent = {
      id: o.id ?? `${o.kind === 'honeypot' ? 'hp' : 'a'}${this.agents.length + 1}`,
      owner: o.owner,
      ip: this.ipInAsn(o.asnIdx),
      asn: this.asnNumbers[o.asnIdx],
      country: this.asnCountry[o.asnIdx],
      enrolledAt: o.enrolledAt,
      kind: o.kind,
      services,
      exposure: this.rng.lognormal(1, this.cfg.exposureSigma),
      misconfigured: o.kind === 'community' && this.rng.chance(this.cfg.misconfiguredShare),
    };
    this.agents.push(agent);
    this.targetPicker = null;
    return agent;
  }

  /**
   * Trust evidence from before `start`, as if the agent had reported honestly for `days`:
   * confirmed reports add to α and unconfirmed ones to β, both with the daily forgetting.
   */
  carryTrust(a: WorldAgent, days: number): void {
    if (days <= 0) {
      a.alpha = 1;
      a.beta = 3;
      return;
    }
    const signals = this.expectedSignalsPerDay * a.exposure;
    const confirmed = Math.min(20, signals * this.cfg.confirmedShare);
    const unconfirmed = Math.min(2, 0.05 * signals * (1 - this.cfg.confirmedShare) + 0.05 * this.cfg.honestFpPerAgentDay);
    a.alpha = round3(1 + (confirmed * (1 - Math.pow(0.99, days))) / 0.01);
    a.beta = round3(3 + (unconfirmed * (1 - Math.pow(0.997, days))) / 0.003);
  }

  /** Asn index by its number. */
  asnIndex(asn: number): number {
    return this.asnNumbers.indexOf(asn);
  }

  /** Picks a contacted member, proportional to exposure (honeypots included). */
  pickMember(): number {
    this.targetPicker ??= new WeightedPicker(this.agents.map((a) => a.exposure));
    return this.targetPicker.pick(this.rng);
  }

  signal(t: number, agent: WorldAgent, ip: string, scenario: string, extra: Partial<ScenarioEvent> = {}): void {
    if (t < this.start || t >= this.end) return;
    this.events.push({ t, seq: this.seq++, ev: { t: '', type: 'signal', agent: agent.id, ip, scenario, ...extra } as ScenarioEvent });
  }

  /** One attack contact: recorded in the ground truth; detected with the doc's latencies. */
  contact(t: number, attackerIp: string, member: number, scenarioIdx: number, detectBoost = 1): void {
    if (t < this.start || t >= this.end) return;
    (this.contacts[attackerIp] ??= []).push(Math.round((t - this.start) / 1000));
    const a = this.agents[member];
    if ((a.services & (1 << scenarioIdx)) === 0) return;
    const p = (a.kind === 'honeypot' ? this.cfg.honeypotDetectP : this.cfg.detectP) * detectBoost;
    if (!this.rng.chance(p)) return;
    this.signal(t + this.latencyMs(), a, attackerIp, SCENARIOS[scenarioIdx]);
  }

  latencyMs(): number {
    const c = this.cfg;
    return Math.round(1000 * (this.rng.lognormal(c.overflowMedianS, c.overflowSigma) + this.rng.uniform(c.pushMinS, c.pushMaxS)));
  }

  pickScenario(): number {
    let u = this.rng.next();
    for (let i = 0; i < SCENARIO_SHARE.length; i++) {
      u -= SCENARIO_SHARE[i];
      if (u < 0) return i;
    }
    return 0;
  }

  addEvent(t: number, ev: ScenarioEvent): void {
    if (t < this.start || t >= this.end) return;
    this.events.push({ t, seq: this.seq++, ev });
  }

  toScenario(name: string, params: Record<string, unknown> = {}): Scenario {
    this.events.sort((a, b) => a.t - b.t || a.seq - b.seq);
    const events = this.events.map((e) => ({ ...e.ev, t: new Date(e.t).toISOString() }));
    const agents: ScenarioAgent[] = this.agents.map((a) => ({
      id: a.id,
      owner: a.owner,
      ip: a.ip,
      asn: a.asn,
      country: a.country,
      enrolledAt: new Date(a.enrolledAt).toISOString(),
      kind: a.kind,
      ...(a.alpha === undefined ? {} : { alpha: a.alpha, beta: a.beta }),
    }));
    return {
      name,
      start: new Date(this.start).toISOString(),
      end: new Date(this.end).toISOString(),
      params,
      owners: [...new Set(this.agents.map((a) => a.owner))].map((id) => ({ id })),
      agents,
      neverList: WORLD_NEVER_LIST,
      canaries: this.canaries,
      events,
      ...this.extras,
    };
  }

  truth(family: string, variant: string, seed: number, description: string, info: CampaignInfo = {}): GroundTruth {
    const { campaignStart } = info;
    return {
      family,
      variant,
      seed,
      start: new Date(this.start).toISOString(),
      end: new Date(this.end).toISOString(),
      attackStart: new Date(this.attackStart).toISOString(),
      description,
      attackers: this.attackers,
      contacts: this.contacts,
      innocent: this.innocent,
      adversaries: this.adversaries,
      ...(campaignStart === undefined
        ? {}
        : { campaignStart: new Date(campaignStart).toISOString(), campaignMinutes: info.campaignMinutes, campaignVictimOwners: info.victimOwners, campaignVictimAsns: info.victimAsns }),
      honestAgents: this.agents.filter((a) => a.kind === 'community').length - this.adversaries.length,
    };
  }
}

export const COUNTRY_CODES = ['US', 'DE', 'FR', 'NL', 'GB', 'SG', 'JP', 'BR', 'CA', 'PL', 'IT', 'ES', 'SE', 'IN', 'AU', 'FI', 'CZ', 'RO', 'ZA', 'KR'];

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** Mean of floor-free Pareto(α, 1) capped at `cap`. */
export function cappedParetoMean(alpha: number, cap: number): number {
  return (alpha / (alpha - 1)) * (1 - Math.pow(cap, 1 - alpha)) + Math.pow(cap, 1 - alpha);
}
