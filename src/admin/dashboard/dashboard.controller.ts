import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CustomerDetailDto, CustomerListDto, CustomersQueryDto, OverviewDto } from './dashboard.dto.js';
import { DashboardService } from './dashboard.service.js';

@ApiTags('admin')
@Controller('v1/admin')
export class DashboardController {
  constructor(private readonly dashboard: DashboardService) {}

  @Get('overview')
  @Auth('dashboard.overview')
  @ApiOperation({ summary: 'Dashboard overview: revenue, subscriptions, usage vs capacity, community health', description: 'Staff operators: monthly recurring revenue, subscriptions by plan and status, lookups used against capacity, and community health (agents, signals, listings).' })
  @ApiOkResponse({ type: OverviewDto })
  overview(): Promise<OverviewDto> {
    return this.dashboard.overview();
  }

  @Get('customers')
  @Auth('dashboard.customers')
  @ApiOperation({ summary: 'Customer organisations: plan, status, usage this month vs quota, overage, last invoice (search, sort)', description: 'Staff operators: one row per organisation of a kind (`kind`: customer by default, community or internal) with plan, subscription status, suspension, usage this month against quota, overage and last invoice; `q` searches by name, `sort` orders the rows.' })
  @ApiOkResponse({ type: CustomerListDto })
  async customers(@Query() query: CustomersQueryDto): Promise<CustomerListDto> {
    return { customers: await this.dashboard.customers(query.q, query.sort, query.dir, query.kind) };
  }

  @Get('customers/:id')
  @Auth('dashboard.customer')
  @ApiOperation({ summary: 'One customer: daily usage (30 days), subscriptions, keys (prefixes), invoices, agents', description: 'One customer organisation: 30 days of daily usage, subscriptions, API keys (prefixes only), invoices and agents. Staff, or operators attached to that organisation.' })
  @ApiOkResponse({ type: CustomerDetailDto })
  customer(@Param('id', ParseUUIDPipe) id: string): Promise<CustomerDetailDto> {
    return this.dashboard.customer(id);
  }
}
