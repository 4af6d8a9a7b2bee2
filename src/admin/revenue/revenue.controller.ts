import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { RevenueDto } from './revenue.dto.js';
import { RevenueService } from './revenue.service.js';

@ApiTags('admin')
@Controller('v1/admin')
export class RevenueController {
  constructor(private readonly revenue: RevenueService) {}

  @Get('revenue')
  @Auth('revenue.read')
  @ApiOperation({
    summary: 'Revenue: MRR and its daily trend over 12 months, new/churned/past-due per day, failed payments, top customers',
    description:
      'Staff operators (admin, billing): MRR now and for each of the last 365 UTC days from the daily snapshot the billing job writes ' +
      '(null before the first snapshot: the trend is never estimated), live and past-due subscriptions per day, subscriptions started ' +
      'and cancelled per day, the newest 100 invoices a payment failed on with Stripe\'s status of each invoice now, and the top 10 ' +
      'organisations by paid invoices (12 months) and by lookups (30 days).',
  })
  @ApiOkResponse({ type: RevenueDto })
  page(): Promise<RevenueDto> {
    return this.revenue.page();
  }
}
