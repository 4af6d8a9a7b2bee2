import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { PublicPlanListDto } from '../dto/public-plan.dto.js';
import { PublicPlansService } from './public-plans.service.js';

@ApiTags('billing')
@Controller('v1/plans')
export class PublicPlansController {
  constructor(private readonly plans: PublicPlansService) {}

  @Get()
  @Auth('plans.public')
  @ApiOperation({
    summary: 'Plans with their prices (Stripe prices when billing is configured, list prices otherwise) and limits',
    description: 'Anyone, no credential: every plan with its price (read from the Stripe price objects when billing is configured, from the plan rows otherwise; source says which), whether it can be bought through Checkout, and its limits (requests a second, daily and monthly quotas, bulk size, answer fields, blocklist views).',
  })
  @ApiOkResponse({ type: PublicPlanListDto })
  async list(): Promise<PublicPlanListDto> {
    return {
      plans: (await this.plans.list()).map((p) => ({
        id: p.id,
        name: p.name,
        price: p.price ? { amount_cents: p.price.amountCents, currency: p.price.currency, interval: p.price.interval, source: p.price.source } : null,
        purchasable: p.purchasable,
        limits: { burst_per_second: p.limits.burstPerSecond, daily_quota: p.limits.dailyQuota, monthly_quota: p.limits.monthlyQuota, bulk_size: p.limits.bulkSize },
        fields: p.fields,
        views: p.views,
      })),
    };
  }
}
