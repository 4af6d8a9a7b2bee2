import { Injectable } from '@nestjs/common';
import { PrismaService } from '../infra/prisma/prisma.service.js';

export type OperatorRoleName = 'admin' | 'billing' | 'support';

export interface OperatorRecord {
  id: string;
  email: string;
  passwordHash: string;
  role: OperatorRoleName;
  disabled: boolean;
  failedLogins: number;
  organizationId: string | null;
  totpSecret: string | null;
  totpEnabledAt: Date | null;
}

const OPERATOR_FIELDS = {
  id: true,
  email: true,
  passwordHash: true,
  role: true,
  disabled: true,
  failedLogins: true,
  organizationId: true,
  totpSecret: true,
  totpEnabledAt: true,
} as const;

export interface SessionRecord {
  id: string;
  operatorId: string;
  csrfToken: string;
  expiresAt: Date;
}

@Injectable()
export class OperatorsRepository {
  constructor(private readonly prisma: PrismaService) {}

  async findByEmail(email: string): Promise<OperatorRecord | null> {
    return this.prisma.operatorUser.findUnique({ where: { email }, select: OPERATOR_FIELDS });
  }

  async findById(id: string): Promise<OperatorRecord | null> {
    return this.prisma.operatorUser.findUnique({ where: { id }, select: OPERATOR_FIELDS });
  }

  async create(email: string, passwordHash: string, role: OperatorRoleName, organizationId: string | null = null): Promise<OperatorRecord> {
    return this.prisma.operatorUser.create({ data: { email, passwordHash, role, organizationId }, select: OPERATOR_FIELDS });
  }

  async setPassword(id: string, passwordHash: string): Promise<void> {
    await this.prisma.operatorUser.update({ where: { id }, data: { passwordHash, failedLogins: 0 } });
  }

  /** Counts a failed login (shown to admins; logins are throttled in Redis, accounts are never locked). */
  async recordFailure(id: string): Promise<void> {
    await this.prisma.db.execute('UPDATE operator_user SET failed_logins = failed_logins + 1, updated_at = now() WHERE id = $1::uuid', [id]);
  }

  async recordSuccess(id: string, now: Date): Promise<void> {
    await this.prisma.operatorUser.update({ where: { id }, data: { failedLogins: 0, lastLoginAt: now } });
  }

  async createSession(operatorId: string, tokenHash: string, csrfToken: string, expiresAt: Date): Promise<SessionRecord> {
    const row = await this.prisma.operatorSession.create({ data: { operatorId, tokenHash, csrfToken, expiresAt } });
    return { id: row.id, operatorId, csrfToken, expiresAt };
  }

  async findSession(tokenHash: string): Promise<SessionRecord | null> {
    const row = await this.prisma.operatorSession.findUnique({ where: { tokenHash } });
    return row ? { id: row.id, operatorId: row.operatorId, csrfToken: row.csrfToken, expiresAt: row.expiresAt } : null;
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.prisma.operatorSession.deleteMany({ where: { tokenHash } });
  }

  async deleteExpiredSessions(now: Date): Promise<number> {
    return (await this.prisma.operatorSession.deleteMany({ where: { expiresAt: { lte: now } } })).count;
  }

  /** A new secret to confirm; false when TOTP is already enabled. */
  async setTotpSecret(id: string, secret: string): Promise<boolean> {
    return (await this.prisma.operatorUser.updateMany({ where: { id, totpEnabledAt: null }, data: { totpSecret: secret, totpLastStep: null } })).count === 1;
  }

  async enableTotp(id: string, at: Date): Promise<void> {
    await this.prisma.operatorUser.update({ where: { id }, data: { totpEnabledAt: at } });
  }

  /** Records the step a code was accepted for; false when that step (or a later one) was used already. */
  async useTotpStep(id: string, step: bigint): Promise<boolean> {
    const updated = await this.prisma.db.execute('UPDATE operator_user SET totp_last_step = $1 WHERE id = $2::uuid AND (totp_last_step IS NULL OR totp_last_step < $1)', [step, id]);
    return updated === 1;
  }
}
