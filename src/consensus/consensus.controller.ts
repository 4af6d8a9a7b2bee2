import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { AuthenticatorRegistry } from '../common/auth/authenticator.registry.js';
import { grants } from '../common/auth/authorization.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import type { DelistingRecord, DelistingStatus } from './delisting/delisting.repository.js';
import { DelistingService } from './delisting/delisting.service.js';
import { CreateDelistingDto, CreatedDelistingDto, DelistingDto, ExplainDto, ReviewDelistingDto, VerifyDelistingDto } from './dto/delisting.dto.js';
import { ExplainService } from './explain.service.js';

function toDto(r: DelistingRecord): DelistingDto {
  return {
    id: r.id,
    ip: r.ip,
    status: r.status,
    created_at: r.createdAt.toISOString(),
    verified_at: r.verifiedAt?.toISOString() ?? null,
    suppressed_until: r.suppressedUntil?.toISOString() ?? null,
    decided_at: r.decidedAt?.toISOString() ?? null,
  };
}

@ApiTags('consensus')
@Controller('v1')
export class ConsensusController {
  constructor(
    private readonly explainer: ExplainService,
    private readonly delisting: DelistingService,
    private readonly registry: AuthenticatorRegistry,
    private readonly limiter: RateLimiterService,
  ) {}

  @Get('ip/:ip/explain')
  @Auth('explain.read')
  @ApiOperation({ summary: 'Why an IP is (not) listed. Operators also see scores and voter pseudonyms.' })
  @ApiOkResponse({ type: ExplainDto })
  async explain(@Param('ip') ip: string, @Req() request: FastifyRequest): Promise<ExplainDto> {
    const operator = await this.registry.get('operator')?.authenticate(request).catch(() => null);
    if (!operator) await this.limiter.enforce('explain', request.ip, 60, 60_000, 'Too many explain requests');
    return this.explainer.explain(ip, grants('explain.detail', operator));
  }

  @Post('delisting-requests')
  @Auth('delisting.create')
  @ApiOperation({ summary: 'Ask for an IP to be delisted: returns a token to serve from that IP over HTTP' })
  @ApiCreatedResponse({ type: CreatedDelistingDto })
  async create(@Body() body: CreateDelistingDto, @Req() request: FastifyRequest): Promise<CreatedDelistingDto> {
    const created = await this.delisting.create(body.ip, request.ip);
    return { ...toDto(created.record), token: created.token, proof_url: created.proofUrl };
  }

  @Post('delisting-requests/:id/verify')
  @Auth('delisting.verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the proof: Quorum fetches the token from the IP; the listing is then suppressed pending review' })
  @ApiOkResponse({ type: DelistingDto })
  async verify(@Param('id') id: string, @Body() body: VerifyDelistingDto, @Req() request: FastifyRequest): Promise<DelistingDto> {
    return toDto(await this.delisting.verify(id, body.token, request.ip));
  }

  @Get('delisting-requests/:id')
  @Auth('delisting.status')
  @ApiOperation({ summary: 'Status of a delisting request' })
  @ApiOkResponse({ type: DelistingDto })
  async status(@Param('id') id: string): Promise<DelistingDto> {
    return toDto(await this.delisting.find(id));
  }

  @Get('admin/delisting-requests')
  @Auth('delisting.list')
  @ApiQuery({ name: 'status', required: false, enum: ['pending_proof', 'verified', 'suppressed', 'upheld', 'rejected', 'expired'] })
  @ApiOperation({ summary: 'Delisting requests to review (operators)' })
  @ApiOkResponse({ type: [DelistingDto] })
  async list(@Query('status') status?: string): Promise<DelistingDto[]> {
    return (await this.delisting.list(status as DelistingStatus | undefined)).map(toDto);
  }

  @Post('admin/delisting-requests/:id/review')
  @Auth('delisting.review')
  @HttpCode(200)
  @ApiOperation({ summary: 'Uphold (delist, penalise voters, protect 30 days) or reject a verified request' })
  @ApiOkResponse({ type: DelistingDto })
  async review(@Param('id') id: string, @Body() body: ReviewDelistingDto, @CurrentPrincipal() principal: Principal): Promise<DelistingDto> {
    const operatorId = principal.kind === 'operator' ? principal.operatorId : 'unknown';
    return toDto(await this.delisting.review(id, body.outcome, body.justification, operatorId));
  }
}
