import { Controller, Get, Header, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { ReadinessService } from './readiness.service.js';

@ApiTags('operations')
@Controller()
export class HealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metrics: MetricsService,
  ) {}

  @Get('healthz')
  @Auth('health.live')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Liveness: the process is up' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Auth('health.ready')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis, queues (and the lookup index) reachable' })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the body names each failing dependency' })
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    await reply.status(report.status === 'ready' ? 200 : 503).send(report);
  }

  @Get('metrics')
  @Auth('health.metrics')
  @ApiOperation({ summary: 'Prometheus metrics' })
  async prometheus(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    await reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
