import { Controller, Headers, HttpCode, Post, Req } from '@nestjs/common';
import { ApiBody, ApiConflictResponse, ApiHeader, ApiOkResponse, ApiOperation, ApiTags, ApiTooManyRequestsResponse } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { AGENT_RECORD_KEY } from '../agents/agent-jwt.authenticator.js';
import type { AgentRecord } from '../agents/agent.types.js';
import { Auth } from '../common/auth/auth.decorator.js';
import type { RequestWithRawBody } from '../common/http/json-body.js';
import { IngestResultDto, SignalBatchDto } from './dto/signal-batch.dto.js';
import { SignalsService } from './signals.service.js';

@ApiTags('signals')
@Controller('v1/signals')
export class SignalsController {
  constructor(private readonly signals: SignalsService) {}

  @Post()
  @HttpCode(200)
  @Auth('signals.push')
  @ApiOperation({
    summary: 'Push a signed batch of signals',
    description: 'See "Signed signal batches" in the API description. A 200 means the batch is committed; bad items are listed in `rejected`.',
  })
  @ApiHeader({ name: 'x-quorum-sent-at', required: true })
  @ApiHeader({ name: 'x-quorum-nonce', required: true })
  @ApiHeader({ name: 'x-quorum-signature', required: true })
  @ApiBody({ type: SignalBatchDto })
  @ApiOkResponse({ type: IngestResultDto })
  @ApiConflictResponse({ description: 'Nonce already used (replay)' })
  @ApiTooManyRequestsResponse({ description: 'Agent over its rate cap (Retry-After)' })
  async push(
    @Req() request: FastifyRequest,
    @Headers('x-quorum-sent-at') sentAt: string | undefined,
    @Headers('x-quorum-nonce') nonce: string | undefined,
    @Headers('x-quorum-signature') signature: string | undefined,
  ): Promise<IngestResultDto> {
    const agent = (request as unknown as Record<string, AgentRecord>)[AGENT_RECORD_KEY];
    return this.signals.ingestSigned(agent, (request as RequestWithRawBody).rawBody, request.body, { sentAt, nonce, signature });
  }
}
