import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { BlocklistModule } from '../blocklist/blocklist.module.js';
import { SignalsModule } from '../signals/signals.module.js';
import { BouncerKeysController } from './bouncer-keys.controller.js';
import { BouncerKeysService } from './bouncer-keys.service.js';
import { BouncerController } from './bouncer.controller.js';
import { CapiController } from './capi.controller.js';
import { CrowdsecCapiService } from './crowdsec-capi.service.js';
import { CrowdsecErrorShape } from './crowdsec-error-shape.js';
import { CrowdsecStreamService } from './crowdsec-stream.service.js';
import { CrowdsecRepository } from './crowdsec.repository.js';
import { WatchersController } from './watchers.controller.js';

/** CrowdSec compatibility: the CAPI (v2/v3) for engines and the LAPI stream for bouncers. */
@Module({
  imports: [AgentsModule, SignalsModule, BlocklistModule],
  controllers: [WatchersController, CapiController, BouncerController, BouncerKeysController],
  providers: [CrowdsecRepository, CrowdsecCapiService, CrowdsecStreamService, BouncerKeysService, CrowdsecErrorShape],
  exports: [BouncerKeysService],
})
export class CrowdsecModule {}
