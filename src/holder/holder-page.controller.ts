import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { sendWebAsset } from '../admin/dashboard/admin-assets.js';
import { Auth } from '../common/auth/auth.decorator.js';

/**
 * The public IP-holder pages (web/holder): `/` and `/check` ask for an address, `/ip/{ip}` answers for
 * it; every path serves the same page, which reads the address from its URL and calls the public API
 * (explain, delisting and privacy requests). Its files are under /holder/.
 */
@ApiExcludeController()
@Controller()
@Auth('holder.page')
export class HolderPageController {
  @Get()
  home(@Res() reply: FastifyReply): void {
    sendWebAsset(reply, 'holder', 'index.html');
  }

  @Get('check')
  check(@Res() reply: FastifyReply): void {
    sendWebAsset(reply, 'holder', 'index.html');
  }

  @Get('ip/:ip')
  address(@Res() reply: FastifyReply): void {
    sendWebAsset(reply, 'holder', 'index.html');
  }

  @Get('holder/:file')
  asset(@Param('file') file: string, @Res() reply: FastifyReply): void {
    sendWebAsset(reply, 'holder', file);
  }
}
