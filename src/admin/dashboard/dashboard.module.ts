import { Module } from '@nestjs/common';
import { AgentsModule } from '../../agents/agents.module.js';
import { OrganizationDirectoryModule } from '../../agents/organization-directory.js';
import { BillingFiguresModule } from '../../billing/billing-figures.js';
import { BlocklistModule } from '../../blocklist/blocklist.module.js';
import { ScoreFiguresModule } from '../../consensus/score-figures.js';
import { LookupModule } from '../../lookup/lookup.module.js';
import { UsageLedgerModule } from '../../lookup/usage/usage-ledger.js';
import { SignalsModule } from '../../signals/signals.module.js';
import { AdminPageController } from './admin-page.controller.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardService } from './dashboard.service.js';

/** The operator dashboard: its page at /admin and its JSON API under /v1/admin/*. */
@Module({
  imports: [LookupModule, UsageLedgerModule, AgentsModule, OrganizationDirectoryModule, BillingFiguresModule, SignalsModule, ScoreFiguresModule, BlocklistModule],
  controllers: [AdminPageController, DashboardController],
  providers: [DashboardService],
})
export class DashboardModule {}
