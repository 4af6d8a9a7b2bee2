import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { FastLookup } from './fast-lookup-route.js';
import { BulkAnswerDto, BulkLookupDto, IpAnswerDto, RangeAnswerDto } from './dto/lookup.dto.js';
import type { IpAnswer } from './answer/ip-answer.js';
import type { RangeAnswer } from './answer/range-answer.js';
import type { ApiKeyPrincipal } from './keys/api-key-cache.js';
import { type BulkAnswer, LookupService, type Metered } from './lookup.service.js';

function send<T>(reply: FastifyReply, result: Metered<T>): T {
  reply.header('x-ratelimit-limit', result.rate.limit);
  reply.header('x-ratelimit-remaining', result.rate.remaining);
  reply.header('x-ratelimit-reset', result.rate.resetSec);
  return result.body;
}

const LIMITS_DOC = 'Metered per organisation: 429 `rate_limited` (burst) or `quota_exhausted` (day/month) with Retry-After; X-RateLimit-* on every answer.';

@ApiTags('lookup')
@Controller('v1')
export class LookupController {
  constructor(private readonly lookups: LookupService) {}

  @Get('ip/:ip')
  @Auth('lookup.ip')
  @FastLookup()
  @ApiOperation({ summary: 'Reputation of one IP (IPv4, IPv6, IPv4-mapped)', description: LIMITS_DOC })
  @ApiOkResponse({ type: IpAnswerDto })
  async ip(@Param('ip') ip: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<IpAnswer> {
    return send(reply, await this.lookups.ip(principal as ApiKeyPrincipal, ip));
  }

  @Post('ip/bulk')
  @Auth('lookup.bulk')
  @HttpCode(200)
  @ApiOperation({ summary: "Reputation of up to the plan's bulk size of IPs (one lookup counted per valid IP)", description: LIMITS_DOC })
  @ApiOkResponse({ type: BulkAnswerDto })
  async bulk(@Body() body: BulkLookupDto, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<BulkAnswer> {
    return send(reply, await this.lookups.bulk(principal as ApiKeyPrincipal, body.ips));
  }

  @Get('range/:network/:prefix')
  @Auth('lookup.range')
  @ApiOperation({ summary: 'Listed members and range score of a /24-/16 (IPv4) or /64-/48 (IPv6)', description: LIMITS_DOC })
  @ApiOkResponse({ type: RangeAnswerDto })
  async range(
    @Param('network') network: string,
    @Param('prefix') prefix: string,
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RangeAnswer> {
    return send(reply, await this.lookups.range(principal as ApiKeyPrincipal, `${network}/${prefix}`));
  }

  @Get('range/:cidr')
  @Auth('lookup.range')
  @ApiOperation({ summary: 'Same, with the CIDR URL-encoded in one segment (203.0.113.0%2F24)', description: LIMITS_DOC })
  @ApiOkResponse({ type: RangeAnswerDto })
  async rangeEncoded(@Param('cidr') cidr: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) reply: FastifyReply): Promise<RangeAnswer> {
    return send(reply, await this.lookups.range(principal as ApiKeyPrincipal, cidr));
  }
}
