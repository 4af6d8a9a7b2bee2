import { CampaignWatch } from './campaign.js';
import { CollusionDetector } from './collusion.js';
import { Interner } from './columns.js';
import { IpTable, NO_CATEGORY, UNKNOWN_CATEGORY } from './ip-table.js';
import { MemberCampaignWatch } from './member-campaign.js';
import { toListing, type ListingRecord } from './listing.js';
import { NoveltyBudget } from './novelty.js';
import type { ConsensusParams } from './params.js';
import { ReporterTable } from './reporters.js';
import { Scorer } from './score.js';
import { TimerHeap } from './timers.js';
import { defaultScenarioFamily } from './trust.js';
import type { EngineCounters, EngineOptions, Listing, QuarantineEvent } from './types.js';
import { VoteStore } from './votes.js';

export const DAY_MS = 86_400_000;

/** All mutable engine state, shared by the ingest, decision, evidence and maintenance steps. */
export class EngineState {
  readonly reporters: ReporterTable;
  readonly ips = new IpTable();
  readonly votes = new VoteStore();
  readonly scorer: Scorer;
  readonly novelty: NoveltyBudget;
  readonly collusion: CollusionDetector;
  readonly campaigns: CampaignWatch;
  readonly memberCampaigns: MemberCampaignWatch;
  /** Candidates the novelty budget blocked, rescored at once when a campaign surge starts. */
  readonly noveltyBlocked = new Set<number>();
  readonly timers = new TimerHeap();
  readonly classes = new Interner();
  readonly families = new Interner();
  readonly classFamilyBit: number[] = [];
  readonly categories = new Interner();
  private readonly penalised = new Set<string>();
  matcherEpoch = 0;
  dirtyList: number[] = [];
  /** IPs that must be rescored at the next tick even if listed and recently scored. */
  forced = new Set<number>();
  collusionList: number[] = [];
  /** Owners already paired on each honeypot-dark IP (collusion detector). */
  readonly coVoters = new Map<number, Set<number>>();
  /** Dark IPs with enough owners waiting for their settle instant before they are counted. */
  readonly coPending = new Set<number>();
  /** IPs found independent at their settle instant (campaign, many ASNs): never counted. */
  readonly coIndependent = new Set<number>();
  nextCollusionAt = -Infinity;
  lastMaintenanceDay = -1;
  added: Listing[] = [];
  removed: Listing[] = [];
  quarantined: QuarantineEvent[] = [];
  readonly counters: EngineCounters = {
    signals: 0,
    ignoredWeight0: 0,
    ignoredQuarantined: 0,
    ignoredOwnNetwork: 0,
    ignoredNeverList: 0,
    ignoredRateCap: 0,
    canaryHits: 0,
    positiveEvidence: 0,
    collusionLinks: 0,
    noveltyBlocked: 0,
    noveltyRefunds: 0,
    campaignHeld: 0,
    settleHeld: 0,
    contradicted: 0,
  };

  constructor(
    readonly p: ConsensusParams,
    readonly opts: EngineOptions,
  ) {
    this.reporters = new ReporterTable(p);
    this.scorer = new Scorer(p, this.reporters, this.votes, this.ips);
    this.novelty = new NoveltyBudget(p);
    this.collusion = new CollusionDetector(p);
    this.campaigns = new CampaignWatch(p);
    this.memberCampaigns = new MemberCampaignWatch(p);
    for (const c of p.allowlistPenaltyCategories) this.penalised.add(c);
  }

  dayOf(t: number): number {
    return Math.floor(t / DAY_MS);
  }

  classIndex(scenario: string): number {
    const c = this.classes.intern(scenario);
    if (c === this.classFamilyBit.length) {
      const fam = this.families.intern((this.opts.scenarioFamily ?? defaultScenarioFamily)(scenario));
      this.classFamilyBit.push(1 << (fam & 31));
    }
    return c;
  }

  markDirty(x: number): void {
    if (this.ips.dirty[x] === 0) {
      this.ips.dirty[x] = 1;
      this.dirtyList.push(x);
    }
  }

  markCollusion(x: number): void {
    if (this.ips.collusionDirty[x] === 0) {
      this.ips.collusionDirty[x] = 1;
      this.collusionList.push(x);
    }
  }

  schedule(x: number, at: number): void {
    this.ips.nextCheck[x] = at;
    this.timers.push(at, x);
  }

  private refreshMatchers(x: number): void {
    const ips = this.ips;
    if (ips.matcherEpoch[x] === this.matcherEpoch) return;
    ips.matcherEpoch[x] = this.matcherEpoch;
    const key = ips.keys[x];
    const cat = this.opts.neverList?.(key) ?? null;
    ips.neverCategory[x] = cat === null ? NO_CATEGORY : this.categories.intern(cat);
    ips.canary[x] = this.opts.canary?.(key) === true ? 1 : 0;
  }

  /** Never-list category id of `x`, or NO_CATEGORY. */
  neverCategory(x: number): number {
    if (this.ips.neverCategory[x] === UNKNOWN_CATEGORY || this.ips.matcherEpoch[x] !== this.matcherEpoch) this.refreshMatchers(x);
    return this.ips.neverCategory[x];
  }

  isCanary(x: number): boolean {
    if (this.ips.matcherEpoch[x] !== this.matcherEpoch) this.refreshMatchers(x);
    return this.ips.canary[x] === 1;
  }

  isPenalisedCategory(cat: number): boolean {
    return cat >= 0 && this.penalised.has(this.categories.names[cat]);
  }

  isProtectedTarget(x: number, now: number): boolean {
    if (this.ips.protectedUntil[x] > now) return true;
    return this.opts.protectedTarget?.(this.ips.keys[x]) === true;
  }

  honeypotSeen(x: number, now: number): boolean {
    return this.ips.hpLast[x] >= now - this.p.honeypotWindowMs;
  }

  /** Family bits of every scenario class reported for `x`. */
  familyBits(x: number): number {
    let bits = 0;
    for (const c of this.ips.classes[x] ?? []) bits |= this.classFamilyBit[c];
    return bits;
  }

  /** Whether `x` belongs to a family in a campaign surge, seen by our honeypots or by members. */
  inCampaign(x: number, now: number): boolean {
    return this.inHoneypotCampaign(x, now) || this.inMemberCampaign(x, now);
  }

  /** Surge seen by our honeypots (cannot be faked by reporters). */
  inHoneypotCampaign(x: number, now: number): boolean {
    return this.p.campaignMinNew > 0 && this.campaigns.surging(this.familyBits(x), now);
  }

  /** Surge seen through member evidence (member-campaign.ts). */
  inMemberCampaign(x: number, now: number): boolean {
    return this.p.campaignMinNew > 0 && this.memberCampaigns.surging(this.familyBits(x), now);
  }

  publicListing(rec: ListingRecord): Listing {
    return toListing(rec, {
      ipKey: (ip) => this.ips.keys[ip],
      classNames: (ip) => (this.ips.classes[ip] ?? []).map((c) => this.classes.names[c]).sort(),
      pseudonym: (a) => {
        const id = this.reporters.ids.names[a];
        return this.opts.pseudonym ? this.opts.pseudonym(id) : id;
      },
      maxVoters: this.p.explainMaxVoters,
    });
  }
}
