import { Body, Controller, Get, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { auditActor } from '../../common/auth/principal-class.js';
import { OrganizationPlanDto, PlanDto, PlanListDto, toPlanDto, UpdatePlanDto } from '../dto/plan.dto.js';
import type { PlanChanges } from './plan.types.js';
import { LookupPlansService } from './lookup-plans.service.js';

@ApiTags('admin')
@Controller('v1/admin')
export class PlansController {
  constructor(private readonly plans: LookupPlansService) {}

  @Get('plans')
  @Auth('plans.list')
  @ApiOperation({ summary: 'List the lookup plans', description: 'Staff operators: every plan definition with its limits (per second, day, month), bulk size, answer fields and views, and its Stripe price.' })
  @ApiOkResponse({ type: PlanListDto })
  async list(): Promise<PlanListDto> {
    return { plans: (await this.plans.list()).map(toPlanDto) };
  }

  @Get('plans/:id')
  @Auth('plans.read')
  @ApiOperation({ summary: 'One lookup plan', description: 'Staff operators: one plan definition.' })
  @ApiOkResponse({ type: PlanDto })
  async get(@Param('id') id: string): Promise<PlanDto> {
    return toPlanDto(await this.plans.get(id));
  }

  @Put('plans/:id')
  @Auth('plans.update')
  @ApiOperation({ summary: 'Change a plan (limits, bulk size, fields, views); audited, applied by every replica at once', description: 'Staff admins change a plan\'s limits, bulk size, fields or views. Every API process applies the new definition at once (broadcast). Audited.' })
  @ApiOkResponse({ type: PlanDto })
  async update(@Param('id') id: string, @Body() body: UpdatePlanDto, @CurrentPrincipal() principal: Principal): Promise<PlanDto> {
    const changes: PlanChanges = {
      name: body.name,
      burstPerSecond: body.burst_per_second,
      dailyQuota: body.daily_quota,
      monthlyQuota: body.monthly_quota,
      bulkSize: body.bulk_size,
      fields: body.fields,
      views: body.views,
    };
    for (const key of Object.keys(changes) as Array<keyof PlanChanges>) if (changes[key] === undefined) delete changes[key];
    return toPlanDto(await this.plans.update(id, changes, auditActor(principal)));
  }

  @Get('organizations/:id/plan')
  @Auth('organizationPlan.read')
  @ApiOperation({ summary: "An organisation's lookup plan", description: 'The plan an organisation is on, its limits and where it came from (Stripe subscription or an operator\'s decision).' })
  @ApiOkResponse({ type: PlanDto })
  async organizationPlan(@Param('id', ParseUUIDPipe) id: string): Promise<PlanDto> {
    return toPlanDto(await this.plans.get(await this.plans.planIdOf(id)));
  }

  @Put('organizations/:id/plan')
  @Auth('organizationPlan.set')
  @ApiOperation({ summary: 'Put an organisation on a plan (audited)', description: 'Staff admins put an organisation on a plan outside Stripe (for example a trial). Audited. A later Stripe subscription event for the organisation sets its plan again.' })
  @ApiOkResponse({ type: PlanDto })
  async setOrganizationPlan(@Param('id', ParseUUIDPipe) id: string, @Body() body: OrganizationPlanDto, @CurrentPrincipal() principal: Principal): Promise<PlanDto> {
    await this.plans.setOrganizationPlan(id, body.plan_id, auditActor(principal));
    return toPlanDto(await this.plans.get(body.plan_id));
  }
}
