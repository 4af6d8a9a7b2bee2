import { Injectable } from '@nestjs/common';
import { OrganizationsService } from '../../agents/organizations.service.js';
import { AuditService } from '../../audit/audit.service.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { LookupPlansService } from '../../lookup/plans/lookup-plans.service.js';
import { EntitlementsService } from '../entitlements.service.js';
import { FREE_PLAN_ID } from '../subscription-state.js';
import { type PlanCompRecord, PlanCompsRepository } from './plan-comps.repository.js';

/** The longest comp one decision may give (a longer gift is a contract, not a comp). */
export const MAX_COMP_DAYS = 366;
const DAY_MS = 86_400_000;

/**
 * Plans given free of charge for a period by a staff admin, never silently: each comp carries the
 * operator's reason, is audited (`plan.comped`) and is applied through the entitlements, so it ends by
 * itself and a paid plan above it is kept (src/billing/comps/comp-entitlement.ts, docs/operators.md "Comps").
 */
@Injectable()
export class PlanCompsService {
  constructor(
    private readonly comps: PlanCompsRepository,
    private readonly organizations: OrganizationsService,
    private readonly plans: LookupPlansService,
    private readonly entitlements: EntitlementsService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
  ) {}

  async grant(organizationId: string, planId: string, startsAt: Date | null, endsAt: Date, reason: string, actor: string): Promise<PlanCompRecord> {
    const now = this.clock.now();
    const from = startsAt ?? now;
    if (endsAt.getTime() <= Math.max(from.getTime(), now.getTime())) throw DomainError.badRequest('ends_at must be after starts_at and in the future');
    if (endsAt.getTime() - from.getTime() > MAX_COMP_DAYS * DAY_MS) throw DomainError.badRequest(`A comp lasts at most ${MAX_COMP_DAYS} days`);
    if (from.getTime() - now.getTime() > MAX_COMP_DAYS * DAY_MS) throw DomainError.badRequest(`A comp starts within ${MAX_COMP_DAYS} days`);
    if (planId === FREE_PLAN_ID) throw DomainError.badRequest('The free plan cannot be comped');
    const organization = await this.organizations.findById(organizationId);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Organisation not found');
    await this.plans.get(planId);
    const comp = await this.comps.create({ organizationId, planId, startsAt: from, endsAt, reason, grantedBy: actor });
    await this.audit.record(actor, 'plan.comped', `organization:${organizationId}`, {
      comp: comp.id,
      plan: planId,
      from: from.toISOString(),
      until: endsAt.toISOString(),
      reason,
    });
    await this.entitlements.evaluate(organizationId);
    return comp;
  }

  listOf(organizationId: string): Promise<PlanCompRecord[]> {
    return this.comps.listOf(organizationId);
  }
}
