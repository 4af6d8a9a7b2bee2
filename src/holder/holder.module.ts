import { Module } from '@nestjs/common';
import { HolderPageController } from './holder-page.controller.js';

/** Public pages for the holders of listed addresses (docs/consensus.md, "Delisting"). */
@Module({ controllers: [HolderPageController] })
export class HolderModule {}
