import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { auditActor } from '../../common/auth/principal-class.js';
import { CompPlanDto, CustomerAccountDto, SuspendOrganizationDto } from './customer-account.dto.js';
import { CustomerAccountService } from './customer-account.service.js';

/** A customer's account for staff: kind, suspension, subscription history, comps, invoices; suspend/resume and comp (docs/operators.md). */
@ApiTags('admin')
@Controller('v1/admin')
export class CustomerAccountController {
  constructor(private readonly accounts: CustomerAccountService) {}

  @Get('customers/:id/account')
  @Auth('customers.account')
  @ApiOperation({
    summary: "A customer's account: kind, suspension, subscription history, comped plans, invoices as Stripe reports them",
    description: 'Staff operators: the organisation\'s kind, its suspension and reason, every state its subscriptions went through, its comped plans with their reasons, and its last 24 invoices (paid, open, failed, void, uncollectible: Stripe\'s status, `failed` for an open invoice whose last payment attempt failed).',
  })
  @ApiOkResponse({ type: CustomerAccountDto })
  account(@Param('id', ParseUUIDPipe) id: string): Promise<CustomerAccountDto> {
    return this.accounts.account(id);
  }

  @Post('organizations/:id/suspend')
  @HttpCode(200)
  @Auth('organizations.suspend')
  @ApiOperation({
    summary: 'Suspend an organisation (audited, with a reason): its API keys answer 403 organization_suspended',
    description: 'Staff admins: every API key of the organisation is refused with 403 `organization_suspended` on every replica at once, until it is resumed. Audited as organization.suspended with the reason. 409 when already suspended.',
  })
  @ApiOkResponse({ type: CustomerAccountDto })
  suspend(@Param('id', ParseUUIDPipe) id: string, @Body() body: SuspendOrganizationDto, @CurrentPrincipal() principal: Principal): Promise<CustomerAccountDto> {
    return this.accounts.suspend(id, body.reason, auditActor(principal));
  }

  @Post('organizations/:id/resume')
  @HttpCode(200)
  @Auth('organizations.resume')
  @ApiOperation({ summary: 'Resume a suspended organisation (audited, with a reason)', description: 'Staff admins: its API keys work again at once. Audited as organization.resumed with the reason. 409 when not suspended.' })
  @ApiOkResponse({ type: CustomerAccountDto })
  resume(@Param('id', ParseUUIDPipe) id: string, @Body() body: SuspendOrganizationDto, @CurrentPrincipal() principal: Principal): Promise<CustomerAccountDto> {
    return this.accounts.resume(id, body.reason, auditActor(principal));
  }

  @Post('organizations/:id/comps')
  @HttpCode(201)
  @Auth('organizations.comp')
  @ApiOperation({
    summary: 'Comp a plan for a period (audited, with a mandatory reason)',
    description: 'Staff admins and billing: the organisation is on `plan_id` free of charge from `starts_at` (default now) to `ends_at` (at most 366 days), unless its subscription grants a higher plan; it falls back by itself at the end. Audited as plan.comped with the reason; shown in the customer\'s account.',
  })
  @ApiOkResponse({ type: CustomerAccountDto })
  comp(@Param('id', ParseUUIDPipe) id: string, @Body() body: CompPlanDto, @CurrentPrincipal() principal: Principal): Promise<CustomerAccountDto> {
    return this.accounts.comp(id, body, auditActor(principal));
  }
}
