import { Global, Injectable, Module } from '@nestjs/common';

/** A named readiness condition a domain adds (e.g. the lookup index being loaded); throws when not ready. */
export type ReadinessCheck = () => Promise<void>;

/**
 * The readiness conditions domains add to `/readyz`, beside PostgreSQL, Redis and the queues
 * (src/health/readiness.service.ts). Provided in every application context, so a domain registers its
 * check by injection; only the API context answers `/readyz`.
 */
@Injectable()
export class ReadinessChecks {
  private readonly checks = new Map<string, ReadinessCheck>();

  register(name: string, check: ReadinessCheck): void {
    this.checks.set(name, check);
  }

  entries(): Array<[string, ReadinessCheck]> {
    return [...this.checks.entries()];
  }
}

@Global()
@Module({ providers: [ReadinessChecks], exports: [ReadinessChecks] })
export class ReadinessChecksModule {}
