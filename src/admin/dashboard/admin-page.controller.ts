import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth } from '../../common/auth/auth.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { ADMIN_ASSETS, readAdminAsset } from './admin-assets.js';

const CSP = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

/** Serves the operator dashboard page (built by the project, no CDN); its data comes from /v1/admin/*. */
@ApiExcludeController()
@Controller('admin')
@Auth('dashboard.page')
export class AdminPageController {
  @Get()
  index(@Res() reply: FastifyReply): void {
    this.send(reply, 'index.html');
  }

  @Get(':file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    this.send(reply, file);
  }

  private send(reply: FastifyReply, name: string): void {
    const body = readAdminAsset(name);
    if (!body) {
      if (name === 'index.html') throw DomainError.unavailable('The dashboard is not built (run node scripts/build-admin.mjs)');
      throw DomainError.notFound('No such dashboard file');
    }
    void reply
      .header('content-type', ADMIN_ASSETS[name])
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CSP)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(body);
  }
}
