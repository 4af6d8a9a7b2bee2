import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { ExplanationRow, IpScoreRow } from './consensus.types.js';

/** Reads of ip_score and listing_explanation (consensus's tables) for the operator console's listings page. */
@Injectable()
export class ListingRecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The scored keys among `keys` (primary-key lookups; callers bound the list). */
  async scores(keys: readonly string[]): Promise<IpScoreRow[]> {
    if (keys.length === 0) return [];
    return this.prisma.ipScore.findMany({ where: { ipKey: { in: [...keys] } } });
  }

  /** The key's listing explanations, newest first. */
  async explanations(ipKey: string, limit: number): Promise<ExplanationRow[]> {
    return this.prisma.listingExplanation.findMany({
      where: { ipKey },
      orderBy: { listedAt: 'desc' },
      take: limit,
      select: { ipKey: true, listedAt: true, reason: true, score: true, asns: true, established: true, scenarioClasses: true, firstSeen: true, lastSeen: true, voters: true },
    });
  }
}
