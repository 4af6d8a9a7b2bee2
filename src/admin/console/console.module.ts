import { Module } from '@nestjs/common';
import { AgentRosterModule } from '../../agents/agent-roster.js';
import { BlocklistModule } from '../../blocklist/blocklist.module.js';
import { ConsensusModule } from '../../consensus/consensus.module.js';
import { ListingRecordsModule } from '../../consensus/listing-records.js';
import { QuarantineReleaseModule } from '../../consensus/quarantine-release/quarantine-release.module.js';
import { ReporterStandingsModule } from '../../consensus/reporter-standing.js';
import { PrivacyQueueModule } from '../../privacy/privacy-queue.js';
import { SignalsModule } from '../../signals/signals.module.js';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';
import { ListingsController } from './listings.controller.js';
import { ListingsService } from './listings.service.js';

/** The operator console's read routes under /v1/admin/console (the page itself is served by the dashboard module). */
@Module({
  imports: [ConsensusModule, ReporterStandingsModule, PrivacyQueueModule, AgentRosterModule, ListingRecordsModule, BlocklistModule, QuarantineReleaseModule, SignalsModule],
  controllers: [ConsoleController, ListingsController],
  providers: [ConsoleService, ListingsService],
})
export class ConsoleModule {}
