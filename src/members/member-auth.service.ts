import { randomBytes } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import { LoginThrottleService } from '../admin/login-throttle.service.js';
import { newSession } from '../admin/sessions.js';
import { OrganizationsService } from '../agents/organizations.service.js';
import { AuditService } from '../audit/audit.service.js';
import type { MemberRole } from '../common/auth/principal-class.js';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyPassword } from '../common/crypto/password.js';
import { hashToken } from '../common/crypto/secret-token.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimiterService } from '../common/rate-limit/rate-limiter.service.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Clock } from '../infra/clock/clock.js';
import { type Delivery, MailerService, type OutgoingEmail } from './mail/mailer.service.js';
import { invitationEmail, passwordResetEmail, verificationEmail } from './mail/messages.js';
import { type MemberRecord, MembersRepository, type MemberSessionRecord } from './members.repository.js';
import { matchTotp, newTotpSecret, otpauthUri } from './totp.js';

export const MEMBER_SESSION_TTL_SECONDS = 8 * 3600;
export const MIN_PASSWORD_LENGTH = 12;
const HOUR_MS = 3_600_000;
const VERIFY_TTL_MS = 48 * HOUR_MS;
const RESET_TTL_MS = HOUR_MS;
const INVITATION_TTL_MS = 7 * 24 * HOUR_MS;
/** Sign-ups, reset and verification requests per source address per hour. */
const REQUESTS_PER_ADDRESS = 20;
/** Invitations an organisation may send per day (each one is an email to an address it chose). */
const INVITATIONS_PER_ORGANIZATION = 50;
/** Login attempts per source address (all accounts) per 5 minutes, as for operators. */
const LOGINS_PER_ADDRESS = 20;

export interface MemberSessionIssued {
  token: string;
  csrfToken: string;
  member: MemberRecord;
  expiresAt: Date;
}

const normalize = (email: string): string => email.trim().toLowerCase();
// Login throttling shares LoginThrottleService with operators; member accounts get their own counters.
const throttleKey = (email: string): string => `member:${email}`;

/**
 * Customer members (docs/customers.md): sign-up (a customer organisation and its owner), email
 * verification, sign-in with server-side sessions and CSRF tokens (the operator mechanisms of src/admin,
 * with their own cookie), password change and reset (both end every session), invitations. Every action
 * is in the audit log with actor `member:<id>` (or `anonymous`).
 */
@Injectable()
export class MemberAuthService {
  private readonly logger = new Logger('Members');

  constructor(
    private readonly members: MembersRepository,
    private readonly organizations: OrganizationsService,
    private readonly mailer: MailerService,
    private readonly limiter: RateLimiterService,
    private readonly throttle: LoginThrottleService,
    private readonly audit: AuditService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private link(path: string, token: string): string {
    const base = (this.config.http.publicUrl ?? `http://localhost:${this.config.http.port}`).replace(/\/$/, '');
    return `${base}/app/#/${path}?token=${encodeURIComponent(token)}`;
  }

  private checkPassword(password: string): void {
    if (password.length < MIN_PASSWORD_LENGTH) throw DomainError.badRequest(`Passwords need at least ${MIN_PASSWORD_LENGTH} characters`);
  }

  /** A mail that could not be handed over is logged; the caller reports `email_sent: false`. */
  private async deliver(message: OutgoingEmail): Promise<Delivery | null> {
    try {
      return await this.mailer.send(message);
    } catch (error) {
      this.logger.warn(`Email could not be sent (${(error as Error).message.split('\n')[0]})`);
      return null;
    }
  }

  private async issue(purpose: 'verify_email' | 'reset_password' | 'invitation', member: { organizationId: string; id: string | null; email: string; role: MemberRole | null }, ttlMs: number, createdBy: string): Promise<string> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(this.clock.nowMs() + ttlMs);
    await this.members.createToken({ purpose, tokenHash: hashToken(token), organizationId: member.organizationId, memberId: member.id, email: member.email, role: member.role, createdBy, expiresAt });
    return token;
  }

  async signUp(organizationName: string, email: string, password: string, sourceAddress: string): Promise<{ member: MemberRecord; organizationId: string; emailSent: boolean }> {
    this.checkPassword(password);
    await this.limiter.enforce('member-signup-ip', sourceAddress, REQUESTS_PER_ADDRESS, HOUR_MS, 'Too many sign-ups from this address');
    const address = normalize(email);
    if (await this.members.findByEmail(address)) throw DomainError.conflict('An account with this email address exists: sign in or reset the password', 'email_taken');
    const passwordHash = await hashPassword(password);
    const organization = await this.organizations.create(organizationName.trim(), 'customer');
    const member = await this.members.create({ organizationId: organization.id, email: address, passwordHash, role: 'owner' });
    if (!member) throw DomainError.conflict('An account with this email address exists: sign in or reset the password', 'email_taken');
    await this.audit.record(`member:${member.id}`, 'member.signed_up', `organization:${organization.id}`, { role: 'owner' });
    const token = await this.issue('verify_email', { ...member, id: member.id }, VERIFY_TTL_MS, `member:${member.id}`);
    const sent = await this.deliver(verificationEmail(address, this.link('verify-email', token), token));
    return { member, organizationId: organization.id, emailSent: sent !== null };
  }

