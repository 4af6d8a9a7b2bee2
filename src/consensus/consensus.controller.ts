import { Controller, Get, Param, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import { grants } from '../common/auth/authorization.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import { ExplainDto } from './dto/delisting.dto.js';
import { ExplainService } from './explain.service.js';

@ApiTags('consensus')
@Controller('v1')
export class ConsensusController {
  constructor(
    private readonly explainer: ExplainService,
    private readonly registry: AuthenticatorRegistry,
    private readonly limiter: RateLimiterService,
  ) {}

  @Get('ip/:ip/explain')
  @Auth('explain.read')
  @ApiOperation({ summary: 'Why an IP is (not) listed. Operators also see scores and voter pseudonyms.', description: 'Anyone may ask why an address is or is not on the community blocklist: its state, the scenario families, when it was first and last seen and, for an unlisted IP, what is missing before it could be listed (never who reported it). Staff operators also see scores, trust figures and voter pseudonyms. Anonymous callers are rate limited per source address.' })
  @ApiResponse({ status: 429, description: 'Too many explain requests from this address' })
  @ApiOkResponse({ type: ExplainDto })
  async explain(@Param('ip') ip: string, @Req() request: FastifyRequest): Promise<ExplainDto> {
    const operator = await this.registry.get('operator')?.authenticate(request).catch(() => null);
    if (!operator) await this.limiter.enforce('explain', request.ip, 60, 60_000, 'Too many explain requests');
    return this.explainer.explain(ip, grants('explain.detail', operator));
  }
}
