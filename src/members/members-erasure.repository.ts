import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

/** Members' side of erasure (src/members/members.erasure.ts). */
@Injectable()
export class MembersErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async identifiers(organizationId: string): Promise<string[]> {
    const rows = await this.prisma.db.query<{ v: string }>(
      `SELECT id::text AS v FROM member WHERE organization_id = $1 UNION SELECT email FROM member WHERE organization_id = $1
       UNION SELECT id::text FROM member_token WHERE organization_id = $1 UNION SELECT email FROM member_token WHERE organization_id = $1`,
      [organizationId],
    );
    return rows.map((r) => r.v);
  }

  /** R7: members, their sessions and one-use links, and mail kept for their addresses, in one transaction. */
  async erase(organizationId: string): Promise<Record<string, number>> {
    return this.prisma.transaction(async (tx) => {
      const emails = (
        await tx.query<{ email: string }>('SELECT email FROM member WHERE organization_id = $1 UNION SELECT email FROM member_token WHERE organization_id = $1', [organizationId])
      ).map((r) => r.email);
      return {
        member_session: await tx.execute('DELETE FROM member_session WHERE member_id IN (SELECT id FROM member WHERE organization_id = $1)', [organizationId]),
        member_token: await tx.execute('DELETE FROM member_token WHERE organization_id = $1', [organizationId]),
        member: await tx.execute('DELETE FROM member WHERE organization_id = $1', [organizationId]),
        email_outbox: await tx.execute('DELETE FROM email_outbox WHERE lower(recipient) = ANY($1::text[])', [emails.map((e) => e.toLowerCase())]),
      };
    });
  }
}
