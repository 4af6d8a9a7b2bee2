import { Module } from '@nestjs/common';
import { LookupModule } from '../../lookup/lookup.module.js';
import { AdminPageController } from './admin-page.controller.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardRepository } from './dashboard.repository.js';
import { DashboardService } from './dashboard.service.js';

/** The operator dashboard: its page at /admin and its JSON API under /v1/admin/*. */
@Module({
  imports: [LookupModule],
  controllers: [AdminPageController, DashboardController],
  providers: [DashboardRepository, DashboardService],
})
export class DashboardModule {}
