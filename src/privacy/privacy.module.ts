import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { BlocklistRepository } from '../blocklist/blocklist.repository.js';
import { DelistingExpiryService } from '../consensus/delisting/delisting-expiry.service.js';
import { DelistingRepository } from '../consensus/delisting/delisting.repository.js';
import { HttpProofVerifier, ProofVerifier } from '../consensus/delisting/proof-verifier.js';
import { SignalPartitionsRepository } from '../signals/signal-partitions.repository.js';
import { BackupService } from './backup.service.js';
import { ErasureLedgerRepository } from './erasure-ledger.repository.js';
import { ErasureLedgerService } from './erasure-ledger.service.js';
import { IpDataRepository } from './ip-data.repository.js';
import { LedgerReplayService } from './ledger-replay.service.js';
import { IpRightsService } from './ip-rights.service.js';
import { OrganizationErasureRepository } from './organization-erasure.repository.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import { PrivacyRequestsRepository } from './privacy-requests.repository.js';
import { PrivacyController } from './privacy.controller.js';
import { RetentionMetricsService } from './retention-metrics.service.js';
import { RetentionRepository } from './retention.repository.js';
import { RetentionService } from './retention.service.js';

/** GDPR by construction (docs/privacy.md): retention, erasure, IP-holder rights. */
@Module({
  imports: [AgentsModule],
  controllers: [PrivacyController],
  providers: [
    BackupService,
    BlocklistRepository,
    DelistingExpiryService,
    DelistingRepository,
    SignalPartitionsRepository,
    ErasureLedgerRepository,
    ErasureLedgerService,
    IpDataRepository,
    LedgerReplayService,
    IpRightsService,
    OrganizationErasureRepository,
    OrganizationErasureService,
    PrivacyRequestsRepository,
    RetentionMetricsService,
    RetentionRepository,
    RetentionService,
    { provide: ProofVerifier, useClass: HttpProofVerifier },
  ],
  exports: [IpRightsService, RetentionService, BackupService, LedgerReplayService],
})
export class PrivacyModule {}
