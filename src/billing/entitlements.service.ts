import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { JobName, jobId } from '../infra/queue/queue.constants.js';
import { QueueService } from '../infra/queue/queue.service.js';
import { LookupPlansService } from '../lookup/plans/lookup-plans.service.js';
import { BillingRepository } from './billing.repository.js';
import { withComps } from './comps/comp-entitlement.js';
import { PlanCompsRepository } from './comps/plan-comps.repository.js';
import { type Entitlement, organizationEntitlement } from './subscription-state.js';

/**
 * Applies an organisation's entitlement (from its stored subscriptions and comped plans) to the lookup plan, and
 * schedules a re-check when the answer will change by itself (grace period over, period end).
 */
@Injectable()
export class EntitlementsService {
  constructor(
    private readonly billing: BillingRepository,
    private readonly comps: PlanCompsRepository,
    private readonly plans: LookupPlansService,
    private readonly queue: QueueService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async evaluate(organizationId: string): Promise<Entitlement> {
    const now = this.clock.now();
    const [subs, comps] = await Promise.all([this.billing.subscriptionsOf(organizationId), this.comps.openOf(organizationId, now)]);
    const order = (await this.plans.list()).map((p) => p.id);
    const rank = (id: string): number => order.indexOf(id);
    const entitlement = withComps(organizationEntitlement(subs, now, this.config.billing.graceHours * 3_600_000, rank), comps, now, rank);
    if ((await this.plans.planIdOf(organizationId)) !== entitlement.planId) {
      await this.plans.setOrganizationPlan(organizationId, entitlement.planId, `billing:${entitlement.reason}`);
    }
    if (entitlement.recheckAt) {
      const at = entitlement.recheckAt.getTime();
      await this.queue.enqueue(JobName.StripeEvent, { recheck: organizationId }, jobId(JobName.StripeEvent, 'recheck', organizationId, at), {
        delay: Math.max(0, at - now.getTime() + 1_000),
      });
    }
    return entitlement;
  }
}
