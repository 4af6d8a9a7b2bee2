import { Controller, Get, Head, Query, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { BouncerKeysService } from './bouncer-keys.service.js';
import type { BouncerKeyRecord } from './crowdsec.repository.js';
import { CrowdsecStreamService } from './crowdsec-stream.service.js';
import { bouncerFilterAccepts, formatBouncer, parseBouncerFilter } from './decision-formats.js';

/**
 * CrowdSec's LAPI bouncer stream, so existing bouncers can pull the Quorum list directly.
 * HEAD is declared before GET: Fastify would otherwise answer HEAD with the GET handler, which
 * moves the bouncer's cursor.
 */
@ApiTags('crowdsec')
@Controller('v1/decisions')
export class BouncerController {
  constructor(
    private readonly keys: BouncerKeysService,
    private readonly stream: CrowdsecStreamService,
  ) {}

  @Head('stream')
  @Auth('bouncer.stream')
  @ApiOperation({ summary: 'Check a bouncer key (200, no body)', description: 'HEAD on the stream, as CrowdSec bouncers do at start-up to test their key: 200 with no body when the key is valid, 403 otherwise (in CrowdSec\'s error shape).' })
  async check(@Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!(await this.authenticate(request, reply))) return;
    void reply.status(200).send();
  }

  @Get('stream')
  @Auth('bouncer.stream')
  @ApiHeader({ name: 'x-api-key', required: true })
  @ApiOperation({ summary: 'LAPI-compatible decisions stream (startup, scopes, origins, scenarios_containing, scenarios_not_containing)', description: 'The community blocklist as a Local API decisions stream, for CrowdSec bouncers pointed at Quorum. `startup=true` returns every current decision; later pulls return what was added and deleted since this key\'s last pull. Filters as in the Local API.' })
  async pull(@Query() query: Record<string, unknown>, @Req() request: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const key = await this.authenticate(request, reply);
    if (!key) return;
    const filter = parseBouncerFilter(query);
    const { delta, now } = await this.stream.pull(`bouncer:${key.id}`, query.startup === 'true');
    const body = formatBouncer(
      { added: delta.added.filter((d) => bouncerFilterAccepts(filter, d)), deleted: delta.deleted.filter((d) => bouncerFilterAccepts(filter, d)) },
      now,
    );
    await this.keys.recordPull(key.id, request.headers['user-agent']);
    void reply.status(200).send(body);
  }

  /** LAPI's exact refusal: 403 `{"message":"access forbidden"}`. */
  private async authenticate(request: FastifyRequest, reply: FastifyReply): Promise<BouncerKeyRecord | null> {
    const header = request.headers['x-api-key'];
    const key = await this.keys.authenticate(Array.isArray(header) ? header[0] : header);
    if (!key) void reply.status(403).send({ message: 'access forbidden' });
    return key;
  }
}
