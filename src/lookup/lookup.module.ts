import { Module } from '@nestjs/common';
import { AgentsModule } from '../agents/agents.module.js';
import { ConsensusModule } from '../consensus/consensus.module.js';
import { LookupBus } from './events/lookup-bus.js';
import { FastLookupRoute } from './fast-lookup-route.js';
import { LookupIndexService } from './index/lookup-index.service.js';
import { ApiKeyAuthenticator } from './keys/api-key.authenticator.js';
import { ApiKeysController } from './keys/api-keys.controller.js';
import { ApiKeysRepository } from './keys/api-keys.repository.js';
import { ApiKeysService } from './keys/api-keys.service.js';
import { LookupLimitsService } from './limits/lookup-limits.service.js';
import { LookupController } from './lookup.controller.js';
import { LookupRuntime } from './lookup-runtime.service.js';
import { LookupService } from './lookup.service.js';
import { LookupPlansService } from './plans/lookup-plans.service.js';
import { MirrorActivityService } from './mirror/mirror-activity.js';
import { MirrorActivityRepository } from './mirror/mirror-activity.repository.js';
import { MirrorController } from './mirror/mirror.controller.js';
import { MirrorService } from './mirror/mirror.service.js';
import { PlansController } from './plans/plans.controller.js';
import { PlansRepository } from './plans/plans.repository.js';
import { UsageController } from './usage/usage.controller.js';
import { LookupUsageService } from './usage/lookup-usage.service.js';
import { UsageRepository } from './usage/usage.repository.js';

/** Paid IP lookups: API keys, plans, limits, usage, and the in-memory score index. */
@Module({
  imports: [AgentsModule, ConsensusModule],
  controllers: [LookupController, ApiKeysController, PlansController, UsageController, MirrorController],
  providers: [
    LookupBus,
    LookupIndexService,
    ApiKeysRepository,
    ApiKeysService,
    ApiKeyAuthenticator,
    PlansRepository,
    LookupPlansService,
    LookupLimitsService,
    UsageRepository,
    LookupUsageService,
    LookupService,
    FastLookupRoute,
    LookupRuntime,
    MirrorActivityRepository,
    MirrorActivityService,
    MirrorService,
  ],
  exports: [LookupPlansService, ApiKeysService, LookupUsageService, LookupIndexService, LookupService],
})
export class LookupModule {}
