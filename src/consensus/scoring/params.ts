const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** How the per-owner novelty budget is charged (docs/consensus.md, "4. Novelty budget"). */
export type NoveltyMode = 'literal' | 'corroboration' | 'off';

/**
 * Every tunable of the consensus engine (docs/consensus.md, "11. Parameters"). Times are milliseconds. Defaults are the design's,
 * except where the simulator said otherwise (bench/consensus.bench.ts, see the report):
 * thetaAdd 3 → 2 and voteHalfLifeMs 24 h → 36 h (T3: with trust weights < 1, S ≥ 3 needs a
 * fourth voter and cost 7 points of coverage against the naive rule; E ≥ 3, D_AS ≥ 3, V ≥ 3,
 * owner collapse and the age gate still hold every sybil barrier), ttlConfirmedMs 96 h → 36 h
 * (T2: listings outliving a departed residential attacker were 0.3% of listed IP-hours).
 */
export interface ConsensusParams {
  tickMs: number;
  voteHalfLifeMs: number;
  voteMaxAgeMs: number;
  /** Coefficients of the sorted voters inside one ASN (max + ½ + ¼ + ⅛). */
  asnRankWeights: number[];
  asnCap: number;
  asnMinContribution: number;
  voterMinWeight: number;
  establishedWeight: number;
  thetaAdd: number;
  minAsns: number;
  minVoters: number;
  minEstablished: number;
  honeypotMinScore: number;
  honeypotWindowMs: number;
  honeypotKeepBonus: number;
  thetaKeep: number;
  keepBelowRuns: number;
  ttlConfirmedMs: number;
  ttlUnconfirmedMs: number;
  confirmedEstablished: number;
  cooldownMs: number;
  noveltyBudget: number;
  noveltyMode: NoveltyMode;
  noveltyWindowMs: number;
  /**
   * In a campaign, a listing passing the gates without its charged voters in at least this many
   * ASNs refunds them all; 0 (default) disables it: measured, it frees the budgets of sybils that
   * are also campaign victims (docs/consensus.md §4).
   */
  noveltySettleAsns: number;
  /**
   * On a verified delisting request that suppresses an unconfirmed consensus listing, treat its
   * voters as out of novelty budget for this long (pending review); 0 disables it.
   */
  suspendVotersOnRequestMs: number;
  /** Campaign exemption from the novelty budget (see campaign.ts); 0 disables it. */
  campaignMinNew: number;
  campaignWindowMs: number;
  campaignBaselineMs: number;
  campaignFactor: number;
  /**
   * Member-evidence campaigns (member-campaign.ts): distinct established voters (collusion roots)
   * and their ASNs behind the new corroborated IPs of the window; 0 disables member evidence.
   */
  campaignMinOwners: number;
  campaignMinAsns: number;
  /** In a campaign, an IP is exempt from the novelty budget only with D_AS at least this. */
  campaignMinAsnsPerIp: number;
  /**
   * A new listing paid from the novelty budget with D_AS below campaignMinAsnsPerIp waits this long
   * after its first report while its family is warming up (campaignWarmNew), so the collusion
   * detector sees a ring before it lists (inside a confirmed surge it waits for the surge to end);
   * 0 disables the wait.
   */
  fewAsnSettleMs: number;
  /** New corroborated IPs of a family, at the surge rate, that make it "warming"; 0 disables. */
  campaignWarmNew: number;
  /**
   * Two owners that co-reported at least this many dark IPs (collusion pair count) are a suspect
   * pair: a few-ASN listing they vote for waits during a surge or warm-up (fewAsnSettleMs); 0 (the
   * default) disables the hold. Measured at 5 (docs/consensus.md §2): the ring inside a campaign
   * lists 8 innocent IPs instead of 13, but honest co-victims are suspect pairs too and T8 slows.
   */
  collusionSuspectCount: number;
  priorAlpha: number;
  priorBeta: number;
  /**
   * Pseudo-count added to α of internal (vouched) reporters: with the default β prior the lower
   * bound starts above establishedWeight; negative evidence still lowers it and quarantine applies.
   */
  internalPriorAlpha: number;
  trustZ: number;
  ageGateMinMs: number;
  ageGateFullMs: number;
  establishedMinWeight: number;
  positiveCapPerDay: number;
  positiveHoneypotWindowMs: number;
  negAllowlistHit: number;
  negUpheldFp: number;
  negUnconfirmed: number;
  negUnconfirmedCapPerDay: number;
  negCanary: number;
  /**
   * Contradicted claim (evidence.ts, judgeUnconfirmed): a report still unconfirmed after
   * unconfirmedAfterMs whose IP was reported by at least collusionMinVoters reporters, all of one
   * owner or collusion cluster, with no established reporter outside it. Each adds this to beta
   * and counts towards quarantine (docs/consensus.md §1, "Sybil cost").
   */
  negContradicted: number;
  /** Contradicted claims within quarantineFpWindowMs that quarantine the reporter; 0 disables it. */
  quarantineContradicted: number;
  unconfirmedAfterMs: number;
  alphaForgetting: number;
  betaForgetting: number;
  quarantineFpCount: number;
  quarantineFpWindowMs: number;
  withdrawalWindowMs: number;
  maxDistinctIpsPerAgentPerDay: number;
  collusionIntervalMs: number;
  collusionDarkMs: number;
  collusionDecayPerDay: number;
  collusionLinkThreshold: number;
  /** A pair also needs this cosine share of the two owners' dark reports in common... */
  collusionMinShare: number;
  /** ...or at least this many dark IPs with a cosine share of at least collusionStrongShare. */
  collusionStrongThreshold: number;
  collusionStrongShare: number;
  /**
   * During a campaign, an IP whose established voters span at least this many ASNs is independent
   * evidence, not dark: by its settle instant (collusionSettleMs) before it is ever counted, or as a
   * listing with D_AS at least this once it has been counted.
   */
  collusionIndependentAsns: number;
  /**
   * An IP's co-reporters are first counted this long after its first report (its settle instant),
   * from the reports made by then, so the counts do not depend on how signals fell into scoring runs.
   */
  collusionSettleMs: number;
  collusionMinVoters: number;
  collusionWindowMs: number;
  suppressionMs: number;
  suppressionHoneypotLookbackMs: number;
  fpProtectionMs: number;
  keepCheckMinMs: number;
  keepCheckMaxMs: number;
  listedRescoreMinMs: number;
  explainMaxVoters: number;
  /** Never-list categories whose report counts as a public-allowlist hit (+1 negative evidence). */
  allowlistPenaltyCategories: string[];
}

