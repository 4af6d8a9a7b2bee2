import { Injectable, Logger } from '@nestjs/common';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { LookupBus } from '../events/lookup-bus.js';
import { DEFAULT_PLAN_ID, type PlanChanges, type PlanPolicy, planProblems, type PlanRecord, toPolicy } from './plan.types.js';
import { PlansRepository } from './plans.repository.js';

/**
 * Plans (data, edited by operators) and which plan each organisation has. The API keeps every plan in
 * memory; edits and plan changes are pushed to all replicas through the lookup bus.
 */
@Injectable()
export class LookupPlansService {
  private readonly logger = new Logger('LookupPlans');
  private policies = new Map<string, PlanPolicy>();
  private loading: Promise<void> | null = null;

  constructor(
    private readonly plans: PlansRepository,
    private readonly bus: LookupBus,
    private readonly audit: AuditService,
  ) {
    bus.on((message) => {
      if (message.t === 'plans') void this.reload().catch((error: Error) => this.logger.warn(`plan reload failed: ${error.message}`));
    });
    bus.onResync(() => void this.reload().catch(() => undefined));
  }

  /** Reloads every plan (coalesces concurrent calls). */
  reload(): Promise<void> {
    this.loading ??= this.plans
      .list()
      .then((records) => {
        this.policies = new Map(records.map((r) => [r.id, toPolicy(r)]));
      })
      .finally(() => {
        this.loading = null;
      });
    return this.loading;
  }

  /** The cached policy of a plan (hot path), or undefined before the first load. */
  cached(planId: string): PlanPolicy | undefined {
    return this.policies.get(planId);
  }

  async policy(planId: string): Promise<PlanPolicy> {
    let policy = this.policies.get(planId);
    if (!policy) {
      await this.reload();
      policy = this.policies.get(planId) ?? this.policies.get(DEFAULT_PLAN_ID);
    }
    if (!policy) throw DomainError.unavailable('Plans are not loaded yet; retry shortly');
    return policy;
  }

  list(): Promise<PlanRecord[]> {
    return this.plans.list();
  }

  async get(id: string): Promise<PlanRecord> {
    const plan = await this.plans.findById(id);
    if (!plan) throw DomainError.notFound(`No plan "${id}"`);
    return plan;
  }

  async update(id: string, changes: PlanChanges, actor: string): Promise<PlanRecord> {
    const before = await this.get(id);
    const problems = planProblems({ ...before, ...changes });
    if (problems.length > 0) throw DomainError.badRequest(problems.join('; '), problems);
    const after = await this.plans.update(id, changes);
    const { updatedAt: _b, ...beforeValues } = before;
    const { updatedAt: _a, ...afterValues } = after;
    await this.audit.record(actor, 'plan.updated', `plan:${id}`, { before: beforeValues, after: afterValues });
    await this.bus.publish({ t: 'plans' });
    return after;
  }

  /** The plan id of an organisation (free when none was set). */
  async planIdOf(organizationId: string): Promise<string> {
    return (await this.plans.organizationPlanId(organizationId)) ?? DEFAULT_PLAN_ID;
  }

  /**
   * Puts an organisation on a plan (billing calls this when a subscription changes). Every replica
   * drops the organisation's cached keys, so the new limits and fields apply from its next request.
   */
  async setOrganizationPlan(organizationId: string, planId: string, actor = 'system'): Promise<void> {
    await this.get(planId);
    const previous = await this.planIdOf(organizationId);
    await this.plans.setOrganizationPlan(organizationId, planId);
    await this.audit.record(actor, 'organization.plan_changed', `organization:${organizationId}`, { from: previous, to: planId });
    await this.bus.publish({ t: 'org', org: organizationId });
  }
}
