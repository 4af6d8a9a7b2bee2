import { addBackground } from './background.js';
import type { FamilyVariant } from './families.js';
import { addAdversaries } from './families.js';
import type { World } from './world.js';
import { SCENARIOS } from './world-config.js';

const HOUR = 3_600_000;
const DAY = 86_400_000;

export interface BroadCampaignOptions {
  bots: number;
  /** Honest member servers attacked (community agents running ssh; never a honeypot). */
  victims: number;
  /** Victims each bot hits, drawn uniformly in [min, max]. */
  perBot: [number, number];
  /** Probability that a victim's agent detects one contact. */
  detection: number;
  minutes: number;
  /**
   * Each bot's own activity: its contacts fall within this many minutes, starting at a uniform
   * time of the campaign (a long campaign rotates bots); default: the whole campaign.
   */
  botMinutes?: number;
  /**
   * A shared-list ring of sybils (one owner each, aged, established) that is also among the
   * victims and reports its own innocent targets during the campaign, hoping to pass as co-victims.
   */
  ring?: { sybils: number; asns: number; ageDays: number; targets: number };
}

export interface CampaignBuild {
  campaignStart: number;
  campaignMinutes: number;
  victimOwners: number;
  victimAsns: number;
}

/**
 * "Broad campaign, no honeypots" (docs/consensus.md, bench family A8): bots spray ssh logins at
 * honest member servers only, so every listing must come from member evidence.
 */
export function broadCampaign(w: World, o: BroadCampaignOptions): CampaignBuild {
  const ssh = 0;
  const sybils = o.ring === undefined ? [] : addAdversaries(w, o.ring.sybils, { owners: 'each', asns: o.ring.asns, ageDays: o.ring.ageDays, role: 'sybil', prefix: 'sy' });
  addBackground(w);
  const start = w.attackStart + 2 * HOUR;
  const sybilIds = new Set(sybils.map((s) => s.id));
  const members: number[] = [];
  w.agents.forEach((a, i) => {
    if (a.kind === 'community' && (a.services & (1 << ssh)) !== 0 && !sybilIds.has(a.id)) members.push(i);
  });
  const honestVictims = o.victims - sybils.length;
  const pool = w.rng.sample(members.length, Math.min(honestVictims, members.length)).map((i) => members[i]);
  for (const s of sybils) pool.push(w.agents.indexOf(s));
  const boost = o.detection / w.cfg.detectP;
  for (let b = 0; b < o.bots; b++) {
    const ip = w.newIp();
    const k = Math.min(pool.length, o.perBot[0] + w.rng.int(o.perBot[1] - o.perBot[0] + 1));
    const times: number[] = [];
    const active = Math.min(o.botMinutes ?? o.minutes, o.minutes);
    const from = start + w.rng.next() * (o.minutes - active) * 60_000;
    for (const h of w.rng.sample(pool.length, k)) {
      const t = Math.round(from + w.rng.next() * active * 60_000);
      times.push(t);
      w.contact(t, ip, pool[h], ssh, boost);
    }
    times.sort((x, y) => x - y);
    w.attackers.push({ ip, firstContact: new Date(times[0]).toISOString(), lastContact: new Date(times[times.length - 1]).toISOString(), cgnat: false, reassignedAt: null, breadth: k, bot: true });
  }
  if (o.ring !== undefined) {
    const targets: string[] = [];
    for (let i = 0; i < o.ring.targets; i++) {
      const ip = w.newIp();
      w.innocent.push({ ip, kind: i % 2 === 0 ? 'competitor' : 'residential' });
      targets.push(ip);
    }
    w.extras.victims = targets.map((ip) => ({ ip, complaintProbabilityPerDay: 0.3, reviewHours: [2, 72], outcome: 'upheld' as const }));
    // Every sybil pushes the shared list during the campaign, each report at its own time and
    // with the detection latency of a real sighting, then refreshes it daily.
    for (const s of sybils) {
      for (const ip of targets) {
        const first = start + w.rng.next() * o.minutes * 60_000 + w.latencyMs();
        for (let t = first; t < w.end; t += DAY) w.signal(t, s, ip, SCENARIOS[ssh]);
      }
    }
  }
  const owners = new Set(pool.map((i) => w.agents[i].owner));
  const asns = new Set(pool.map((i) => w.agents[i].asn));
  return { campaignStart: start, campaignMinutes: o.minutes, victimOwners: owners.size, victimAsns: asns.size };
}

interface A8Spec {
  variant: string;
  o: BroadCampaignOptions;
  full?: boolean;
}

const A8: A8Spec[] = [
  { variant: 'b2k-v80-k30-40-d50-3m', o: { bots: 2000, victims: 80, perBot: [30, 40], detection: 0.5, minutes: 3 } },
  { variant: 'b3k-v150-k20-40-d75-5m', o: { bots: 3000, victims: 150, perBot: [20, 40], detection: 0.75, minutes: 5 } },
  { variant: 'b2k-v300-k10-40-d90-30m', o: { bots: 2000, victims: 300, perBot: [10, 40], detection: 0.9, minutes: 30, botMinutes: 5 } },
  {
    variant: 'ring-inside-b3k',
    o: { bots: 3000, victims: 150, perBot: [20, 40], detection: 0.75, minutes: 10, ring: { sybils: 20, asns: 5, ageDays: 180, targets: 100 } },
  },
  { variant: 'b6500-v180-k20-40-d75-10m', o: { bots: 6500, victims: 180, perBot: [20, 40], detection: 0.75, minutes: 10 }, full: true },
  { variant: 'b10k-v300-k10-40-d60-5m', o: { bots: 10_000, victims: 300, perBot: [10, 40], detection: 0.6, minutes: 5 }, full: true },
];

/** The A8 variants; those marked `full` (6,500 and 10,000 bots) run only in the full sweep. */
export function broadCampaignVariants(): FamilyVariant[] {
  return A8.map((s) => ({
    family: 'A8',
    ...(s.full === true ? { full: true } : {}),
    variant: s.variant,
    description:
      `${s.o.bots} bots, ${s.o.victims} victims (no honeypot), ${s.o.perBot[0]}-${s.o.perBot[1]} per bot, detection ${s.o.detection}, ${s.o.minutes} min` +
      (s.o.botMinutes === undefined ? '' : ` (each bot active ${s.o.botMinutes} min)`) +
      (s.o.ring === undefined ? '' : `; ${s.o.ring.sybils} aged sybils in ${s.o.ring.asns} ASNs among the victims push a shared list of ${s.o.ring.targets} during it`),
    world: { days: s.o.ring === undefined ? 3 : 6, warmupDays: 2 },
    build: (w) => broadCampaign(w, s.o),
  }));
}
