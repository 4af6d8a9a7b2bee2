import type { Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { createValidationPipe } from '../common/http/validation.pipe.js';
import { registerRequestDecompression } from '../common/http/gzip-body.js';
import { registerHostileInputHook } from '../common/http/hostile-input.hook.js';
import { registerJsonBodyParser } from '../common/http/json-body.js';
import { genRequestId } from '../common/http/request-id.js';
import { PinoNestLogger } from '../common/logging/pino-logger.js';
import { MetricsService } from '../infra/metrics/metrics.service.js';
import { FastLookupRoute } from '../lookup/fast-lookup-route.js';
import { setupOpenApi } from '../openapi/openapi.js';
import { AppModule } from './app.module.js';
import { FrontDoor } from './front-door.js';
import { registerHttpHooks } from './http-hooks.js';

export interface HttpAppOptions {
  /** Build the app without connecting anything (OpenAPI generation). */
  preview?: boolean;
  /** Extra modules (tests mount probe routes this way). */
  extraModules?: Array<Type<unknown>>;
}

function trustProxy(config: AppConfig): boolean | string[] {
  return config.http.trustedProxies.length > 0 ? [...config.http.trustedProxies] : false;
}

/** The Nest application on Fastify, with every HTTP-level policy of the service. */
export async function createHttpApp(config: AppConfig, logger: Logger, options: HttpAppOptions = {}): Promise<NestFastifyApplication> {
  const door = new FrontDoor();
  const adapter = new FastifyAdapter({
    serverFactory: door.serverFactory,
    bodyLimit: config.http.bodyLimitBytes,
    genReqId: genRequestId,
    trustProxy: trustProxy(config),
    routerOptions: { ignoreTrailingSlash: true, ignoreDuplicateSlashes: true },
    logger: false,
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, logger, options.extraModules), adapter, {
    logger: new PinoNestLogger(logger.child({ component: 'nest' })),
    bodyParser: false,
    bufferLogs: false,
    abortOnError: false,
    preview: options.preview ?? false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  registerRequestDecompression(fastify);
  registerJsonBodyParser(fastify);
  registerHostileInputHook(fastify);
  if (!options.preview) {
    const metrics = app.get(MetricsService);
    registerHttpHooks(fastify, metrics, logger);
    // the first-packet lookup answered before Fastify (docs/lookup.md "Hot path"); all to Fastify once closing
    door.open(app.get(FastLookupRoute), metrics, logger);
    fastify.addHook('preClose', (done) => {
      door.shut();
      done();
    });
  }
  app.useGlobalPipes(createValidationPipe());
  setupOpenApi(app, config);
  return app;
}
