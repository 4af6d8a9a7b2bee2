import { Injectable } from '@nestjs/common';
import { cidrV4, cidrV6, parseCidr } from '../common/ip/cidr.js';
import { type ParsedIp, parseIp } from '../common/ip/ip-address.js';
import { specialPurpose, type SpecialPurposeEntry } from '../common/ip/special-purpose.js';
import { NetworkIdentityService } from '../common/network/network-identity.service.js';
import { Clock } from '../infra/clock/clock.js';
import { buildIpAnswer, type IpAnswer, type RangeSummary } from './answer/ip-answer.js';
import { buildRangeAnswer, type RangeAnswer, rangeProblem } from './answer/range-answer.js';
import { LookupIndexService } from './index/lookup-index.service.js';
import { NeverListService } from '../consensus/never-list/never-list.service.js';
import type { ApiKeyPrincipal } from './keys/api-key-cache.js';
import type { LimitWindows, MeterVerdict } from './limits/lease-meter.js';
import { LookupLimitsService } from './limits/lookup-limits.service.js';
import { lookupError } from './lookup-errors.js';
import type { PlanPolicy, PlanView } from './plans/plan.types.js';
import { LookupPlansService } from './plans/lookup-plans.service.js';
import { LookupUsageService } from './usage/lookup-usage.service.js';

export interface Metered<T> {
  body: T;
  /** quota and burst state for the headers (src/lookup/limits/limit-headers.ts) */
  rate: LimitWindows;
}

export type BulkItem = IpAnswer | { ip: string; error: { code: 'invalid_ip'; message: string } };

export interface BulkAnswer {
  results: BulkItem[];
  /** lookups counted against the quotas (valid IPs outside special-purpose space) */
  metered: number;
}

const INVALID_IP = 'Not an IPv4 or IPv6 address (IPv4-mapped IPv6 is accepted)';

const dnsPolicies = new WeakMap<PlanPolicy, PlanPolicy>();

/** The plan with only the fields a DNS answer uses (scenarios, for behaviours). */
function narrowForDns(policy: PlanPolicy): PlanPolicy {
  let narrowed = dnsPolicies.get(policy);
  if (!narrowed) {
    narrowed = Object.freeze({ ...policy, fields: new Set(policy.fields.has('scenarios') ? (['scenarios'] as const) : []) });
    dnsPolicies.set(policy, narrowed);
  }
  return narrowed;
}

/**
 * The three lookup views. Per request: plan and key from memory, limits from local leases, the answer
 * from the in-memory index. No database or Redis read on the way (see LeaseMeter for the exceptions).
 */
@Injectable()
export class LookupService {
  constructor(
    private readonly index: LookupIndexService,
    private readonly neverList: NeverListService,
    private readonly network: NetworkIdentityService,
    private readonly plans: LookupPlansService,
    private readonly limits: LookupLimitsService,
    private readonly usage: LookupUsageService,
    private readonly clock: Clock,
  ) {}

  /**
   * The single-IP view. Synchronous whenever the plan is cached and the local lease has room, so the
   * first-packet route (src/lookup/fast-lookup-route.ts) spends no promise or microtask on it.
   */
  ip(principal: ApiKeyPrincipal, raw: string): Metered<IpAnswer> | Promise<Metered<IpAnswer>> {
    const policy = this.plans.cached(principal.planId);
    if (!policy) return this.plans.policy(principal.planId).then((loaded) => this.ipWith(principal, loaded, raw));
    return this.ipWith(principal, policy, raw);
  }

  private ipWith(principal: ApiKeyPrincipal, policy: PlanPolicy, raw: string): Metered<IpAnswer> | Promise<Metered<IpAnswer>> {
    this.assertView(principal, policy, 'ip');
    const ip = parseIp(raw);
    if (!ip) throw lookupError.invalid('invalid_ip', INVALID_IP, this.limits.peek(principal.organizationId, policy.limits));
    // Special-purpose space (private, loopback, documentation...) is answered free: no quota, no usage.
    const reserved = specialPurpose(ip);
    if (reserved) return { body: this.answer(ip, policy, this.nowSec(), reserved), rate: this.limits.peek(principal.organizationId, policy.limits) };
    this.assertReady();
    const verdict = this.limits.consume(principal.organizationId, policy.limits, 1);
    if (verdict instanceof Promise) {
      return verdict.then((v) => {
        const rate = this.counted(principal, v, 1);
        return { body: this.answer(ip, policy, this.nowSec(), null), rate };
      });
    }
    const rate = this.counted(principal, verdict, 1);
    return { body: this.answer(ip, policy, this.nowSec(), null), rate };
  }

  /**
   * The answer for the DNSBL zone (src/dnsbl): metered like `ip` (one lookup, special-purpose space
   * free), with only what a DNS answer carries (classification, score, behaviours when the plan shows
   * scenarios, benign, reserved): no range scan, network metadata or headers.
   */
  dns(principal: ApiKeyPrincipal, ip: ParsedIp): IpAnswer | Promise<IpAnswer> {
    // Synchronous whenever the plan is cached and the local lease has room (no microtask per query).
    const policy = this.plans.cached(principal.planId);
    if (!policy) return this.plans.policy(principal.planId).then(() => this.dns(principal, ip));
    if (!policy.views.has('ip')) throw lookupError.planRestricted('ip', policy.record.name, this.limits.peek(principal.organizationId, policy.limits));
    const narrowed = narrowForDns(policy);
    const reserved = specialPurpose(ip);
    if (reserved) return buildIpAnswer({ ip: ip.text, fields: null, neverList: null, reserved, metadata: null, range: null }, narrowed);
    this.assertReady();
    const verdict = this.limits.consume(principal.organizationId, policy.limits, 1);
    if (verdict instanceof Promise) return verdict.then((v) => this.dnsAnswer(principal, policy, narrowed, ip, v));
    return this.dnsAnswer(principal, policy, narrowed, ip, verdict);
  }

