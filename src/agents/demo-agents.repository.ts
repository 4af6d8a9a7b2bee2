import { type INestApplicationContext, Injectable } from '@nestjs/common';
import { PrismaModule } from '../infra/prisma/prisma.module.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/**
 * Demo-only writes of the embedded mode's seed (src/embedded/demo-seed.ts): the demo agents get the
 * same demo network as their reporter rows, so the reporter row that ingestion refreshes from the agent
 * keeps it. Agents own the agent table (docs/architecture.md "Table ownership").
 */
@Injectable()
export class DemoAgentsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The demo runs outside any module: take the application's Prisma service from its module. */
  static of(app: INestApplicationContext): DemoAgentsRepository {
    return new DemoAgentsRepository(app.select(PrismaModule).get(PrismaService, { strict: true }));
  }

  async setNetwork(agentId: string, asn: number, networkPseudonym: string): Promise<void> {
    await this.prisma.agent.update({ where: { id: agentId }, data: { asn, networkPseudonym } });
  }
}
