import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/**
 * What an erasure ledger entry names, always by keyed hash (src/privacy/subject-hash.ts):
 * `organization` (organizationSubject), `ip` (ipSubject of an IPv4 address or an IPv6 /64: its data
 * and its protection marker), `ip_address` (ipAddressSubject of one IPv6 address).
 */
export type ErasureKind = 'organization' | 'ip' | 'ip_address';

export interface ErasureEntry {
  kind: ErasureKind;
  subject: string;
  erasedAt: Date;
}

export const ERASURE_KINDS: readonly ErasureKind[] = ['organization', 'ip', 'ip_address'];

/** The live copy of the erasure ledger (R13); a file copy lives with the backups (erasure-ledger.service.ts). */
@Injectable()
export class ErasureLedgerRepository {
  constructor(private readonly prisma: PrismaService) {}

  async record(entries: readonly ErasureEntry[]): Promise<void> {
    for (const e of entries) {
      await this.prisma.db.execute(
        `INSERT INTO erasure_ledger (kind, subject, erased_at) VALUES ($1, $2, $3)
         ON CONFLICT (kind, subject) DO UPDATE SET erased_at = greatest(erasure_ledger.erased_at, EXCLUDED.erased_at)`,
        [e.kind, e.subject, e.erasedAt],
      );
    }
  }

  async all(): Promise<ErasureEntry[]> {
    const rows = await this.prisma.db.query<{ kind: ErasureKind; subject: string; erased_at: Date }>('SELECT kind, subject, erased_at FROM erasure_ledger ORDER BY erased_at');
    return rows.map((r) => ({ kind: r.kind, subject: r.subject, erasedAt: r.erased_at }));
  }

  async deleteBefore(cutoff: Date): Promise<number> {
    return this.prisma.db.execute('DELETE FROM erasure_ledger WHERE erased_at < $1', [cutoff]);
  }
}
