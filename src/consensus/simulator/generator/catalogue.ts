import { addBackground } from './background.js';
import { broadCampaignVariants } from './broad-campaign.js';
import { campaign, feedCopier, flooder, framing, replayer, sybilRing, type FamilyVariant } from './families.js';
import { DEFAULT_WORLD } from './world-config.js';

/** Sybils making up `share` of all agents in the default world. */
const share = (s: number): number => Math.round((s / (1 - s)) * DEFAULT_WORLD.agents);

const ring = (variant: string, description: string, o: Parameters<typeof sybilRing>[1], days = 10): FamilyVariant => ({
  family: variant.startsWith('boil') ? 'A3' : 'A1',
  variant,
  description,
  world: { days, warmupDays: 2 },
  build: (w) => {
    sybilRing(w, o);
    return {};
  },
});

/** Every adversary family of §4.2 with the variants the benchmark sweeps. */
export const CATALOGUE: FamilyVariant[] = [
  { family: 'A0', variant: 'honest', description: 'honest-only world', world: { days: 10, warmupDays: 2 }, build: (w) => (addBackground(w), {}) },
  ring('young', '30% sybils, one owner each, 10 ASNs, 0 days old, 100 targets, 6 per target', { sybils: share(0.3), owners: 'each', asns: 10, ageDays: 0, targets: 100, strategy: 'disjoint', perTarget: 6 }),
  ring('young13', '30% sybils, one owner each, 10 ASNs, 13 days old, shared list of 100', { sybils: share(0.3), owners: 'each', asns: 10, ageDays: 13, targets: 100, strategy: 'shared' }),
  ring('one-owner', '30% sybils under one owner, 10 ASNs, 180 days old, shared list of 100', { sybils: share(0.3), owners: 'one', asns: 10, ageDays: 180, targets: 100, strategy: 'shared' }),
  ring('two-asns', '30% sybils, one owner each, 2 ASNs, 180 days old, 100 targets, 6 per target', { sybils: share(0.3), owners: 'each', asns: 2, ageDays: 180, targets: 100, strategy: 'disjoint', perTarget: 6 }),
  ring('shared60', '60 sybils, one owner each, 10 ASNs, 180 days old, shared list of 100', { sybils: 60, owners: 'each', asns: 10, ageDays: 180, targets: 100, strategy: 'shared' }),
  ring('shared30pct', '30% sybils, one owner each, 10 ASNs, 180 days old, shared list of 100', { sybils: share(0.3), owners: 'each', asns: 10, ageDays: 180, targets: 100, strategy: 'shared' }),
  ring('interleaved60', '60 sybils, 10 ASNs, 180 days old, shared list of 100, each report at its own time', { sybils: 60, owners: 'each', asns: 10, ageDays: 180, targets: 100, strategy: 'interleaved' }),
  ring('disjoint20', '20 sybils, 5 ASNs, 140 days old, 100 targets in a 6 h burst, a different 6 per target', { sybils: 20, owners: 'each', asns: 5, ageDays: 140, targets: 100, strategy: 'disjoint', perTarget: 6 }),
  ring('disjoint20-spread', '20 sybils, 5 ASNs, 140 days old, 100 targets spread over 8 days, 6 per target', { sybils: 20, owners: 'each', asns: 5, ageDays: 140, targets: 100, strategy: 'disjoint', perTarget: 6, schedule: 'spread' }),
  ring('drip20', '20 sybils, 5 ASNs, 180 days old, shared list dripped at 14 per week', { sybils: 20, owners: 'each', asns: 5, ageDays: 180, targets: 100, strategy: 'drip' }),
  ring('boil20', '20 agents honest for 120 days, 5 ASNs, then 100 targets, 6 per target', { sybils: 20, owners: 'each', asns: 5, ageDays: 120, targets: 100, strategy: 'disjoint', perTarget: 6 }),
  ring('boil100', '100 agents honest for 365 days, 10 ASNs, then 100 targets, 6 per target', { sybils: 100, owners: 'each', asns: 10, ageDays: 365, targets: 100, strategy: 'disjoint', perTarget: 6 }),
  {
    family: 'A2',
    variant: 'flood',
    description: 'one established agent floods 200k random IPs/day plus 20 targets',
    world: { days: 4, warmupDays: 2 },
    build: (w) => {
      flooder(w, 200_000);
      return {};
    },
  },
  { family: 'A4', variant: 'replay', description: 'replayed/forged batches (gate: weight 0) naming 12 innocent IPs', world: { days: 4, warmupDays: 2 }, build: (w) => (replayer(w), {}) },
  { family: 'A5', variant: 'framing', description: '8 attacker agents in 8 ASNs frame 10 enrolled agents', world: { days: 5, warmupDays: 2 }, build: (w) => (framing(w), {}) },
  { family: 'A6', variant: 'copier', description: 'agent re-reports every listing after 5 min and 400 public-feed IPs', world: { days: 5, warmupDays: 2 }, build: (w) => (feedCopier(w), {}) },
  ...(
    [
      ['spray20-5m', 'spray', 20, 5],
      ['spray40-10m', 'spray', 40, 10],
      ['spray8-5m', 'spray', 8, 5],
      ['focused150-10', 'focused', 10, 10],
      ['single', 'single', 20, 10],
    ] as const
  ).map(
    ([variant, mode, contacts, windowMinutes]): FamilyVariant => ({
      family: 'A7',
      variant,
      description: `7,000-bot campaign: ${mode}, ${contacts} contacts per bot over ${windowMinutes} min`,
      world: { days: 3, warmupDays: 2 },
      build: (w) => campaign(w, { bots: 7000, mode, contacts, windowMinutes, victims: 150 }),
    }),
  ),
  ...broadCampaignVariants(),
];

export function findVariants(spec: string): FamilyVariant[] {
  const [family, variant] = spec.split(':');
  const out = CATALOGUE.filter((v) => v.family.toLowerCase() === family.toLowerCase() && (variant === undefined || v.variant === variant));
  if (out.length === 0) throw new Error(`unknown family ${spec}; known: ${[...new Set(CATALOGUE.map((v) => `${v.family}:${v.variant}`))].join(', ')}`);
  return out;
}