  async verifyEmail(token: string): Promise<MemberRecord> {
    const now = this.clock.now();
    const used = await this.members.consumeToken(hashToken(token), 'verify_email', now);
    const member = used?.memberId ? await this.members.findById(used.memberId) : null;
    if (!member || member.email !== used?.email) throw DomainError.badRequest('This verification link is unknown, used or expired');
    await this.members.markVerified(member.id, now);
    await this.audit.record(`member:${member.id}`, 'member.email_verified', `organization:${member.organizationId}`);
    return { ...member, emailVerifiedAt: member.emailVerifiedAt ?? now };
  }

  /** Sends a new verification link; answers the same whether or not the account exists. */
  async resendVerification(email: string, sourceAddress: string): Promise<void> {
    await this.limiter.enforce('member-mail-ip', sourceAddress, REQUESTS_PER_ADDRESS, HOUR_MS, 'Too many requests from this address');
    const member = await this.members.findByEmail(normalize(email));
    if (!member || member.emailVerifiedAt || member.disabled) return;
    const token = await this.issue('verify_email', member, VERIFY_TTL_MS, `member:${member.id}`);
    await this.audit.record(`member:${member.id}`, 'member.verification_sent', `organization:${member.organizationId}`);
    await this.deliver(verificationEmail(member.email, this.link('verify-email', token), token));
  }

  async login(email: string, password: string, sourceAddress: string, totpCode?: string): Promise<MemberSessionIssued> {
    const address = normalize(email);
    await this.limiter.enforce('member-login-ip', sourceAddress, LOGINS_PER_ADDRESS, 5 * 60_000, 'Too many login attempts from this address');
    await this.throttle.admit(throttleKey(address), sourceAddress);
    const member = await this.members.findByEmail(address);
    const valid = await verifyPassword(password, member?.passwordHash ?? DUMMY_PASSWORD_HASH);
    if (!member || !valid || member.disabled) {
      await this.throttle.recordFailure(throttleKey(address), sourceAddress);
      await this.audit.record(member ? `member:${member.id}` : 'anonymous', 'member.login_failed', null, member ? null : { account: 'unknown' });
      throw DomainError.unauthorized('Wrong email or password', 'invalid_credentials');
    }
    await this.throttle.recordSuccess(throttleKey(address), sourceAddress);
    // Only the password holder learns this: the account exists but its address is not confirmed yet.
    if (!member.emailVerifiedAt) throw new DomainError('email_not_verified', 'Confirm your email address first (POST /v1/portal/verify-email/resend sends a new link)');
    const organization = await this.organizations.findById(member.organizationId);
    if (!organization || organization.erasedAt) throw DomainError.unauthorized('Wrong email or password', 'invalid_credentials');
    if (member.totpEnabledAt && member.totpSecret) {
      if (!totpCode) throw DomainError.unauthorized('This account has two-factor authentication: send totp_code', 'totp_required');
      if (!(await this.acceptTotp(member, totpCode))) {
        await this.throttle.recordFailure(throttleKey(address), sourceAddress);
        await this.audit.record(`member:${member.id}`, 'member.login_failed', null, { factor: 'totp' });
        throw DomainError.unauthorized('Wrong or already used two-factor code', 'invalid_totp');
      }
    }
    const now = this.clock.now();
    await this.members.recordLogin(member.id, now);
    const session = newSession(now.getTime(), MEMBER_SESSION_TTL_SECONDS);
    await this.members.createSession(member.id, session.tokenHash, session.csrfToken, session.expiresAt);
    await this.audit.record(`member:${member.id}`, 'member.login', `organization:${member.organizationId}`, { role: member.role });
    return { token: session.token, csrfToken: session.csrfToken, member, expiresAt: session.expiresAt };
  }

  private async acceptTotp(member: MemberRecord, code: string): Promise<boolean> {
    const step = member.totpSecret ? matchTotp(member.totpSecret, code, this.clock.nowMs(), null) : null;
    return step !== null && (await this.members.useTotpStep(member.id, step));
  }

