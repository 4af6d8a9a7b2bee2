import { type DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import type { Logger } from 'pino';
import type { AppConfig } from '../config/app-config.js';
import { AuthGuard } from '../common/auth/auth.guard.js';
import { AuthModule } from '../common/auth/auth.module.js';
import { GlobalExceptionFilter } from '../common/errors/http-exception.filter.js';
import { HealthModule } from '../health/health.module.js';
import { CoreModule } from './core.module.js';
import { DOMAIN_MODULES } from './domain-modules.js';

/** The HTTP API process. */
@Module({})
export class AppModule {
  static forRoot(config: AppConfig, logger: Logger, extraModules: Array<Type<unknown>> = []): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config, logger, 'api'), AuthModule, HealthModule, ...DOMAIN_MODULES, ...extraModules],
      providers: [
        { provide: APP_FILTER, useClass: GlobalExceptionFilter },
        { provide: APP_GUARD, useClass: AuthGuard },
      ],
    };
  }
}
