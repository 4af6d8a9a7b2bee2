import { Module } from '@nestjs/common';
import { OrganizationDirectoryModule } from '../../agents/organization-directory.js';
import { RevenueFiguresModule } from '../../billing/revenue/revenue-figures.js';
import { UsageLedgerModule } from '../../lookup/usage/usage-ledger.js';
import { RevenueController } from './revenue.controller.js';
import { RevenueService } from './revenue.service.js';

/** The console's revenue page data (GET /v1/admin/revenue). */
@Module({
  imports: [RevenueFiguresModule, UsageLedgerModule, OrganizationDirectoryModule],
  controllers: [RevenueController],
  providers: [RevenueService],
})
export class RevenueModule {}
