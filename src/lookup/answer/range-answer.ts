// The answer for a CIDR range: listed members and a range score (pure).
import type { ParsedCidr } from '../../common/ip/cidr.js';
import type { IpScoreIndex } from '../index/ip-score-index.js';
import { combineRangeScore } from '../index/reputation.js';
import type { PlanPolicy } from '../plans/plan.types.js';
import { isoSeconds } from './ip-answer.js';

export const RANGE_PREFIXES = { v4: { min: 16, max: 24 }, v6: { min: 48, max: 64 } } as const;
export const MAX_RANGE_MEMBERS = 1_000;

export interface RangeMember {
  /** IPv4 address, or IPv6 /64 */
  ip: string;
  score: number;
  listedUntil: string | null;
  scenarios?: readonly string[];
}

export interface RangeAnswer {
  cidr: string;
  /** scored addresses (IPv4) or /64s (IPv6) inside the range */
  scored: number;
  listed: number;
  maxScore: number;
  /** 0-100: noisy-OR of the members' scores (how likely the range holds at least one attacker) */
  score: number;
  members: RangeMember[];
  /** true when more than MAX_RANGE_MEMBERS members are listed (the first ones by address are returned) */
  truncated: boolean;
}

/** Why a CIDR cannot be queried, or null when it can. */
export function rangeProblem(cidr: ParsedCidr): string | null {
  const bounds = cidr.version === 4 ? RANGE_PREFIXES.v4 : RANGE_PREFIXES.v6;
  if (cidr.prefix < bounds.min || cidr.prefix > bounds.max) {
    return `IPv${cidr.version} ranges must be /${bounds.min} to /${bounds.max}`;
  }
  return null;
}

/** `isNeverListed(key)`: members inside a never-list network are left out (they are benign). */
export function buildRangeAnswer(
  index: IpScoreIndex,
  cidr: ParsedCidr,
  policy: PlanPolicy,
  nowSec: number,
  isNeverListed: (key: string) => boolean,
): RangeAnswer {
  const scores: number[] = [];
  const members: RangeMember[] = [];
  let listed = 0;
  let maxScore = 0;
  const withScenarios = policy.fields.has('scenarios');
  index.scanRange(cidr, nowSec, (key, f) => {
    scores.push(f.score);
    if (f.score > maxScore) maxScore = f.score;
    if (!f.listed || isNeverListed(key)) return;
    listed++;
    if (members.length >= MAX_RANGE_MEMBERS) return;
    const member: RangeMember = { ip: key, score: f.score, listedUntil: isoSeconds(f.listedUntil) };
    if (withScenarios) member.scenarios = f.scenarios;
    members.push(member);
  });
  return { cidr: cidr.text, scored: scores.length, listed, maxScore, score: combineRangeScore(scores), members, truncated: listed > members.length };
}
