import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { sendWebAsset } from '../admin/dashboard/admin-assets.js';
import { Auth } from '../common/auth/auth.decorator.js';

/**
 * Serves the customer portal page (web/app, built by scripts/build-admin.mjs into dist/web/app) with the
 * pages' security headers (src/admin/dashboard/admin-assets.ts); its data comes from the member routes
 * (/v1/portal/*, /v1/organizations/{id}/*, /v1/billing/*). Stripe's pages are reached by navigation,
 * never framed or fetched. The portal imports the dashboard's charts module from /admin/charts.js.
 */
@ApiExcludeController()
@Controller('app')
@Auth('portal.page')
export class PortalPageController {
  @Get()
  index(@Res() reply: FastifyReply): void {
    sendWebAsset(reply, 'app', 'index.html');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    sendWebAsset(reply, 'app', file);
  }
}
