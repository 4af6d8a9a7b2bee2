import { Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { CROWDSEC_ERROR_SHAPE } from '../common/errors/http-exception.filter.js';

/** CAPI routes (/v2, /v3) and the LAPI bouncer stream (/v1/decisions). */
export const CROWDSEC_PATH = /^\/+(v2|v3|v1\/+decisions)(\/|\?|$)/;

/**
 * Marks CrowdSec requests before anything can fail (gzip, JSON parsing, routing, auth), so every
 * error they get is in CrowdSec's `{message, errors}` shape, the only one its client parses.
 */
@Injectable()
export class CrowdsecErrorShape implements OnModuleInit {
  constructor(private readonly adapterHost: HttpAdapterHost) {}

  onModuleInit(): void {
    const adapter = this.adapterHost.httpAdapter as { getInstance(): FastifyInstance } | undefined;
    if (!adapter) return;
    // Callback-style: no promise per request of every route.
    adapter.getInstance().addHook('onRequest', (request, _reply, done) => {
      if (CROWDSEC_PATH.test(request.url)) (request as unknown as Record<string, unknown>)[CROWDSEC_ERROR_SHAPE] = true;
      done();
    });
  }
}
