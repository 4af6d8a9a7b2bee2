import { Injectable } from '@nestjs/common';
import { PrismaService } from '../../infra/prisma/prisma.service.js';

export type ReleaseOutcome = 'released' | 'not_quarantined';

export interface ReleaseRecord {
  pseudonym: string;
  requestedAt: Date;
  requestedBy: string;
  reason: string;
  appliedAt: Date | null;
  outcome: ReleaseOutcome | null;
}

interface ReleaseRow {
  pseudonym: string;
  release_requested_at: Date;
  release_requested_by: string;
  release_reason: string;
  release_applied_at: Date | null;
  release_outcome: ReleaseOutcome | null;
}

const RELEASE_COLUMNS = 'pseudonym, release_requested_at, release_requested_by, release_reason, release_applied_at, release_outcome';

const toRecord = (r: ReleaseRow): ReleaseRecord => ({
  pseudonym: r.pseudonym,
  requestedAt: r.release_requested_at,
  requestedBy: r.release_requested_by,
  reason: r.release_reason,
  appliedAt: r.release_applied_at,
  outcome: r.release_outcome,
});

/**
 * Releases from quarantine on the reporter row (consensus's table): requested by an operator, applied
 * by the next scoring run (docs/operators.md, "Community"). Written with SQL so that updated_at, which
 * re-registers a reporter in the engine, is left alone.
 */
@Injectable()
export class QuarantineReleaseRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Records a release of a quarantined reporter; null when the reporter is not quarantined (or unknown). */
  async request(pseudonym: string, requestedBy: string, reason: string, at: Date): Promise<ReleaseRecord | null> {
    const [row] = await this.prisma.db.query<ReleaseRow>(
      `UPDATE reporter SET release_requested_at = $2, release_requested_by = $3, release_reason = $4, release_applied_at = NULL, release_outcome = NULL
       WHERE pseudonym = $1 AND quarantined_at IS NOT NULL
       RETURNING ${RELEASE_COLUMNS}`,
      [pseudonym, at, requestedBy, reason],
    );
    return row ? toRecord(row) : null;
  }

  async pending(): Promise<ReleaseRecord[]> {
    const rows = await this.prisma.db.query<ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM reporter WHERE release_requested_at IS NOT NULL AND release_applied_at IS NULL ORDER BY release_requested_at`,
    );
    return rows.map(toRecord);
  }

  /** Marks the release requested at `requestedAt` applied (a newer request of the same reporter stays pending). */
  async markApplied(pseudonym: string, requestedAt: Date, outcome: ReleaseOutcome, at: Date): Promise<void> {
    await this.prisma.db.execute(
      'UPDATE reporter SET release_applied_at = $3, release_outcome = $4 WHERE pseudonym = $1 AND release_requested_at = $2 AND release_applied_at IS NULL',
      [pseudonym, requestedAt, at, outcome],
    );
  }

  /** Releases that took effect at or after `since`. */
  async releasedSince(since: Date): Promise<ReleaseRecord[]> {
    const rows = await this.prisma.db.query<ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM reporter WHERE release_outcome = 'released' AND release_applied_at >= $1 ORDER BY release_applied_at`,
      [since],
    );
    return rows.map(toRecord);
  }

  async ofReporters(pseudonyms: readonly string[]): Promise<ReleaseRecord[]> {
    if (pseudonyms.length === 0) return [];
    const rows = await this.prisma.db.query<ReleaseRow>(
      `SELECT ${RELEASE_COLUMNS} FROM reporter WHERE pseudonym = ANY($1::text[]) AND release_requested_at IS NOT NULL`,
      [[...pseudonyms]],
    );
    return rows.map(toRecord);
  }
}
