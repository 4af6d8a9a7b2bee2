import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentsService } from '../agents/agents.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Auth } from '../common/auth/auth.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { isObject, parseDecisionUuids, usageMetricsProblem } from './capi-bodies.js';
import { capiAgent } from './capi-agent.js';
import { CrowdsecCapiService, crowdsecValidationError } from './crowdsec-capi.service.js';
import { CrowdsecStreamService } from './crowdsec-stream.service.js';
import { formatV2, formatV3 } from './decision-formats.js';
import { listCapability, verifyListCapability } from './list-capability.js';

const OK = { message: 'OK' };

/** The engine's CAPI calls besides watchers: signals, community-list pulls, metrics. */
@ApiTags('crowdsec')
@Controller(['v2', 'v3'])
export class CapiController {
  constructor(
    private readonly capi: CrowdsecCapiService,
    private readonly stream: CrowdsecStreamService,
    private readonly agents: AgentsService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post('signals')
  @Auth('crowdsec.signals')
  @HttpCode(200)
  @ApiOperation({ summary: 'Push up to 50 CrowdSec signals (stored through the native ingestion path)', description: 'CrowdSec engines push their alerts here, as to CrowdSec\'s Central API. Each signal is mapped to a Quorum signal and goes through the same ingestion path as native batches (validation, de-duplication, per-agent rate limit).' })
  @ApiResponse({ status: 429, description: 'The watcher is over its ingestion rate (token bucket); retry later' })
  async signals(@Body() body: unknown, @Req() request: FastifyRequest): Promise<{ message: string }> {
    await this.capi.ingestSignals(capiAgent(request), body);
    return OK;
  }

  @Get('decisions/stream')
  @Auth('crowdsec.decisions')
  @ApiOperation({ summary: 'Pull the community blocklist: everything on startup=true, else what changed since this watcher\'s last pull', description: 'The Central API decisions stream: on `startup=true` every current decision, then only what changed since this watcher\'s previous pull. Version 3 also links the full lists for the engine to download.' })
  async decisions(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest): Promise<unknown> {
    const agent = capiAgent(request);
    const startup = query.startup === 'true';
    const { delta, now } = await this.stream.pull(`watcher:${agent.id}`, startup);
    if (!request.url.startsWith('/v3') && !request.url.startsWith('//v3')) return formatV2(delta, now);
    const community = query.community_pull !== 'false';
    const additional = query.additional_pull !== 'false';
    const secret = this.config.auth.jwtSecret;
    const base = this.baseUrl(request).replace(/\/+$/, '');
    // Names may hold `/` (scenario classes): percent-encoded in the URL, decoded by the router.
    const urlOf = (name: string) => `${base}/v3/blocklists/${encodeURIComponent(name)}/${encodeURIComponent(listCapability(secret, agent.id, name))}`;
    const links = community || additional ? await this.stream.links(urlOf, { community, classes: additional }) : null;
    return formatV3(community ? delta : { added: [], deleted: [] }, now, links);
  }

  @Post('metrics')
  @Auth('crowdsec.metrics')
  @HttpCode(200)
  @ApiOperation({ summary: 'Engine metrics (kept as sent, latest per watcher)', description: 'Engine and bouncer metrics sent by CrowdSec engines; kept as sent, the latest per watcher, for operators.' })
  async metrics(@Body() body: unknown, @Req() request: FastifyRequest): Promise<{ message: string }> {
    const agent = capiAgent(request);
    if (!isObject(body)) throw crowdsecValidationError([{ field: 'body', messages: ['body must be a JSON object'] }]);
    await this.capi.saveMetrics(agent, 'metrics', body);
    return OK;
  }

  @Post('usage-metrics')
  @Auth('crowdsec.usageMetrics')
  @HttpCode(201)
  @ApiOperation({ summary: 'Usage metrics (>= 1.6.3); 422 only for payloads that must never be resent', description: 'Usage metrics sent by CrowdSec 1.6.3 and later. Malformed payloads that the engine would resend forever are answered 422; anything else is acknowledged.' })
  async usageMetrics(@Body() body: unknown, @Req() request: FastifyRequest): Promise<{ message: string }> {
    const agent = capiAgent(request);
    const problem = usageMetricsProblem(body);
    if (problem) throw new DomainError('unusable_metrics', problem);
    await this.capi.saveMetrics(agent, 'usage', body);
    return OK;
  }

  @Post('decisions/delete')
  @Auth('crowdsec.decisionsDelete')
  @HttpCode(200)
  @ApiOperation({ summary: 'Local decision deletions reported by enrolled engines (acknowledged; Quorum holds no per-engine decisions)', description: 'Enrolled engines report decisions their operators deleted locally. Quorum acknowledges them; it keeps no per-engine decisions, so nothing else happens.' })
  deleteDecisions(@Body() body: unknown, @Req() request: FastifyRequest): { message: string } {
    capiAgent(request);
    const uuids = parseDecisionUuids(body);
    if ('problems' in uuids) throw crowdsecValidationError(uuids.problems);
    return OK;
  }

  @Get('blocklists/:name/:capability')
  @Auth('crowdsec.capabilityList')
  @Header('cache-control', 'no-cache')
  @ApiOperation({ summary: 'A list named in links.blocklists (URL as given there): one value per line; honours If-Modified-Since', description: 'Downloads a list linked from a version 3 decisions answer, at the capability URL given there: one value per line. Honours If-Modified-Since with 304. The capability in the URL is the credential.' })
  async blocklist(
    @Param('name') name: string,
    @Param('capability') capability: string,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const agentId = verifyListCapability(this.config.auth.jwtSecret, capability, name);
    const agent = agentId && /^[0-9a-f-]{36}$/.test(agentId) ? await this.agents.findById(agentId) : null;
    if (!agent || agent.status !== 'active') throw DomainError.forbidden('This list URL is not valid');
    const list = await this.stream.listText(name);
    if (!list) throw DomainError.notFound('No such list');
    const modifiedSeconds = Math.floor(list.lastModified.getTime() / 1000);
    const since = Date.parse(String(request.headers['if-modified-since'] ?? ''));
    void reply.header('last-modified', new Date(modifiedSeconds * 1000).toUTCString());
    if (Number.isFinite(since) && Math.floor(since / 1000) >= modifiedSeconds) {
      void reply.status(304).send();
      return;
    }
    void reply.status(200).header('content-type', 'text/plain; charset=utf-8').send(list.body);
  }

  private baseUrl(request: FastifyRequest): string {
    return this.config.http.publicUrl ?? `${request.protocol}://${request.host}`;
  }
}