  private dnsAnswer(principal: ApiKeyPrincipal, policy: PlanPolicy, narrowed: PlanPolicy, ip: ParsedIp, verdict: MeterVerdict): IpAnswer {
    if (!verdict.ok) throw lookupError.limited(verdict);
    this.usage.record(principal.organizationId, principal.apiKeyId, 1);
    const fields = this.index.current.lookup(ip, Math.floor(this.clock.nowMs() / 1000));
    return buildIpAnswer({ ip: ip.text, fields, neverList: this.neverList.matchOf(ip), reserved: null, metadata: null, range: null }, narrowed);
  }

  async bulk(principal: ApiKeyPrincipal, inputs: readonly string[]): Promise<Metered<BulkAnswer>> {
    const policy = await this.policyFor(principal, 'bulk');
    if (inputs.length > policy.record.bulkSize) {
      const message = `Your plan allows ${policy.record.bulkSize} IPs per bulk request`;
      throw lookupError.invalid('bulk_too_large', message, this.limits.peek(principal.organizationId, policy.limits));
    }
    this.assertReady();
    const parsed = inputs.map((text) => parseIp(text));
    const reserved = parsed.map((ip) => (ip ? specialPurpose(ip) : null));
    const metered = parsed.reduce((n, ip, i) => (ip && !reserved[i] ? n + 1 : n), 0);
    const rate = await this.meter(principal, policy, metered);
    const nowSec = Math.floor(this.clock.nowMs() / 1000);
    const results = parsed.map((ip, i): BulkItem => (ip ? this.answer(ip, policy, nowSec, reserved[i]) : { ip: inputs[i], error: { code: 'invalid_ip', message: INVALID_IP } }));
    return { body: { results, metered }, rate };
  }

  async range(principal: ApiKeyPrincipal, raw: string): Promise<Metered<RangeAnswer>> {
    const policy = await this.policyFor(principal, 'range');
    const cidr = parseCidr(raw);
    const problem = cidr ? rangeProblem(cidr) : 'Not a CIDR block (address/prefix)';
    if (!cidr || problem) throw lookupError.invalid('invalid_cidr', problem ?? 'Not a CIDR block', this.limits.peek(principal.organizationId, policy.limits));
    this.assertReady();
    const rate = await this.meter(principal, policy, 1);
    const nowSec = Math.floor(this.clock.nowMs() / 1000);
    const body = buildRangeAnswer(this.index.current, cidr, policy, nowSec, (key) => this.neverListedKey(key));
    return { body, rate };
  }

  private async policyFor(principal: ApiKeyPrincipal, view: PlanView): Promise<PlanPolicy> {
    const policy = this.plans.cached(principal.planId) ?? (await this.plans.policy(principal.planId));
    this.assertView(principal, policy, view);
    return policy;
  }

  private assertView(principal: ApiKeyPrincipal, policy: PlanPolicy, view: PlanView): void {
    if (!policy.views.has(view)) throw lookupError.planRestricted(view, policy.record.name, this.limits.peek(principal.organizationId, policy.limits));
  }

  private assertReady(): void {
    if (!this.index.ready) throw lookupError.indexLoading();
  }

  private nowSec(): number {
    return Math.floor(this.clock.nowMs() / 1000);
  }

  private async meter(principal: ApiKeyPrincipal, policy: PlanPolicy, lookups: number): Promise<LimitWindows> {
    return this.counted(principal, await this.limits.consume(principal.organizationId, policy.limits, lookups), lookups);
  }

  /** Records the usage of an admitted request and returns the meter's state after it (no second read of the meter). */
  private counted(principal: ApiKeyPrincipal, verdict: MeterVerdict, lookups: number): LimitWindows {
    if (!verdict.ok) throw lookupError.limited(verdict);
    if (lookups > 0) this.usage.record(principal.organizationId, principal.apiKeyId, lookups);
    return verdict.windows;
  }

  private answer(ip: ParsedIp, policy: PlanPolicy, nowSec: number, reserved: SpecialPurposeEntry | null): IpAnswer {
    const index = this.index.current;
    let range: RangeSummary | null = null;
    if (policy.fields.has('range') && !reserved) {
      const cidr = ip.version === 4 ? cidrV4(ip.value, 24) : cidrV6(ip.hi, 0n, 64);
      const summary = index.summarize(cidr, nowSec);
      range = { cidr: cidr.text, listed: summary.listed, maxScore: summary.maxScore };
    }
    return buildIpAnswer(
      {
        ip: ip.text,
        fields: reserved ? null : index.lookup(ip, nowSec),
        neverList: reserved ? null : this.neverList.matchOf(ip),
        reserved,
        metadata: policy.fields.has('network') ? this.network.lookupMetadata(ip) : null,
        range,
      },
      policy,
    );
  }

  private neverListedKey(key: string): boolean {
    const slash = key.indexOf('/');
    const ip = parseIp(slash < 0 ? key : key.slice(0, slash));
    return ip !== null && this.neverList.categoryOf(ip) !== null;
  }
}
