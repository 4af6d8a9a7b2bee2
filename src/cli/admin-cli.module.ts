import { type DynamicModule, Module } from '@nestjs/common';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { AdminModule } from '../admin/admin.module.js';
import { AgentsModule } from '../agents/agents.module.js';
import { CoreModule } from '../app/core.module.js';
import { AuditModule } from '../audit/audit.module.js';
import { AuthModule } from '../common/auth/auth.module.js';
import { ConsensusModule } from '../consensus/consensus.module.js';

/** Just enough of the application for operator commands run from a shell. */
@Module({})
export class AdminCliModule {
  static forRoot(config: AppConfig, logger: Logger): DynamicModule {
    return { module: AdminCliModule, imports: [CoreModule.forRoot(config, logger, 'cli'), AuthModule, AuditModule, AgentsModule, AdminModule, ConsensusModule] };
  }
}
