import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { IngestGateService } from './ingest-gate.service.js';
import { SignalNonceSweeper } from './signal-nonce-sweeper.service.js';
import { SignalPartitionsRepository } from './signal-partitions.repository.js';
import { SignalPartitionsService } from './signal-partitions.service.js';
import { SignalsController } from './signals.controller.js';
import { SignalsLifecycle } from './signals.erasure.js';
import { SignalsFeed } from './signals-feed.js';
import { SignalsErasureRepository, SignalsFeedRepository } from './signals-feed.repository.js';
import { SignalsRepository } from './signals.repository.js';
import { SignalsService } from './signals.service.js';

@Module({
  imports: [AgentsModule],
  controllers: [SignalsController],
  providers: [SignalPartitionsRepository, SignalPartitionsService, SignalsRepository, SignalsService, IngestGateService, SignalNonceSweeper, SignalsFeedRepository, SignalsFeed, SignalsErasureRepository, SignalsLifecycle],
  exports: [SignalPartitionsService, SignalsService, SignalsFeed],
})
export class SignalsModule {}
