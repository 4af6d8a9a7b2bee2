import { Body, Controller, Get, HttpCode, Param, Post, Query, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiQuery, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import {
  AgentProofDto,
  CreateDelistingDto,
  CreatedDelistingDto,
  DelistingDto,
  ReviewableDelistingDto,
  ReviewDelistingDto,
  ReviewRequestDto,
  VerifyDelistingDto,
} from '../dto/delisting.dto.js';
import { DELISTING_STATUSES, type DelistingRecord, type DelistingStatus } from './delisting.repository.js';
import { DelistingService } from './delisting.service.js';

function toDto(r: DelistingRecord): DelistingDto {
  return {
    id: r.id,
    ip: r.ip,
    status: r.status,
    proof_method: r.proofMethod,
    created_at: r.createdAt.toISOString(),
    verified_at: r.verifiedAt?.toISOString() ?? null,
    suppressed_until: r.suppressedUntil?.toISOString() ?? null,
    decided_at: r.decidedAt?.toISOString() ?? null,
  };
}

function toReviewable(r: DelistingRecord): ReviewableDelistingDto {
  return { ...toDto(r), reason: r.reason, contact: r.contact, review_requested_at: r.reviewRequestedAt?.toISOString() ?? null };
}

/** The delisting path of an IP holder, and its review by staff (docs/consensus.md, "Delisting"). */
@ApiTags('consensus')
@Controller('v1')
export class DelistingController {
  constructor(private readonly delisting: DelistingService) {}

  @Post('delisting-requests')
  @Auth('delisting.create')
  @ApiOperation({
    summary: 'Ask for an IP to be delisted: returns a token and every way to show control of the IP',
    description:
      'Starts a delisting request for an address the caller holds, with an optional reason and contact. The answer has a one-time token, ' +
      'its lifetime, and three ways to go on: serve the token from the IP over HTTP or HTTPS then call verify; send it from a Quorum agent ' +
      'running on the IP (agent-proof); or, when neither is possible (carrier NAT), ask for a reasoned review. Rate limited per source ' +
      'address and per IP; unproven requests are deleted after 7 days.',
  })
  @ApiResponse({ status: 429, description: 'Too many delisting requests from this address or for this IP' })
  @ApiCreatedResponse({ type: CreatedDelistingDto })
  async create(@Body() body: CreateDelistingDto, @Req() request: FastifyRequest): Promise<CreatedDelistingDto> {
    const created = await this.delisting.create(body.ip, request.ip, { reason: body.reason, contact: body.contact });
    return { ...toDto(created.record), token: created.token, proof_url: created.proofUrl, proof: created.proof };
  }

  @Post('delisting-requests/:id/verify')
  @Auth('delisting.verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check the proof: Quorum fetches the token from the IP over HTTP, then HTTPS; the listing is then suppressed pending review',
    description:
      'Quorum fetches /.well-known/quorum-delisting/<id> from the IP itself, on port 80 and then on 443 (any certificate), and compares it with ' +
      'the token. When it matches, the request is verified and the listing is suppressed until an operator reviews it. Already verified ' +
      'requests are answered as they are.',
  })
  @ApiResponse({ status: 422, description: '`proof_not_found`: neither URL served the token' })
  @ApiOkResponse({ type: DelistingDto })
  async verify(@Param('id') id: string, @Body() body: VerifyDelistingDto, @Req() request: FastifyRequest): Promise<DelistingDto> {
    return toDto(await this.delisting.verify(id, body.token, request.ip));
  }

  @Post('delisting-requests/:id/agent-proof')
  @Auth('delisting.agentProof')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Show control from an agent running on the IP: no port to open',
    description:
      'A Quorum agent (or CrowdSec engine) signed in with its own credentials sends the request token from the listed IP itself ' +
      '(`quorum-agent token` prints a bearer token). The request must come from that address; the request is then verified as by a served file.',
  })
  @ApiResponse({ status: 422, description: '`proof_wrong_source`: the request did not come from the listed IP' })
  @ApiOkResponse({ type: DelistingDto })
  async agentProof(@Param('id') id: string, @Body() body: AgentProofDto, @Req() request: FastifyRequest): Promise<DelistingDto> {
    return toDto(await this.delisting.proveFromAgent(id, body.token, request.ip));
  }

  @Post('delisting-requests/:id/review-request')
  @Auth('delisting.reviewRequest')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Ask a person to review the listing when control cannot be shown (carrier NAT, mobile networks)',
    description:
      'With the request token, a reason and an optional contact email, the request goes to the operators\' queue as `awaiting_review`. The ' +
      'listing stays published until an operator decides (nothing proves the caller holds the IP); an upheld review delists it and protects ' +
      'it like a proven one. The contact is deleted when the request is decided.',
  })
  @ApiResponse({ status: 409, description: 'The request is already proven or decided' })
  @ApiOkResponse({ type: DelistingDto })
  async reviewRequest(@Param('id') id: string, @Body() body: ReviewRequestDto, @Req() request: FastifyRequest): Promise<DelistingDto> {
    return toDto(await this.delisting.requestReview(id, body.token, { reason: body.reason, contact: body.contact }, request.ip));
  }

  @Get('delisting-requests/:id')
  @Auth('delisting.status')
  @ApiOperation({
    summary: 'Status of a delisting request',
    description: 'The request\'s state (pending_proof, awaiting_review, verified, suppressed, upheld, rejected, expired), how control was shown and its timestamps. The request id is the only credential: keep it private.',
  })
  @ApiOkResponse({ type: DelistingDto })
  async status(@Param('id') id: string): Promise<DelistingDto> {
    return toDto(await this.delisting.find(id));
  }

  @Get('admin/delisting-requests')
  @Auth('delisting.list')
  @ApiQuery({ name: 'status', required: false, enum: DELISTING_STATUSES })
  @ApiOperation({
    summary: 'Delisting requests to review (operators)',
    description: 'Staff operators (admin, support): delisting requests, newest first, optionally filtered by status, with the holder\'s reason and contact while the request is open.',
  })
  @ApiOkResponse({ type: [ReviewableDelistingDto] })
  async list(@Query('status') status?: string): Promise<ReviewableDelistingDto[]> {
    return (await this.delisting.list(status as DelistingStatus | undefined)).map(toReviewable);
  }

  @Post('admin/delisting-requests/:id/review')
  @Auth('delisting.review')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Uphold (delist, penalise voters, protect 30 days) or reject a proven or reasoned request',
    description:
      'Staff operators decide a request with a written justification. Upheld: the IP is delisted, its voters lose trust, and it is protected from ' +
      'relisting for 30 days. Rejected: a suppression ends. The holder\'s contact is deleted. Audited.',
  })
  @ApiResponse({ status: 409, description: 'The request is not waiting for review (unproven, or already decided)' })
  @ApiOkResponse({ type: DelistingDto })
  async review(@Param('id') id: string, @Body() body: ReviewDelistingDto, @CurrentPrincipal() principal: Principal): Promise<DelistingDto> {
    const operatorId = principal.kind === 'operator' ? principal.operatorId : 'unknown';
    return toDto(await this.delisting.review(id, body.outcome, body.justification, operatorId));
  }
}
