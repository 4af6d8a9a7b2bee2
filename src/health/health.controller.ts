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
  @ApiOperation({ summary: 'Liveness: the process is up', description: 'Answers 200 while the process can serve HTTP; it checks no dependency, so an orchestrator restarts the process only when it is truly stuck. Never rate limited, needs no credentials.' })
  @ApiOkResponse({ schema: { example: { status: 'ok' } } })
  healthz(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('readyz')
  @Auth('health.ready')
  @Header('cache-control', 'no-store')
  @ApiOperation({ summary: 'Readiness: PostgreSQL, Redis, queues (and the lookup index) reachable', description: 'Answers 200 when every dependency this process needs answers within its bound: PostgreSQL, Redis, the job queues and, on API processes, a loaded lookup index. Otherwise 503 with one entry per failing dependency, so a load balancer stops sending traffic until it recovers.' })
  @ApiOkResponse({ description: 'Ready' })
  @ApiServiceUnavailableResponse({ description: 'Not ready: the body names each failing dependency' })
  async readyz(@Res() reply: FastifyReply): Promise<void> {
    const report = await this.readiness.report();
    await reply.status(report.status === 'ready' ? 200 : 503).send(report);
  }

  @Get('metrics')
  @Auth('health.metrics')
  @ApiOperation({ summary: 'Prometheus metrics', description: 'Process and service metrics in the Prometheus text format: HTTP requests by route and status, latencies, event-loop lag, ingestion and scoring counters, queue depths. Restrict it at the network edge in production.' })
  async prometheus(@Res() reply: FastifyReply): Promise<void> {
    const { contentType, body } = await this.metrics.render();
    await reply.header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
