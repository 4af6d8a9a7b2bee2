import { formatIpv4 } from '../../../common/ip/ip-address.js';
import { parseCidr } from '../../../common/ip/cidr.js';
import type { TruthAttacker } from './ground-truth.js';
import type { World } from './world.js';
import { SCENARIOS, SERVICES, WORLD_NEVER_LIST } from './world-config.js';

const DAY = 86_400_000;

export interface AttackerSpec {
  ip: string;
  born: number;
  dies: number;
  breadth: number;
  scenario: number;
  bot?: boolean;
}

/** Honest traffic of §4.1: attackers, honest false positives, misconfigured agents. */
export function addBackground(w: World): void {
  const cfg = w.cfg;
  const firstDay = -Math.ceil(cfg.attackerLifetimeDays * 3);
  for (let d = firstDay; d < cfg.days; d++) {
    for (let i = 0; i < cfg.attackersPerDay; i++) {
      const born = w.start + (d + w.rng.next()) * DAY;
      const dies = born + w.rng.exponential(cfg.attackerLifetimeDays) * DAY;
      if (dies < w.start) continue;
      const breadth = Math.floor(w.rng.pareto(cfg.breadthAlpha, 1, cfg.breadthCap));
      addAttacker(w, { ip: w.newIp(), born, dies, breadth, scenario: w.pickScenario() });
    }
  }
  addHonestFalsePositives(w);
  addMisconfigured(w);
}

/** An attacker contacting `breadth` members a day while alive; recorded in the ground truth. */
export function addAttacker(w: World, a: AttackerSpec): TruthAttacker {
  const from = Math.max(a.born, w.start);
  const to = Math.min(a.dies, w.end);
  let first = Infinity;
  let last = -Infinity;
  if (to > from) {
    const n = w.rng.poisson((a.breadth * (to - from)) / DAY);
    for (let k = 0; k < n; k++) {
      const t = Math.round(from + w.rng.next() * (to - from));
      if (t < first) first = t;
      if (t > last) last = t;
      w.contact(t, a.ip, w.pickMember(), a.scenario);
    }
  }
  const residential = w.rng.chance(w.cfg.residentialShare);
  const reassign = a.dies + w.rng.uniform(w.cfg.reassignMinDays, w.cfg.reassignMaxDays) * DAY;
  const truth: TruthAttacker = {
    ip: a.ip,
    firstContact: new Date(Number.isFinite(first) ? first : from).toISOString(),
    lastContact: new Date(Number.isFinite(last) ? last : from).toISOString(),
    cgnat: w.rng.chance(w.cfg.cgnatShare),
    reassignedAt: residential && reassign < w.end ? new Date(reassign).toISOString() : null,
    breadth: a.breadth,
    ...(a.bot === true ? { bot: true } : {}),
  };
  w.attackers.push(truth);
  return truth;
}

function addHonestFalsePositives(w: World): void {
  for (const a of w.agents) {
    if (a.kind !== 'community') continue;
    for (let d = 0; d < w.cfg.days; d++) {
      if (!w.rng.chance(w.cfg.honestFpPerAgentDay)) continue;
      const ip = w.newIp();
      w.innocent.push({ ip, kind: 'honest-user' });
      w.signal(w.start + (d + w.rng.next()) * DAY, a, ip, scenarioFor(w, a.services));
    }
  }
}

function addMisconfigured(w: World): void {
  const ranges = WORLD_NEVER_LIST.map((n) => parseCidr(n.cidr)).filter((c) => c !== null && c.version === 4);
  for (const a of w.agents) {
    if (!a.misconfigured) continue;
    for (let d = 0; d < w.cfg.days; d++) {
      if (!w.rng.chance(w.cfg.misconfiguredPerDay)) continue;
      const c = w.rng.pick(ranges);
      if (c === null || c.version !== 4) continue;
      const ip = formatIpv4((c.start + w.rng.int(c.end - c.start + 1)) >>> 0);
      w.innocent.push({ ip, kind: 'never-list' });
      w.signal(w.start + (d + w.rng.next()) * DAY, a, ip, scenarioFor(w, a.services));
    }
  }
}

export function scenarioFor(w: World, services: number): string {
  const options: number[] = [];
  for (let s = 0; s < SERVICES.length; s++) if ((services & (1 << s)) !== 0) options.push(s);
  return SCENARIOS[options.length > 0 ? w.rng.pick(options) : 0];
}
