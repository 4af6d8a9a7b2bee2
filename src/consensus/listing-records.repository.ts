import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import type { ExplanationRow, IpScoreRow } from './consensus.types.js';

interface ScoreRow {
  ip_key: string;
  score: number;
  reporters: number;
  established: number;
  asns: number;
  scenarios: string[];
  first_seen: Date;
  last_seen: Date;
  listed: boolean;
  listed_at: Date | null;
  listed_until: Date | null;
  reason: string | null;
  honeypot: boolean;
}

/** Reads of ip_score and listing_explanation (consensus's tables) for the operator console's listings page. */
@Injectable()
export class ListingRecordsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The scored keys among `keys`: one array parameter, primary-key lookups (callers bound the list: a /16 is 65,536 keys). */
  async scores(keys: readonly string[]): Promise<IpScoreRow[]> {
    if (keys.length === 0) return [];
    const rows = await this.prisma.db.query<ScoreRow>(
      `SELECT ip_key, score, reporters, established, asns, scenarios, first_seen, last_seen, listed, listed_at, listed_until, reason, honeypot
       FROM ip_score WHERE ip_key = ANY($1::text[])`,
      [keys],
    );
    return rows.map((r) => ({
      ipKey: r.ip_key,
      score: r.score,
      reporters: r.reporters,
      established: r.established,
      asns: r.asns,
      scenarios: r.scenarios,
      firstSeen: r.first_seen,
      lastSeen: r.last_seen,
      listed: r.listed,
      listedAt: r.listed_at,
      listedUntil: r.listed_until,
      reason: r.reason,
      honeypot: r.honeypot,
    }));
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
