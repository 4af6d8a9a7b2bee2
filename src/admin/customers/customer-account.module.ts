import { Module } from '@nestjs/common';
import { AgentsModule } from '../../agents/agents.module.js';
import { BillingFiguresModule } from '../../billing/billing-figures.js';
import { BillingModule } from '../../billing/billing.module.js';
import { RevenueFiguresModule } from '../../billing/revenue/revenue-figures.js';
import { LookupModule } from '../../lookup/lookup.module.js';
import { MembersModule } from '../../members/members.module.js';
import { CustomerAccountController } from './customer-account.controller.js';
import { CustomerAccountService } from './customer-account.service.js';

/** Staff actions on a customer's account (src/admin/customers, docs/operators.md "Customers"). */
@Module({
  imports: [AgentsModule, BillingModule, BillingFiguresModule, RevenueFiguresModule, LookupModule, MembersModule],
  controllers: [CustomerAccountController],
  providers: [CustomerAccountService],
})
export class CustomerAccountModule {}
