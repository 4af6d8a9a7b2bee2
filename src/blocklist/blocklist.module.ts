import { Module } from '@nestjs/common';
import { BlocklistSync } from './blocklist-sync.service.js';
import { BlocklistViewsService } from './blocklist-views.service.js';
import { BlocklistController } from './blocklist.controller.js';
import { BlocklistRepository } from './blocklist.repository.js';
import { BlocklistService } from './blocklist.service.js';
import { BlocklistVersions } from './blocklist-versions.js';

@Module({
  controllers: [BlocklistController],
  providers: [BlocklistRepository, BlocklistSync, BlocklistService, BlocklistViewsService, BlocklistVersions],
  exports: [BlocklistService, BlocklistVersions],
})
export class BlocklistModule {}
