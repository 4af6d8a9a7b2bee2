import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { PrismaModule } from '../infra/prisma/prisma.module.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface EstablishedReporter {
  pseudonym: string;
  owner: string;
  asn: number;
  net: string;
  enrolledAt: Date;
}

/**
 * Demo-only writes of the embedded mode's seed (src/embedded/demo-seed.ts): gives the demo's reporters
 * the aged, trusted profile listings need. Consensus owns the reporter table (docs/architecture.md
 * "Table ownership"), so the seed writes it through this repository.
 */
@Injectable()
export class DemoReportersRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The demo runs outside any module: take the application's Prisma service from its module. */
  static of(app: INestApplicationContext): DemoReportersRepository {
    return new DemoReportersRepository(app.select(PrismaModule).get(PrismaService, { strict: true }));
  }

  async establish(reporters: readonly EstablishedReporter[]): Promise<void> {
    for (const r of reporters) {
      await this.prisma.db.execute(
        `INSERT INTO reporter (pseudonym, owner, asn, net, enrolled_at, alpha, beta, updated_at)
         VALUES ($1, $2, $3, $4, $5, 60, 3, now())
         ON CONFLICT (pseudonym) DO UPDATE SET asn = EXCLUDED.asn, net = EXCLUDED.net, enrolled_at = EXCLUDED.enrolled_at,
           alpha = greatest(reporter.alpha, 60), beta = least(reporter.beta, 3), updated_at = now()`,
        [r.pseudonym, r.owner, r.asn, r.net, r.enrolledAt],
      );
    }
  }
}