export const DEFAULT_CONSENSUS_PARAMS: Readonly<ConsensusParams> = Object.freeze({
  tickMs: 15_000,
  voteHalfLifeMs: 36 * HOUR,
  voteMaxAgeMs: 72 * HOUR,
  asnRankWeights: [1, 0.5, 0.25, 0.125],
  asnCap: 1,
  asnMinContribution: 0.25,
  voterMinWeight: 0.1,
  establishedWeight: 0.5,
  thetaAdd: 2,
  minAsns: 3,
  minVoters: 3,
  minEstablished: 3,
  honeypotMinScore: 1,
  honeypotWindowMs: DAY,
  honeypotKeepBonus: 1.5,
  thetaKeep: 1,
  keepBelowRuns: 2,
  ttlConfirmedMs: 36 * HOUR,
  ttlUnconfirmedMs: DAY,
  confirmedEstablished: 6,
  cooldownMs: HOUR,
  noveltyBudget: 10,
  noveltyMode: 'corroboration',
  noveltyWindowMs: DAY,
  noveltySettleAsns: 0,
  suspendVotersOnRequestMs: 0,
  campaignMinNew: 30,
  campaignWindowMs: 10 * 60_000,
  campaignBaselineMs: DAY,
  campaignFactor: 10,
  campaignMinOwners: 20,
  campaignMinAsns: 10,
  campaignMinAsnsPerIp: 6,
  fewAsnSettleMs: 10 * 60_000,
  campaignWarmNew: 10,
  collusionSuspectCount: 0,
  priorAlpha: 1,
  priorBeta: 3,
  internalPriorAlpha: 40,
  trustZ: 1.645,
  ageGateMinMs: 14 * DAY,
  ageGateFullMs: 90 * DAY,
  establishedMinWeight: 0.5,
  positiveCapPerDay: 20,
  positiveHoneypotWindowMs: DAY,
  negAllowlistHit: 1,
  negUpheldFp: 3,
  negUnconfirmed: 0.05,
  negUnconfirmedCapPerDay: 2,
  negCanary: 50,
  negContradicted: 0.5,
  quarantineContradicted: 25,
  unconfirmedAfterMs: 72 * HOUR,
  alphaForgetting: 0.99,
  betaForgetting: 0.997,
  quarantineFpCount: 3,
  quarantineFpWindowMs: 30 * DAY,
  withdrawalWindowMs: 30 * DAY,
  maxDistinctIpsPerAgentPerDay: 2000,
  collusionIntervalMs: 15 * 60_000,
  collusionDarkMs: 72 * HOUR,
  collusionDecayPerDay: 0.8,
  collusionLinkThreshold: 15,
  collusionMinShare: 0.3,
  collusionStrongThreshold: 60,
  collusionStrongShare: 0.1,
  collusionIndependentAsns: 6,
  collusionSettleMs: 60_000,
  collusionMinVoters: 3,
  collusionWindowMs: 7 * DAY,
  suppressionMs: DAY,
  suppressionHoneypotLookbackMs: 7 * DAY,
  fpProtectionMs: 30 * DAY,
  keepCheckMinMs: 15 * 60_000,
  keepCheckMaxMs: 6 * HOUR,
  listedRescoreMinMs: 60_000,
  explainMaxVoters: 200,
  allowlistPenaltyCategories: ['crawler', 'cdn', 'healthcheck', 'resolver'],
} satisfies ConsensusParams);

