import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { BlocklistModule } from '../blocklist/blocklist.module.js';
import { BlocklistService } from '../blocklist/blocklist.service.js';
import { SignalsModule } from '../signals/signals.module.js';
import { ConsensusIngestListener } from './consensus-ingest.listener.js';
import { ConsensusController } from './consensus.controller.js';
import { ConsensusRepository } from './consensus.repository.js';
import { ConsensusService } from './consensus.service.js';
import { DelistingRepository } from './delisting/delisting.repository.js';
import { DelistingService } from './delisting/delisting.service.js';
import { DelistingController } from './delisting/delisting.controller.js';
import { HttpProofVerifier, ProofVerifier } from './delisting/proof-verifier.js';
import { ExplainService } from './explain.service.js';
import { LISTING_PUBLISHER } from './listing-publisher.js';
import { NeverListService } from './never-list/never-list.service.js';
import { QuarantineReleaseModule } from './quarantine-release/quarantine-release.module.js';
import { ScoresFeed } from './scores-feed.js';
import { ScoresFeedRepository } from './scores-feed.repository.js';
import { ConsensusSnapshotRepository } from './snapshot/consensus-snapshot.repository.js';
import { ConsensusSnapshots } from './snapshot/consensus-snapshot.service.js';

@Module({
  imports: [AgentsModule, SignalsModule, BlocklistModule, QuarantineReleaseModule],
  controllers: [ConsensusController, DelistingController],
  providers: [
    ConsensusRepository,
    ConsensusService,
    ConsensusSnapshotRepository,
    ConsensusSnapshots,
    ConsensusIngestListener,
    DelistingRepository,
    DelistingService,
    ExplainService,
    NeverListService,
    ScoresFeedRepository,
    ScoresFeed,
    { provide: ProofVerifier, useClass: HttpProofVerifier },
    { provide: LISTING_PUBLISHER, useExisting: BlocklistService },
  ],
  exports: [ConsensusService, NeverListService, DelistingService, ScoresFeed],
})
export class ConsensusModule {}
