import { Injectable } from '@nestjs/common';
import type { MemberRole } from '../common/auth/principal-class.js';
import { Prisma } from '../generated/prisma/client.js';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export interface MemberRecord {
  id: string;
  organizationId: string;
  email: string;
  passwordHash: string;
  role: MemberRole;
  emailVerifiedAt: Date | null;
  passwordChangedAt: Date;
  disabled: boolean;
  lastLoginAt: Date | null;
  totpSecret: string | null;
  totpEnabledAt: Date | null;
  createdAt: Date;
}

export interface MemberSessionRecord {
  id: string;
  memberId: string;
  csrfToken: string;
  createdAt: Date;
  expiresAt: Date;
}

/** What a one-use emailed link stands for (member_token.purpose). */
export type MemberTokenPurpose = 'verify_email' | 'reset_password' | 'invitation';

export interface MemberTokenRecord {
  id: string;
  purpose: MemberTokenPurpose;
  organizationId: string;
  memberId: string | null;
  email: string;
  role: MemberRole | null;
  expiresAt: Date;
  usedAt: Date | null;
}

const MEMBER_FIELDS = {
  id: true,
  organizationId: true,
  email: true,
  passwordHash: true,
  role: true,
  emailVerifiedAt: true,
  passwordChangedAt: true,
  disabled: true,
  lastLoginAt: true,
  totpSecret: true,
  totpEnabledAt: true,
  createdAt: true,
} as const;

/** Customer members, their sessions and their emailed one-use tokens (tables of prisma/migrations/*_members). */
@Injectable()
export class MembersRepository {
  constructor(private readonly prisma: PrismaService) {}

  findByEmail(email: string): Promise<MemberRecord | null> {
    return this.prisma.member.findUnique({ where: { email }, select: MEMBER_FIELDS });
  }

  findById(id: string): Promise<MemberRecord | null> {
    return this.prisma.member.findUnique({ where: { id }, select: MEMBER_FIELDS });
  }

  listByOrganization(organizationId: string): Promise<MemberRecord[]> {
    return this.prisma.member.findMany({ where: { organizationId }, orderBy: { createdAt: 'asc' }, select: MEMBER_FIELDS, take: 1000 });
  }

  countOwners(organizationId: string): Promise<number> {
    return this.prisma.member.count({ where: { organizationId, role: 'owner', disabled: false } });
  }

  /** Null when the email is taken (one account per email address, across organisations). */
  async create(data: { organizationId: string; email: string; passwordHash: string; role: MemberRole; emailVerifiedAt?: Date | null }): Promise<MemberRecord | null> {
    try {
      return await this.prisma.member.create({ data, select: MEMBER_FIELDS });
    } catch (error) {
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') return null;
      throw error;
    }
  }

  async delete(organizationId: string, id: string): Promise<boolean> {
    return (await this.prisma.member.deleteMany({ where: { id, organizationId } })).count === 1;
  }

  async setRole(organizationId: string, id: string, role: MemberRole): Promise<boolean> {
    return (await this.prisma.member.updateMany({ where: { id, organizationId }, data: { role } })).count === 1;
  }

  /** A new secret to confirm; false when TOTP is already enabled (disable it first). */
  async setTotpSecret(id: string, secret: string): Promise<boolean> {
    return (await this.prisma.member.updateMany({ where: { id, totpEnabledAt: null }, data: { totpSecret: secret, totpLastStep: null } })).count === 1;
  }

  async enableTotp(id: string, at: Date): Promise<void> {
    await this.prisma.member.update({ where: { id }, data: { totpEnabledAt: at } });
  }

  async disableTotp(id: string): Promise<void> {
    await this.prisma.member.update({ where: { id }, data: { totpSecret: null, totpEnabledAt: null, totpLastStep: null } });
  }

  /** Records the step a code was accepted for; false when that step (or a later one) was used already. */
  async useTotpStep(id: string, step: bigint): Promise<boolean> {
    const updated = await this.prisma.db.execute('UPDATE member SET totp_last_step = $1 WHERE id = $2::uuid AND (totp_last_step IS NULL OR totp_last_step < $1)', [step.toString(), id]);
    return updated === 1;
  }

  async markVerified(id: string, at: Date): Promise<void> {
    await this.prisma.member.updateMany({ where: { id, emailVerifiedAt: null }, data: { emailVerifiedAt: at } });
  }

  /** New password: every session of the member ends (revocation on password change). */
  async setPassword(id: string, passwordHash: string, at: Date, verified: boolean): Promise<void> {
    await this.prisma.transaction(async (tx) => {
      await tx.prisma.member.update({ where: { id }, data: { passwordHash, passwordChangedAt: at, ...(verified ? { emailVerifiedAt: at } : {}) } });
      await tx.prisma.memberSession.deleteMany({ where: { memberId: id } });
    });
  }

  async recordLogin(id: string, at: Date): Promise<void> {
    await this.prisma.member.update({ where: { id }, data: { lastLoginAt: at } });
  }

  async createSession(memberId: string, tokenHash: string, csrfToken: string, expiresAt: Date): Promise<void> {
    await this.prisma.memberSession.create({ data: { memberId, tokenHash, csrfToken, expiresAt } });
  }

  findSession(tokenHash: string): Promise<MemberSessionRecord | null> {
    return this.prisma.memberSession.findUnique({ where: { tokenHash }, select: { id: true, memberId: true, csrfToken: true, createdAt: true, expiresAt: true } });
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.prisma.memberSession.deleteMany({ where: { tokenHash } });
  }

  async createToken(data: { purpose: MemberTokenPurpose; tokenHash: string; organizationId: string; memberId: string | null; email: string; role: MemberRole | null; createdBy: string; expiresAt: Date }): Promise<void> {
    await this.prisma.memberToken.create({ data });
  }

  /** Invitations not yet accepted, revoked or expired. */
  pendingInvitations(organizationId: string, now: Date): Promise<Array<{ id: string; email: string; role: MemberRole | null; createdBy: string; createdAt: Date; expiresAt: Date }>> {
    return this.prisma.memberToken.findMany({
      where: { organizationId, purpose: 'invitation', usedAt: null, expiresAt: { gt: now } },
      orderBy: { createdAt: 'asc' },
      take: 500,
      select: { id: true, email: true, role: true, createdBy: true, createdAt: true, expiresAt: true },
    });
  }

  /** Withdraws a pending invitation (its link stops working); false when there is none. */
  async revokeInvitation(organizationId: string, id: string, now: Date): Promise<boolean> {
    return (await this.prisma.memberToken.updateMany({ where: { id, organizationId, purpose: 'invitation', usedAt: null }, data: { usedAt: now, expiresAt: now } })).count === 1;
  }

  /**
   * Takes a one-use token: marks it used and returns it, in one statement, so two concurrent uses
   * cannot both succeed. Null when unknown, used, expired or of another purpose.
   */
  async consumeToken(tokenHash: string, purpose: MemberTokenPurpose, now: Date): Promise<MemberTokenRecord | null> {
    const rows = await this.prisma.db.query<{ id: string; purpose: string; organization_id: string; member_id: string | null; email: string; role: MemberRole | null; expires_at: Date; used_at: Date | null }>(
      `UPDATE member_token SET used_at = $1
       WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1
       RETURNING id, purpose, organization_id, member_id, email, role::text AS role, expires_at, used_at`,
      [now, tokenHash, purpose],
    );
    const row = rows[0];
    if (!row) return null;
    return { id: row.id, purpose, organizationId: row.organization_id, memberId: row.member_id, email: row.email, role: row.role, expiresAt: row.expires_at, usedAt: row.used_at };
  }
}