const NOVELTY_MODES: readonly NoveltyMode[] = ['literal', 'corroboration', 'off'];

export class ConsensusParamsError extends Error {}

/** GDPR R3 (docs/privacy.md): no published decision may outlive 96 h, whatever the configuration. */
export const MAX_DECISION_LIFETIME_MS = 96 * HOUR;

/** Defaults overlaid with `overrides`; throws on unknown names and on values of the wrong type. */
export function resolveParams(overrides: Readonly<Record<string, unknown>> = {}): ConsensusParams {
  const out: ConsensusParams = structuredClone(DEFAULT_CONSENSUS_PARAMS) as ConsensusParams;
  const target = out as unknown as Record<string, unknown>;
  for (const [name, value] of Object.entries(overrides)) {
    if (!Object.hasOwn(DEFAULT_CONSENSUS_PARAMS, name)) {
      throw new ConsensusParamsError(`unknown consensus parameter: ${name}`);
    }
    const def = (DEFAULT_CONSENSUS_PARAMS as unknown as Record<string, unknown>)[name];
    target[name] = checkValue(name, def, value);
  }
  if (out.asnRankWeights.length === 0) throw new ConsensusParamsError('asnRankWeights must not be empty');
  for (const name of ['ttlConfirmedMs', 'ttlUnconfirmedMs'] as const) {
    if (out[name] > MAX_DECISION_LIFETIME_MS) throw new ConsensusParamsError(`${name} must be at most 96 h (${MAX_DECISION_LIFETIME_MS} ms): GDPR R3`);
  }
  return out;
}

/** The reason `overrides` would be refused (configuration check at boot), or null. */
export function consensusParamsProblem(overrides: Readonly<Record<string, unknown>>): string | null {
  try {
    resolveParams(overrides);
    return null;
  } catch (error) {
    if (error instanceof ConsensusParamsError) return error.message;
    throw error;
  }
}

function checkValue(name: string, def: unknown, value: unknown): unknown {
  if (typeof def === 'number') {
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      throw new ConsensusParamsError(`${name} must be a finite number >= 0`);
    }
    return value;
  }
  if (name === 'noveltyMode') {
    if (!NOVELTY_MODES.includes(value as NoveltyMode)) {
      throw new ConsensusParamsError(`noveltyMode must be one of ${NOVELTY_MODES.join(', ')}`);
    }
    return value;
  }
  if (Array.isArray(def)) {
    const kind = typeof def[0];
    if (!Array.isArray(value) || value.some((v) => typeof v !== kind)) {
      throw new ConsensusParamsError(`${name} must be an array of ${kind}`);
    }
    return [...value];
  }
  throw new ConsensusParamsError(`${name}: unsupported parameter type`);
}
