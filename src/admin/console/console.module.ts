import { Module } from '@nestjs/common';
import { AgentRosterModule } from '../../agents/agent-roster.js';
import { ConsensusModule } from '../../consensus/consensus.module.js';
import { ReporterStandingsModule } from '../../consensus/reporter-standing.js';
import { PrivacyQueueModule } from '../../privacy/privacy-queue.js';
import { ConsoleController } from './console.controller.js';
import { ConsoleService } from './console.service.js';

/** The operator console's read routes under /v1/admin/console (the page itself is served by the dashboard module). */
@Module({
  imports: [ConsensusModule, ReporterStandingsModule, PrivacyQueueModule, AgentRosterModule],
  controllers: [ConsoleController],
  providers: [ConsoleService],
})
export class ConsoleModule {}
