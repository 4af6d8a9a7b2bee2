import { Controller, Get, Query, Req, Res } from '@nestjs/common';
import { ApiGoneResponse, ApiNotModifiedResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { Clock } from '../infra/clock/clock.js';
import { BlocklistViewsService } from './blocklist-views.service.js';
import { BlocklistChangesDto, BlocklistChangesQueryDto, BlocklistQueryDto, scenarioList } from './dto/blocklist-query.dto.js';
import { audienceOf } from './views/audience.js';
import { answerFor, type ServedBody } from './views/http-answer.js';

const VIEW_DESCRIPTION = [
  'The current blocklist for the caller: API keys get the full list, agents that pushed an accepted signal in the last 7 days',
  'the contributor view (top 15,000 by default), other agents the community view (top 3,000).',
  'Ranking (deterministic): higher score first, then later `until`, then address order (IPv4 before IPv6, lower network first,',
  'shorter prefix first), then value, scenario class and scope. Entries leave the list at their `until`.',
  'Bodies are pre-rendered per version: use `If-None-Match` / `If-Modified-Since` (304) and `Accept-Encoding: br, gzip`.',
  '`nftables` loads with `nft -f`, `ipset` with `ipset restore`; their timeouts count from the moment the body was rendered.',
].join(' ');

@ApiTags('blocklist')
@Controller('v1/blocklist')
export class BlocklistController {
  constructor(
    private readonly views: BlocklistViewsService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Auth('blocklist.download')
  @ApiOperation({ summary: 'Download the current blocklist (json, txt, csv, nftables, ipset)', description: VIEW_DESCRIPTION })
  @ApiProduces('application/json', 'text/plain', 'text/csv')
  @ApiOkResponse({ description: 'The list in the requested format (header `x-blocklist-version`: its version)' })
  @ApiNotModifiedResponse({ description: 'The copy named by If-None-Match / If-Modified-Since is current' })
  async download(
    @Query() query: BlocklistQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = await this.views.view(audienceOf(principal), query.format ?? 'json', scenarioList(query.scenarios));
    this.send(request, reply, body);
  }

  @Get('changes')
  @Auth('blocklist.changes')
  @ApiOperation({
    summary: 'What changed in the caller\'s blocklist since a version',
    description: 'Apply `removed` (by value), then `added` (add or update by value), and keep `version` as the next `since`. ' +
      'Entries that expired since are in `removed`. 410 `cursor_expired`: `since` is older than the kept history (or unknown): download the full list.',
  })
  @ApiOkResponse({ type: BlocklistChangesDto })
  @ApiGoneResponse({ description: '`cursor_expired`: do a full download' })
  async changes(
    @Query() query: BlocklistChangesQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const body = await this.views.changes(audienceOf(principal), Number(query.since), scenarioList(query.scenarios));
    this.send(request, reply, body);
  }

  private send(request: FastifyRequest, reply: FastifyReply, body: ServedBody): void {
    const header = (name: string): string | undefined => {
      const value = request.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const answer = answerFor(
      body,
      { acceptEncoding: header('accept-encoding'), ifNoneMatch: header('if-none-match'), ifModifiedSince: header('if-modified-since') },
      this.clock.nowMs(),
      this.views.maxAgeSeconds,
    );
    void reply.status(answer.status).headers(answer.headers).send(answer.payload ?? undefined);
  }
}
