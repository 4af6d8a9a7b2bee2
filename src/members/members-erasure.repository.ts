import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';
import { inPgTransaction } from '../infra/prisma/pg-transaction.js';

/** Members' side of erasure (src/members/members.erasure.ts). */
@Injectable()
export class MembersErasureRepository {
  constructor(private readonly prisma: PrismaService) {}

  async identifiers(organizationId: string): Promise<string[]> {
    const { rows } = await this.prisma.pool.query<{ v: string }>(
      `SELECT id::text AS v FROM member WHERE organization_id = $1 UNION SELECT email FROM member WHERE organization_id = $1
       UNION SELECT id::text FROM member_token WHERE organization_id = $1 UNION SELECT email FROM member_token WHERE organization_id = $1`,
      [organizationId],
    );
    return rows.map((r) => r.v);
  }

  /** R7: members, their sessions and one-use links, and mail kept for their addresses. */
  async erase(organizationId: string): Promise<Record<string, number>> {
    return inPgTransaction(this.prisma.pool, async (client) => {
      const emails = (
        await client.query<{ email: string }>('SELECT email FROM member WHERE organization_id = $1 UNION SELECT email FROM member_token WHERE organization_id = $1', [organizationId])
      ).rows.map((r) => r.email);
      const q = async (text: string, params: unknown[]) => (await client.query(text, params)).rowCount ?? 0;
      return {
        member_session: await q('DELETE FROM member_session WHERE member_id IN (SELECT id FROM member WHERE organization_id = $1)', [organizationId]),
        member_token: await q('DELETE FROM member_token WHERE organization_id = $1', [organizationId]),
        member: await q('DELETE FROM member WHERE organization_id = $1', [organizationId]),
        email_outbox: await q('DELETE FROM email_outbox WHERE lower(recipient) = ANY($1::text[])', [emails.map((e) => e.toLowerCase())]),
      };
    });
  }
}
