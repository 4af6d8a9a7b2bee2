import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Operators' side of erasure (src/admin/admin.erasure.ts). */
@Injectable()
export class AdminErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async identifiers(organizationId: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ id: string; email: string }>('SELECT id::text AS id, email FROM operator_user WHERE organization_id = $1', [organizationId]);
    return rows.flatMap((r) => [r.id, r.email]);
  }

  /** R7: the organisation's operators and their sessions. */
  async erase(organizationId: string): Promise<Record<string, number>> {
    return this.prisma.transaction(async (tx) => ({
      operator_session: await tx.execute('DELETE FROM operator_session WHERE operator_id IN (SELECT id FROM operator_user WHERE organization_id = $1)', [organizationId]),
      operator_user: await tx.execute('DELETE FROM operator_user WHERE organization_id = $1', [organizationId]),
    }));
  }
}
