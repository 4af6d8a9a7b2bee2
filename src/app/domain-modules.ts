import type { Type } from '@nestjs/common';
import { AdminModule } from '../admin/admin.module.js';
import { AgentsModule } from '../agents/agents.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { BillingModule } from '../billing/billing.module.js';
import { BlocklistModule } from '../blocklist/blocklist.module.js';
import { DashboardModule } from '../admin/dashboard/dashboard.module.js';
import { ConsoleModule } from '../admin/console/console.module.js';
import { CustomerAccountModule } from '../admin/customers/customer-account.module.js';
import { RevenueModule } from '../admin/revenue/revenue.module.js';
import { ConsensusModule } from '../consensus/consensus.module.js';
import { CrowdsecModule } from '../crowdsec/crowdsec.module.js';
import { DnsblModule } from '../dnsbl/dnsbl.module.js';
import { HolderModule } from '../holder/holder.module.js';
import { LookupModule } from '../lookup/lookup.module.js';
import { MembersModule } from '../members/members.module.js';
import { PrivacyModule } from '../privacy/privacy.module.js';
import { SignalsModule } from '../signals/signals.module.js';

/** Business domains, loaded by both the API and the worker (each brings its controllers and job handlers). */
export const DOMAIN_MODULES: Array<Type<unknown>> = [AuditModule, AgentsModule, SignalsModule, AdminModule, BlocklistModule, ConsensusModule, LookupModule, DnsblModule, CrowdsecModule, PrivacyModule, BillingModule, DashboardModule, ConsoleModule, RevenueModule, CustomerAccountModule, MembersModule, HolderModule];
