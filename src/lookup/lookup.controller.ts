import { Body, Controller, Get, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { FastLookup } from './fast-lookup-route.js';
import { limitHeaders } from './limits/limit-headers.js';
import { BulkAnswerDto, BulkLookupDto, IpAnswerDto, RangeAnswerDto } from './dto/lookup.dto.js';
import type { IpAnswer } from './answer/ip-answer.js';
import type { RangeAnswer } from './answer/range-answer.js';
import type { ApiKeyPrincipal } from './keys/api-key-cache.js';
import { type BulkAnswer, LookupService, type Metered } from './lookup.service.js';

function send<T>(reply: FastifyReply, result: Metered<T>): T {
  reply.headers(limitHeaders(result.rate));
  return result.body;
}

const LIMITS_DOC =
  'Metered per organisation: 429 `rate_limited` (burst) or `quota_exhausted` (day/month) with Retry-After. Every answer carries ' +
  '`RateLimit-Policy` and `RateLimit` (IETF draft) with one item for the burst limit ("burst", per second) and one for the binding ' +
  'quota ("day" or "month"), and `X-RateLimit-Limit/Remaining/Reset`, which always describe the quota (reset in epoch seconds). ' +
  'Special-purpose addresses (private, loopback, documentation...) answer `reserved` and are not counted.';

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
