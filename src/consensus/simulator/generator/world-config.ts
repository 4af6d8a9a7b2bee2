/**
 * The simulated world (docs/consensus.md, "8. Benchmark and targets"), scaled down so a sweep of every family and seed runs in a
 * few minutes on two cores. Scaling (see `DEFAULT_WORLD`): 2,000 agents instead of 10,000
 * (÷5), ASNs ÷5 (120, top 10 "cloud"), honeypots kept at 1.5% (30 in 25 ASNs), attackers
 * ÷10 (2,000 new IPs/day) so each agent sees about half the doc's per-agent load, breadth cap
 * ÷5 (1,000). Per-attacker dynamics (lifetime, Pareto breadth, detection, latencies, churn,
 * CGNAT, honest false positives) are the doc's.
 */
export interface WorldConfig {
  agents: number;
  asns: number;
  cloudAsns: number;
  asnZipf: number;
  countries: number;
  honeypots: number;
  honeypotAsns: number;
  honeypotCountries: number;
  multiOwnerShare: number;
  attackersPerDay: number;
  attackerLifetimeDays: number;
  breadthAlpha: number;
  breadthCap: number;
  detectP: number;
  honeypotDetectP: number;
  overflowMedianS: number;
  overflowSigma: number;
  pushMinS: number;
  pushMaxS: number;
  residentialShare: number;
  reassignMinDays: number;
  reassignMaxDays: number;
  cgnatShare: number;
  honestFpPerAgentDay: number;
  misconfiguredShare: number;
  misconfiguredPerDay: number;
  exposureSigma: number;
  /** Share of an agent's reports later confirmed, for the carried-over trust evidence. */
  confirmedShare: number;
  days: number;
  /** Days before the adversary acts (listings and trust settle first). */
  warmupDays: number;
  addressPrefixes16: number;
}

export const DEFAULT_WORLD: Readonly<WorldConfig> = Object.freeze({
  agents: 2000,
  asns: 120,
  cloudAsns: 10,
  asnZipf: 1.1,
  countries: 20,
  honeypots: 30,
  honeypotAsns: 25,
  honeypotCountries: 8,
  multiOwnerShare: 0.1,
  attackersPerDay: 2000,
  attackerLifetimeDays: 4,
  breadthAlpha: 1.2,
  breadthCap: 1000,
  detectP: 0.7,
  honeypotDetectP: 0.95,
  overflowMedianS: 60,
  overflowSigma: 0.8,
  pushMinS: 3,
  pushMaxS: 17,
  residentialShare: 0.3,
  reassignMinDays: 1,
  reassignMaxDays: 7,
  cgnatShare: 0.03,
  honestFpPerAgentDay: 0.05,
  misconfiguredShare: 0.02,
  misconfiguredPerDay: 0.5,
  exposureSigma: 0.8,
  confirmedShare: 0.5,
  days: 10,
  warmupDays: 2,
  addressPrefixes16: 1024,
});

export const SERVICES = ['ssh', 'http', 'wordpress', 'mail'] as const;
export const SERVICE_SHARE = [0.8, 0.7, 0.3, 0.2];
export const SCENARIOS = ['crowdsecurity/ssh-bf', 'crowdsecurity/http-probing', 'crowdsecurity/wordpress-bf', 'crowdsecurity/mail-bf'];
export const SCENARIO_SHARE = [0.45, 0.3, 0.15, 0.1];

/** Never-list ranges of the simulated world (real published ranges of each category). */
export const WORLD_NEVER_LIST: { cidr: string; category: string }[] = [
  { cidr: '66.249.64.0/19', category: 'crawler' },
  { cidr: '40.77.167.0/24', category: 'crawler' },
  { cidr: '157.55.39.0/24', category: 'crawler' },
  { cidr: '104.16.0.0/13', category: 'cdn' },
  { cidr: '151.101.0.0/16', category: 'cdn' },
  { cidr: '13.32.0.0/15', category: 'cdn' },
  { cidr: '35.191.0.0/16', category: 'healthcheck' },
  { cidr: '130.211.0.0/22', category: 'healthcheck' },
  { cidr: '168.63.129.16/32', category: 'healthcheck' },
  { cidr: '8.8.8.8/32', category: 'resolver' },
  { cidr: '1.1.1.1/32', category: 'resolver' },
  { cidr: '9.9.9.9/32', category: 'resolver' },
];
