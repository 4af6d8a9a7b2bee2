import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface ReporterStandingRow {
  pseudonym: string;
  alpha: number;
  beta: number;
  quarantinedAt: Date | null;
  quarantineReason: string | null;
}

/** Trust and quarantine of reporters as the last scoring run wrote them (reporter is consensus's table). */
@Injectable()
export class ReporterStandingRepository {
  constructor(private readonly prisma: PrismaService) {}

  async byPseudonyms(pseudonyms: readonly string[]): Promise<ReporterStandingRow[]> {
    if (pseudonyms.length === 0) return [];
    return this.prisma.reporter.findMany({
      where: { pseudonym: { in: [...pseudonyms] } },
      select: { pseudonym: true, alpha: true, beta: true, quarantinedAt: true, quarantineReason: true },
    });
  }
}
