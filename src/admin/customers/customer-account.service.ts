import { Injectable } from '@nestjs/common';
import { OrganizationsService } from '../../agents/organizations.service.js';
import { BillingFigures } from '../../billing/billing-figures.js';
import { PlanCompsService } from '../../billing/comps/plan-comps.service.js';
import { RevenueFigures } from '../../billing/revenue/revenue-figures.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { ApiKeysService } from '../../lookup/keys/api-keys.service.js';
import { toMemberDto } from '../../members/member.mapper.js';
import { MembersRepository } from '../../members/members.repository.js';
import type { CompPlanDto, CustomerAccountDto, PlanCompDto } from './customer-account.dto.js';

const iso = (d: Date | null): string | null => (d ? d.toISOString() : null);

/** Stripe's invoice status, with `failed` for an open invoice whose last payment attempt failed. */
export function invoiceState(status: string, paymentFailedAt: Date | null): string {
  return status === 'open' && paymentFailedAt ? 'failed' : status;
}

/**
 * A customer's account as staff see and act on it (docs/operators.md "Customers"): kind, suspension,
 * subscription history, comps, invoices and members, from the owning domains; suspend/resume through the agents
 * domain (then every replica forgets the organisation's cached keys), comps through billing. Every
 * action is audited by the domain that carries it out.
 */
@Injectable()
export class CustomerAccountService {
  constructor(
    private readonly organizations: OrganizationsService,
    private readonly billing: BillingFigures,
    private readonly revenue: RevenueFigures,
    private readonly comps: PlanCompsService,
    private readonly keys: ApiKeysService,
    private readonly members: MembersRepository,
    private readonly clock: Clock,
  ) {}

  async account(id: string): Promise<CustomerAccountDto> {
    const organization = await this.organizations.findById(id);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Organisation not found');
    const now = this.clock.nowMs();
    const [history, comps, invoices, members] = await Promise.all([
      this.revenue.subscriptionHistoryOf(id),
      this.comps.listOf(id),
      this.billing.invoicesOf(id),
      this.members.listByOrganization(id),
    ]);
    return {
      id,
      name: organization.name,
      kind: organization.kind,
      suspended_at: iso(organization.suspendedAt),
      suspension_reason: organization.suspensionReason,
      subscription_history: history.map((h) => ({ subscription_id: h.subscriptionId, status: h.status, plan_id: h.planId, amount_cents: h.amountCents, at: h.at.toISOString() })),
      comps: comps.map((c): PlanCompDto => ({
        id: c.id,
        plan_id: c.planId,
        starts_at: c.startsAt.toISOString(),
        ends_at: c.endsAt.toISOString(),
        reason: c.reason,
        granted_by: c.grantedBy,
        created_at: c.createdAt.toISOString(),
        state: c.startsAt.getTime() > now ? 'scheduled' : c.endsAt.getTime() > now ? 'running' : 'ended',
      })),
      invoices: invoices.map((i) => ({
        id: i.id,
        state: invoiceState(i.status, i.paymentFailedAt),
        stripe_status: i.status,
        amount_cents: i.amountCents,
        currency: i.currency,
        created_at: i.createdAt.toISOString(),
        attempt_count: i.attemptCount,
        payment_failed_at: iso(i.paymentFailedAt),
        next_payment_attempt: iso(i.nextPaymentAttempt),
      })),
      members: members.map(toMemberDto),
    };
  }

  async suspend(id: string, reason: string, actor: string): Promise<CustomerAccountDto> {
    await this.organizations.suspend(id, reason.trim(), actor);
    await this.keys.refreshOrganization(id);
    return this.account(id);
  }

  async resume(id: string, reason: string, actor: string): Promise<CustomerAccountDto> {
    await this.organizations.resume(id, reason.trim(), actor);
    await this.keys.refreshOrganization(id);
    return this.account(id);
  }

  async comp(id: string, body: CompPlanDto, actor: string): Promise<CustomerAccountDto> {
    await this.comps.grant(id, body.plan_id, body.starts_at ? new Date(body.starts_at) : null, new Date(body.ends_at), body.reason.trim(), actor);
    return this.account(id);
  }
}
