import { Controller, Get, Header, Headers, Param, ParseUUIDPipe, Query, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import type { ApiKeyPrincipal } from '../keys/api-key-cache.js';
import { mirrorIdOf } from './mirror-activity.js';
import { MirrorDeltasQueryDto, MirrorPublicKeyDto, MirrorUsageDto, MirrorUsageQueryDto } from './mirror.dto.js';
import { MirrorService } from './mirror.service.js';
import { MIRROR_CONTENT_TYPE } from './mirror-wire.js';

const DAY_MS = 86_400_000;
const MAX_USAGE_DAYS = 93;
const FEED_DOC =
  'Binary frames of the local mirror feed (docs/lookup.md "Local mirror": header, brotli body, Ed25519 signature). Needs an API key with ' +
  'the `mirror` scope on a plan with the `mirror` view (402 `plan_restricted` otherwise). Each request counts the mirror ' +
  '(`x-quorum-mirror-id`, else the key) as active on the day, the billed mirror meter.';
const MIRROR_ID_HEADER = { name: 'x-quorum-mirror-id', required: false, description: 'Stable id of this mirror (1-64 of A-Z a-z 0-9 . _ : -); default: the API key id' };

@ApiTags('lookup')
@Controller('v1')
export class MirrorController {
  constructor(
    private readonly mirror: MirrorService,
    private readonly clock: Clock,
  ) {}

  @Get('mirror/public-key')
  @Auth('mirror.publicKey')
  @ApiOperation({ summary: 'The Ed25519 public key the mirror feed is signed with', description: 'Agents pin it and refuse frames whose signature does not verify with it.' })
  @ApiOkResponse({ type: MirrorPublicKeyDto })
  @ApiResponse({ status: 503, description: '`mirror_unavailable`: no signing key configured (production)' })
  publicKey(): MirrorPublicKeyDto {
    const signer = this.mirror.signer;
    if (!signer) throw new DomainError('mirror_unavailable', 'The mirror feed is not configured on this service (no signing key)');
    return { algorithm: 'Ed25519', publicKey: signer.publicKey, keyId: signer.keyId, format: 'QMR1', generated: signer.generated };
  }

  @Get('mirror/snapshot')
  @Auth('mirror.snapshot')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'The whole scored index as one signed snapshot frame', description: `${FEED_DOC} Headers x-quorum-mirror-epoch and x-quorum-mirror-version tell where deltas continue from.` })
  @ApiHeader(MIRROR_ID_HEADER)
  @ApiProduces(MIRROR_CONTENT_TYPE)
  @ApiOkResponse({ description: 'One snapshot frame', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 402, description: '`plan_restricted`: the plan does not include the local mirror' })
  @ApiResponse({ status: 503, description: '`mirror_unavailable`: not configured, or nothing published yet (Retry-After)' })
  async snapshot(@CurrentPrincipal() principal: Principal, @Headers('x-quorum-mirror-id') mirrorId: string | undefined, @Res({ passthrough: true }) reply: FastifyReply): Promise<Buffer> {
    const key = principal as ApiKeyPrincipal;
    await this.mirror.admit(key, mirrorIdOf(mirrorId, key.apiKeyId));
    const feed = this.mirror.ready();
    const version = feed.version;
    const frame = await feed.snapshotFrame();
    reply.header('content-type', MIRROR_CONTENT_TYPE);
    reply.header('x-quorum-mirror-epoch', String(feed.epoch));
    reply.header('x-quorum-mirror-version', String(version));
    return frame;
  }

  @Get('mirror/deltas')
  @Auth('mirror.deltas')
  @Header('cache-control', 'no-store')
  @ApiOperation({
    summary: 'Delta frames since a version (long poll)',
    description:
      `${FEED_DOC} 200: the delta frames from \`since\` to the current version, concatenated, applied in order. 204: still current after \`wait\` seconds. ` +
      '410 `mirror_resync`: another epoch, or the deltas after `since` are no longer kept: take a snapshot.',
  })
  @ApiHeader(MIRROR_ID_HEADER)
  @ApiProduces(MIRROR_CONTENT_TYPE)
  @ApiOkResponse({ description: 'Delta frames', schema: { type: 'string', format: 'binary' } })
  @ApiResponse({ status: 204, description: 'No newer version within `wait` seconds' })
  @ApiResponse({ status: 402, description: '`plan_restricted`: the plan does not include the local mirror' })
  @ApiResponse({ status: 410, description: '`mirror_resync`: take a snapshot' })
  @ApiResponse({ status: 503, description: '`mirror_unavailable`: not configured, or nothing published yet (Retry-After)' })
  async deltas(
    @Query() query: MirrorDeltasQueryDto,
    @CurrentPrincipal() principal: Principal,
    @Headers('x-quorum-mirror-id') mirrorId: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<Buffer | undefined> {
    const key = principal as ApiKeyPrincipal;
    await this.mirror.admit(key, mirrorIdOf(mirrorId, key.apiKeyId));
    const epoch = Number(query.epoch);
    const since = Number(query.since);
    const feed = this.mirror.ready();
    if (epoch === feed.epoch && since === feed.version) await this.mirror.waitPast(since, Number(query.wait ?? 0) * 1000);
    const answer = this.mirror.deltas(epoch, since);
    reply.header('x-quorum-mirror-epoch', String(feed.epoch));
    reply.header('x-quorum-mirror-version', String(feed.version));
    if (answer.kind === 'resync') throw new DomainError('mirror_resync', `Take a snapshot: ${answer.reason}`);
    if (answer.kind === 'current') {
      reply.code(204);
      return undefined;
    }
    reply.header('content-type', MIRROR_CONTENT_TYPE);
    return Buffer.concat(answer.frames);
  }

  @Get('organizations/:id/mirrors/usage')
  @Auth('mirrorUsage.read')
  @ApiOperation({ summary: 'Active local mirrors per UTC day (the mirror meter)', description: 'Mirrors that fetched a snapshot or deltas on each day, with their requests; counts are flushed every 30 s. At most 93 days.' })
  @ApiOkResponse({ type: MirrorUsageDto })
  async usage(@Param('id', ParseUUIDPipe) id: string, @Query() query: MirrorUsageQueryDto): Promise<MirrorUsageDto> {
    const to = query.to ?? new Date(this.clock.nowMs()).toISOString().slice(0, 10);
    const toMs = Date.parse(`${to}T00:00:00Z`);
    const fromMs = query.from ? Date.parse(`${query.from}T00:00:00Z`) : toMs - 29 * DAY_MS;
    if (Number.isNaN(toMs) || Number.isNaN(fromMs) || fromMs > toMs || toMs - fromMs >= MAX_USAGE_DAYS * DAY_MS) throw DomainError.badRequest('from must not be after to, at most 93 days apart');
    const from = new Date(fromMs).toISOString().slice(0, 10);
    return { organization_id: id, from, to, days: await this.mirror.activity.perDay(id, from, to) };
  }
}