  /** Starts two-factor setup: a new secret (shown once, as base32 and as an otpauth:// URI), enabled by totpEnable. */
  async totpSetup(memberId: string): Promise<{ secret: string; uri: string }> {
    const member = await this.members.findById(memberId);
    if (!member) throw DomainError.unauthorized();
    const secret = newTotpSecret();
    if (!(await this.members.setTotpSecret(member.id, secret))) throw DomainError.conflict('Two-factor authentication is already enabled: disable it first', 'totp_enabled');
    await this.audit.record(`member:${member.id}`, 'member.totp_setup', `organization:${member.organizationId}`);
    return { secret, uri: otpauthUri(secret, member.email) };
  }

  /** Enables two-factor sign-in once a code from the new secret proves the app has it. */
  async totpEnable(memberId: string, code: string): Promise<void> {
    const member = await this.members.findById(memberId);
    if (!member?.totpSecret || member.totpEnabledAt) throw DomainError.conflict('Start the setup first (POST /v1/portal/totp/setup)', 'totp_not_pending');
    if (!(await this.acceptTotp(member, code))) throw DomainError.badRequest('Wrong two-factor code');
    await this.members.enableTotp(member.id, this.clock.now());
    await this.audit.record(`member:${member.id}`, 'member.totp_enabled', `organization:${member.organizationId}`);
  }

  /** Turns two-factor sign-in off: needs the password and a current code. */
  async totpDisable(memberId: string, password: string, code: string): Promise<void> {
    const member = await this.members.findById(memberId);
    if (!member || !(await verifyPassword(password, member.passwordHash))) throw DomainError.unauthorized('The password is wrong', 'invalid_credentials');
    if (!member.totpEnabledAt) throw DomainError.conflict('Two-factor authentication is not enabled', 'totp_not_enabled');
    if (!(await this.acceptTotp(member, code))) throw DomainError.badRequest('Wrong two-factor code');
    await this.members.disableTotp(member.id);
    await this.audit.record(`member:${member.id}`, 'member.totp_disabled', `organization:${member.organizationId}`);
  }

  /** The member and session behind a session token, or null (unknown, expired, older than the password, disabled, organisation erased). */
  async resolve(token: string): Promise<{ member: MemberRecord; session: MemberSessionRecord } | null> {
    const session = await this.members.findSession(hashToken(token));
    if (!session || session.expiresAt <= this.clock.now()) return null;
    const member = await this.members.findById(session.memberId);
    if (!member || member.disabled || session.createdAt < member.passwordChangedAt) return null;
    // an erased organisation's members are signed out at once (their rows go with the purge, src/privacy)
    const organization = await this.organizations.findById(member.organizationId);
    if (!organization || organization.erasedAt) return null;
    return { member, session };
  }

  async logout(token: string, memberId: string): Promise<void> {
    await this.members.deleteSession(hashToken(token));
    await this.audit.record(`member:${memberId}`, 'member.logout');
  }

  /** Ends every session of the member, this one included: the member signs in again. */
  async changePassword(memberId: string, current: string, next: string): Promise<void> {
    this.checkPassword(next);
    const member = await this.members.findById(memberId);
    if (!member || !(await verifyPassword(current, member.passwordHash))) throw DomainError.unauthorized('The current password is wrong', 'invalid_credentials');
    await this.members.setPassword(member.id, await hashPassword(next), this.clock.now(), false);
    await this.audit.record(`member:${member.id}`, 'member.password_changed', `organization:${member.organizationId}`);
  }

  /** Sends a reset link; answers the same whether or not the account exists. */
  async requestPasswordReset(email: string, sourceAddress: string): Promise<void> {
    await this.limiter.enforce('member-mail-ip', sourceAddress, REQUESTS_PER_ADDRESS, HOUR_MS, 'Too many requests from this address');
    const member = await this.members.findByEmail(normalize(email));
    if (!member || member.disabled) {
      await this.audit.record('anonymous', 'member.password_reset_requested', null, { account: 'unknown' });
      return;
    }
    const token = await this.issue('reset_password', member, RESET_TTL_MS, 'anonymous');
    await this.audit.record(`member:${member.id}`, 'member.password_reset_requested', `organization:${member.organizationId}`);
    await this.deliver(passwordResetEmail(member.email, this.link('reset-password', token), token));
  }

  /** The reset link proves the mailbox: the address counts as verified, and every session ends. */
  async resetPassword(token: string, password: string): Promise<void> {
    this.checkPassword(password);
    const used = await this.members.consumeToken(hashToken(token), 'reset_password', this.clock.now());
    const member = used?.memberId ? await this.members.findById(used.memberId) : null;
    if (!member || member.email !== used?.email) throw DomainError.badRequest('This reset link is unknown, used or expired');
    await this.members.setPassword(member.id, await hashPassword(password), this.clock.now(), true);
    await this.audit.record(`member:${member.id}`, 'member.password_reset', `organization:${member.organizationId}`);
  }

