import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { AdminErasureModule } from '../admin/admin.erasure.js';
import { AgentsErasureModule } from '../agents/agents.erasure.js';
import { AgentsModule } from '../agents/agents.module.js';
import { AuditErasureModule } from '../audit/audit.erasure.js';
import { BillingErasureModule } from '../billing/billing.erasure.js';
import { BlocklistErasureModule } from '../blocklist/blocklist.erasure.js';
import { NetworkKeysErasureModule } from '../common/network/network.erasure.js';
import { ConsensusErasureModule } from '../consensus/consensus.erasure.js';
import { DelistingExpiryService } from '../consensus/delisting/delisting-expiry.service.js';
import { DelistingRepository } from '../consensus/delisting/delisting.repository.js';
import { HttpProofVerifier, ProofVerifier } from '../consensus/delisting/proof-verifier.js';
import { CrowdsecErasureModule } from '../crowdsec/crowdsec.erasure.js';
import { LookupErasureModule } from '../lookup/lookup.erasure.js';
import { MembersErasureModule } from '../members/members.erasure.js';
import { SignalsModule } from '../signals/signals.module.js';
import { BackupService } from './backup.service.js';
import { DataLifecycles } from './data-lifecycles.js';
import { ErasureLedgerRepository } from './erasure-ledger.repository.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { IpDataService } from './ip-data.service.js';
import { IpRightsService } from './ip-rights.service.js';
import { LedgerReplayService } from './ledger-replay.service.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import { PrivacyLifecycle } from './privacy.erasure.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { PrivacyController } from './privacy.controller.js';
import { RetentionMetricsService } from './retention-metrics.service.js';
import { RetentionService } from './retention.service.js';

/**
 * GDPR by construction (docs/privacy.md): retention, erasure, IP-holder rights. Erasure and retention
 * run every domain's lifecycle (src/privacy/data-lifecycle.ts); the domains' erasure modules are
 * imported here so every process that can erase has all of them (DataLifecycles checks at boot).
 */
@Module({
  imports: [
    DiscoveryModule,
    AgentsModule,
    SignalsModule,
    AdminErasureModule,
    AgentsErasureModule,
    AuditErasureModule,
    BillingErasureModule,
    BlocklistErasureModule,
    ConsensusErasureModule,
    CrowdsecErasureModule,
    LookupErasureModule,
    MembersErasureModule,
    NetworkKeysErasureModule,
  ],
  controllers: [PrivacyController],
  providers: [
    BackupService,
    DataLifecycles,
    DelistingExpiryService,
    DelistingRepository,
    ErasureLedgerRepository,
    ErasureLedgerService,
    IpDataService,
    LedgerReplayService,
    IpRightsService,
    OrganizationErasureService,
    PrivacyLifecycle,
    PrivacyRequestsRepository,
    RetentionMetricsService,
    RetentionService,
    { provide: ProofVerifier, useClass: HttpProofVerifier },
  ],
  exports: [IpRightsService, RetentionService, BackupService, LedgerReplayService],
})
export class PrivacyModule {}
