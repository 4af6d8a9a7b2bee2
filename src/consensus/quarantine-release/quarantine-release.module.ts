import { Module } from '@nestjs/common';
import { AgentsModule } from '../../agents/agents.module.js';
import { QuarantineReleaseController } from './quarantine-release.controller.js';
import { QuarantineReleaseRepository } from './quarantine-release.repository.js';
import { QuarantineReleases } from './quarantine-releases.js';

/** Operators' releases from quarantine: the admin route, and what the scoring run and the console read. */
@Module({
  imports: [AgentsModule],
  controllers: [QuarantineReleaseController],
  providers: [QuarantineReleaseRepository, QuarantineReleases],
  exports: [QuarantineReleases],
})
export class QuarantineReleaseModule {}