  async invite(organizationId: string, email: string, role: MemberRole, inviter: { memberId: string | null; role: string; actor: string }): Promise<{ emailSent: boolean; expiresAt: Date }> {
    if (role === 'owner' && inviter.memberId !== null && inviter.role !== 'owner') throw DomainError.forbidden('Only an owner can invite an owner');
    const organization = await this.organizations.findById(organizationId);
    if (!organization || organization.erasedAt) throw DomainError.notFound('Organisation not found');
    const address = normalize(email);
    if (await this.members.findByEmail(address)) throw DomainError.conflict('This email address already has a Quorum account', 'email_taken');
    await this.limiter.enforce('member-invite-org', organizationId, INVITATIONS_PER_ORGANIZATION, 24 * HOUR_MS, 'Too many invitations from this organisation today');
    const token = await this.issue('invitation', { organizationId, id: null, email: address, role }, INVITATION_TTL_MS, inviter.actor);
    await this.audit.record(inviter.actor, 'member.invited', `organization:${organizationId}`, { role });
    const sent = await this.deliver(invitationEmail(address, organization.name, role, this.link('accept-invitation', token), token));
    return { emailSent: sent !== null, expiresAt: new Date(this.clock.nowMs() + INVITATION_TTL_MS) };
  }

  /** The invitation proves the mailbox: the new member is verified and can sign in at once. */
  async acceptInvitation(token: string, password: string): Promise<MemberRecord> {
    this.checkPassword(password);
    const now = this.clock.now();
    const used = await this.members.consumeToken(hashToken(token), 'invitation', now);
    if (!used?.role) throw DomainError.badRequest('This invitation is unknown, used or expired');
    const organization = await this.organizations.findById(used.organizationId);
    if (!organization || organization.erasedAt) throw DomainError.badRequest('This invitation is unknown, used or expired');
    const member = await this.members.create({ organizationId: used.organizationId, email: used.email, passwordHash: await hashPassword(password), role: used.role, emailVerifiedAt: now });
    if (!member) throw DomainError.conflict('This email address already has a Quorum account', 'email_taken');
    await this.audit.record(`member:${member.id}`, 'member.joined', `organization:${member.organizationId}`, { role: member.role });
    return member;
  }

  pendingInvitations(organizationId: string): ReturnType<MembersRepository['pendingInvitations']> {
    return this.members.pendingInvitations(organizationId, this.clock.now());
  }

  async revokeInvitation(organizationId: string, invitationId: string, actor: string): Promise<void> {
    if (!(await this.members.revokeInvitation(organizationId, invitationId, this.clock.now()))) throw DomainError.notFound('Invitation not found');
    await this.audit.record(actor, 'member.invitation_revoked', `organization:${organizationId}`, { invitation: invitationId });
  }

  list(organizationId: string): Promise<MemberRecord[]> {
    return this.members.listByOrganization(organizationId);
  }

  /** Changes a member's role (effective at its next request); only owners touch ownership, and the last owner stays. */
  async setRole(organizationId: string, memberId: string, role: MemberRole, changer: { role: string; memberId: string | null; actor: string }): Promise<MemberRecord> {
    const target = await this.members.findById(memberId);
    if (!target || target.organizationId !== organizationId) throw DomainError.notFound('Member not found');
    if ((target.role === 'owner' || role === 'owner') && changer.memberId !== null && changer.role !== 'owner') throw DomainError.forbidden('Only an owner can grant or take ownership');
    if (target.role === 'owner' && role !== 'owner' && (await this.members.countOwners(organizationId)) <= 1) throw DomainError.conflict('The last owner cannot change role', 'last_owner');
    if (!(await this.members.setRole(organizationId, memberId, role))) throw DomainError.notFound('Member not found');
    await this.audit.record(changer.actor, 'member.role_changed', `member:${memberId}`, { organizationId, from: target.role, to: role });
    return { ...target, role };
  }

  /** Removes a member (its sessions end with it); an admin cannot remove an owner, and the last owner stays. */
  async remove(organizationId: string, memberId: string, remover: { role: string; memberId: string | null; actor: string }): Promise<void> {
    const target = await this.members.findById(memberId);
    if (!target || target.organizationId !== organizationId) throw DomainError.notFound('Member not found');
    if (target.role === 'owner') {
      if (remover.memberId !== null && remover.role !== 'owner') throw DomainError.forbidden('Only an owner can remove an owner');
      if ((await this.members.countOwners(organizationId)) <= 1) throw DomainError.conflict('The last owner cannot be removed', 'last_owner');
    }
    if (!(await this.members.delete(organizationId, memberId))) throw DomainError.notFound('Member not found');
    await this.audit.record(remover.actor, 'member.removed', `member:${memberId}`, { organizationId, role: target.role });
  }
}
