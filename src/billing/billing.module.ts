import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { LookupModule } from '../lookup/lookup.module.js';
import { UsageLedgerModule } from '../lookup/usage/usage-ledger.js';
import { BillingEventsService } from './billing-events.service.js';
import { BillingController } from './billing.controller.js';
import { BillingRepository } from './billing.repository.js';
import { BillingService } from './billing.service.js';
import { EntitlementsService } from './entitlements.service.js';
import { InvoicesController } from './invoices.controller.js';
import { PublicPlansController } from './plans/public-plans.controller.js';
import { PlanCompsRepository } from './comps/plan-comps.repository.js';
import { PlanCompsService } from './comps/plan-comps.service.js';
import { PublicPlansService } from './plans/public-plans.service.js';
import { RevenueFiguresModule, RevenueSnapshotJob } from './revenue/revenue-figures.js';
import { createStripeClient, STRIPE_CLIENT } from './stripe.client.js';
import { UsageReportRepository } from './usage/usage-report.repository.js';
import { UsageReporterService } from './usage/usage-reporter.service.js';

/** Stripe billing: checkout/portal, webhook intake and processing, entitlements, metered usage. */
@Module({
  imports: [AgentsModule, LookupModule, UsageLedgerModule, RevenueFiguresModule],
  controllers: [BillingController, PublicPlansController, InvoicesController],
  providers: [
    { provide: STRIPE_CLIENT, inject: [APP_CONFIG], useFactory: (config: AppConfig) => createStripeClient(config.billing) },
    BillingRepository,
    BillingService,
    BillingEventsService,
    EntitlementsService,
    UsageReportRepository,
    UsageReporterService,
    PublicPlansService,
    PlanCompsRepository,
    PlanCompsService,
    RevenueSnapshotJob,
  ],
  exports: [BillingRepository, UsageReporterService, PlanCompsService],
})
export class BillingModule {}
