import { Body, Controller, Get, Headers, HttpCode, Post, Query, Req } from '@nestjs/common';
import { ApiBadRequestResponse, ApiConflictResponse, ApiForbiddenResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { auditActor } from '../common/auth/principal-class.js';
import type { RequestWithRawBody } from '../common/http/json-body.js';
import { BillingService } from './billing.service.js';
import { CheckoutRequestDto, PlanChangeDto, PlanChangeRequestDto, PortalRequestDto, ReconciliationDto, ReconciliationQueryDto, SessionUrlDto, WebhookAckDto } from './dto/billing.dto.js';
import { UsageReporterService } from './usage/usage-reporter.service.js';

@ApiTags('billing')
@Controller('v1/billing')
export class BillingController {
  constructor(
    private readonly billing: BillingService,
    private readonly usage: UsageReporterService,
  ) {}

  @Post('checkout')
  @HttpCode(200)
  @Auth('billing.checkout')
  @ApiOperation({
    summary: "Start a Stripe Checkout session for a plan (the organisation's operators, or an admin)",
    description: 'Owners, admins and billing members of the organisation, its admin and billing operators, or staff admin and billing: a Stripe Checkout session for the plan\'s price (and the metered overage price), returning to success_url / cancel_url (the portal\'s or the dashboard\'s billing pages by default). Earlier open sessions of the customer are expired, so two checkouts cannot both be paid. 409 subscription_active when a subscription is live: change its plan with POST /v1/billing/plan-change instead, never a second subscription. Audited.',
  })
  @ApiOkResponse({ type: SessionUrlDto })
  checkout(@Body() body: CheckoutRequestDto, @CurrentPrincipal() principal: Principal): Promise<SessionUrlDto> {
    return this.billing.checkout(body.organization_id, body.plan_id, { success: body.success_url, cancel: body.cancel_url }, auditActor(principal));
  }

  @Post('plan-change')
  @HttpCode(200)
  @Auth('billing.planChange')
  @ApiOperation({
    summary: "Change the plan of the organisation's live subscription (the same Stripe subscription, prorated)",
    description: 'Upgrades and downgrades between paid plans: the Stripe subscription item gets the new price, Stripe prorates and invoices the difference; the plan applies when Stripe confirms (webhook). Never a second subscription.',
  })
  @ApiOkResponse({ type: PlanChangeDto })
  @ApiBadRequestResponse({ description: 'the plan has no Stripe price' })
  @ApiForbiddenResponse({ description: 'not an owner, admin or billing member (or billing operator) of the organisation' })
  @ApiConflictResponse({ description: 'no_subscription (start a checkout), plan_unchanged' })
  async planChange(@Body() body: PlanChangeRequestDto, @CurrentPrincipal() principal: Principal): Promise<PlanChangeDto> {
    const changed = await this.billing.changePlan(body.organization_id, body.plan_id, auditActor(principal));
    return { subscription_id: changed.subscriptionId, from_plan_id: changed.fromPlanId, plan_id: changed.planId, status: changed.status };
  }

  @Post('portal')
  @HttpCode(200)
  @Auth('billing.portal')
  @ApiOperation({
    summary: 'Open a Stripe Customer Portal session for the organisation',
    description: 'Owners, admins and billing members of the organisation, its admin and billing operators, or staff admin and billing: a Stripe billing portal session (cards, invoices, cancellation) returning to return_url. Audited.',
  })
  @ApiOkResponse({ type: SessionUrlDto })
  portal(@Body() body: PortalRequestDto, @CurrentPrincipal() principal: Principal): Promise<SessionUrlDto> {
    return this.billing.portal(body.organization_id, body.return_url, auditActor(principal));
  }

  @Post('webhook')
  @Auth('billing.webhook')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Stripe webhook (signed with Stripe-Signature; stored by event id, processed by a job)',
    description: 'Stripe only: the body must carry a valid Stripe-Signature for the configured webhook secret (400 otherwise). Each event is stored once by its id (a redelivery answers duplicate: true) and applied by the billing worker: subscriptions, plans, invoices.',
  })
  @ApiOkResponse({ type: WebhookAckDto })
  async webhook(@Req() request: RequestWithRawBody, @Headers('stripe-signature') signature: string | undefined): Promise<WebhookAckDto> {
    const { duplicate } = await this.billing.receiveWebhook(request.rawBody, signature);
    return { received: true, duplicate };
  }

  @Get('reconciliation')
  @Auth('billing.reconciliation')
  @ApiOperation({
    summary: 'Metered usage: lookups counted vs overage reported to Stripe, per organisation, for a UTC month',
    description: 'Staff admin and billing operators: for each organisation, the lookups the usage ledger counted in the UTC month (period YYYY-MM, the current month by default), the quota included in its plan, the overage recorded and what Stripe was sent; difference is overage not yet reported.',
  })
  @ApiOkResponse({ type: ReconciliationDto })
  async reconciliation(@Query() query: ReconciliationQueryDto): Promise<ReconciliationDto> {
    const result = await this.usage.reconciliation(query.period ? new Date(`${query.period}-01T00:00:00Z`) : undefined);
    return {
      period: result.period,
      rows: result.rows.map((r) => ({
        organization_id: r.organizationId,
        plan_id: r.planId,
        counted: Number(r.counted),
        included: Number(r.included),
        overage: Number(r.overage),
        recorded: Number(r.recorded),
        reported: Number(r.reported),
        pending: Number(r.pending),
        difference: Number(r.overage - r.reported),
      })),
    };
  }
}
