import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookiesSecure, parseCookies, sessionCookies } from '../admin/cookies.js';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { OrganizationsService } from '../agents/organizations.service.js';
import { LookupPlansService } from '../lookup/plans/lookup-plans.service.js';
import { AcceptedDto, EmailDto, MemberDto, MemberLoginDto, MemberSessionDto, OutboxDto, PasswordChangeDto, PortalMeDto, SignUpDto, SignUpResultDto, TokenDto, TokenPasswordDto, TotpCodeDto, TotpDisableDto, TotpSetupDto } from './dto/member.dto.js';
import { EmailOutboxRepository } from './mail/email-outbox.repository.js';
import { MailerService } from './mail/mailer.service.js';
import { MEMBER_SESSION_TTL_SECONDS, MemberAuthService } from './member-auth.service.js';
import { MEMBER_CSRF_COOKIE, MEMBER_SESSION_COOKIE } from './member-session.authenticator.js';
import { toMemberDto } from './member.mapper.js';
import { MembersRepository } from './members.repository.js';

const MEMBER_COOKIES = { session: MEMBER_SESSION_COOKIE, csrf: MEMBER_CSRF_COOKIE };

/** The customer's own account: sign-up, email links, sign-in and sign-out (docs/customers.md). */
@ApiTags('portal')
@Controller('v1/portal')
export class PortalController {
  constructor(
    private readonly auth: MemberAuthService,
    private readonly members: MembersRepository,
    private readonly organizations: OrganizationsService,
    private readonly plans: LookupPlansService,
    private readonly mailer: MailerService,
    private readonly outboxMessages: EmailOutboxRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private setSessionCookies(request: FastifyRequest, reply: FastifyReply, tokens: { token: string; csrfToken: string }, maxAgeSeconds: number): void {
    void reply.header('set-cookie', sessionCookies(MEMBER_COOKIES, tokens, maxAgeSeconds, cookiesSecure(request, this.config.http.publicUrl)));
  }

  private clearCookies(request: FastifyRequest, reply: FastifyReply): void {
    this.setSessionCookies(request, reply, { token: '', csrfToken: '' }, 0);
  }

  @Post('signup')
  @Auth('members.signup')
  @ApiOperation({
    summary: 'Sign up: creates a customer organisation and its owner, and emails a verification link',
    description: 'Anyone: creates an organisation of kind customer on the free plan and its first member (role owner), hashes the password (12 characters or more) with scrypt, and emails a link to confirm the address (valid 48 hours); the owner signs in once confirmed. At most 20 sign-ups an hour from one address (429). 409 email_taken when the address has an account already.',
  })
  @ApiCreatedResponse({ type: SignUpResultDto })
  async signUp(@Body() body: SignUpDto, @Req() request: FastifyRequest): Promise<SignUpResultDto> {
    const result = await this.auth.signUp(body.organization_name, body.email, body.password, request.ip);
    return { organization_id: result.organizationId, member: toMemberDto(result.member), email_sent: result.emailSent };
  }

  @Post('verify-email')
  @Auth('members.verifyEmail')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Confirm the email address with the token of the emailed link',
    description: 'Anyone holding the token of the emailed link (`/app/#/verify-email?token=…`): marks the address confirmed so the member can sign in. A token works once; unknown, used or expired tokens answer 400.',
  })
  @ApiOkResponse({ type: MemberDto })
  async verifyEmail(@Body() body: TokenDto): Promise<MemberDto> {
    return toMemberDto(await this.auth.verifyEmail(body.token));
  }

  @Post('verify-email/resend')
  @Auth('members.resendVerification')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a new verification link (same answer whether or not the account exists)',
    description: 'Anyone: sends a new confirmation link when the address has an unconfirmed account; the answer is the same either way, so it tells nothing about who has an account. At most 20 requests an hour from one address (429).',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async resend(@Body() body: EmailDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.resendVerification(body.email, request.ip);
    return { accepted: true };
  }

  @Post('login')
  @Auth('members.login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Member sign-in: sets an httpOnly session cookie and returns the CSRF token',
    description: 'Anyone with a confirmed account: email and password (and `totp_code` when two-factor sign-in is on: 401 totp_required without it). Sets the HttpOnly session cookie (8 hours) and returns the CSRF token every state-changing request sends in x-csrf-token. Failed attempts are throttled per address and per account (429); an unconfirmed address answers 403 email_not_verified.',
  })
  @ApiOkResponse({ type: MemberSessionDto })
  async login(@Body() body: MemberLoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<MemberSessionDto> {
    const issued = await this.auth.login(body.email, body.password, request.ip, body.totp_code);
    this.setSessionCookies(request, reply, issued, MEMBER_SESSION_TTL_SECONDS);
    return { member: toMemberDto(issued.member), csrf_token: issued.csrfToken, expires_at: issued.expiresAt.toISOString() };
  }

  @Post('logout')
  @Auth('members.logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the member session',
    description: 'The signed-in member: the session is revoked on the server and its cookies cleared.',
  })
  @ApiNoContentResponse()
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.logout(parseCookies(request.headers.cookie)[MEMBER_SESSION_COOKIE] ?? '', principal.memberId);
    this.clearCookies(request, reply);
  }

  @Get('me')
  @Auth('members.me')
  @ApiOperation({
    summary: 'The signed-in member, with its organisation (name, kind, current plan)',
    description: 'Any signed-in member: its own account (role, two-factor, last sign-in) and its organisation (id, name, kind, and the plan whose limits apply now). The portal reads it on every page.',
  })
  @ApiOkResponse({ type: PortalMeDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<PortalMeDto> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    const member = await this.members.findById(principal.memberId);
    const organization = member ? await this.organizations.findById(member.organizationId) : null;
    if (!member || !organization) throw DomainError.unauthorized();
    const planId = await this.plans.planIdOf(organization.id);
    return { ...toMemberDto(member), organization: { id: organization.id, name: organization.name, kind: organization.kind, plan_id: planId } };
  }

  @Get('dev/outbox')
  @Auth('members.devOutbox')
  @ApiOperation({
    summary: 'Development only: the local email outbox (no SMTP server configured)',
    description: 'Without QUORUM_SMTP_URL, outside production, from a loopback address and not through a proxy (no Forwarded, X-Forwarded-For or X-Real-IP header): the 50 latest messages kept in email_outbox, for the portal dev banner. 404 otherwise.',
  })
  @ApiOkResponse({ type: OutboxDto })
  @ApiNotFoundResponse({ description: 'outbox_disabled: an SMTP server is configured, production, not a loopback request, or a proxied one' })
  async outbox(@Req() request: FastifyRequest): Promise<OutboxDto> {
    const loopback = request.ip === '127.0.0.1' || request.ip === '::1' || request.ip === '::ffff:127.0.0.1';
    // The messages hold live links (password resets): a request a proxy on this machine forwarded
    // (behind which every client looks like loopback) is not the developer at this machine.
    const forwarded = ['forwarded', 'x-forwarded-for', 'x-real-ip'].some((name) => request.headers[name] !== undefined);
    if (this.mailer.delivery !== 'outbox' || this.config.env === 'production' || !loopback || forwarded) throw new DomainError('outbox_disabled', 'No local outbox here');
    const messages = await this.outboxMessages.latest(50);
    return { messages: messages.map((m) => ({ id: m.id.toString(), created_at: m.createdAt.toISOString(), recipient: m.recipient, subject: m.subject, text: m.text })) };
  }

  @Post('password')
  @Auth('members.passwordChange')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Change the password: every session of the member ends, this one included',
    description: 'The signed-in member, with its current password: the new one (12 characters or more) replaces it and every session of the member ends, this one included (sign in again).',
  })
  @ApiNoContentResponse()
  async changePassword(@Body() body: PasswordChangeDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.changePassword(principal.memberId, body.current_password, body.new_password);
    this.clearCookies(request, reply);
  }

  @Post('totp/setup')
  @Auth('members.totp')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Start two-factor sign-in: a new TOTP secret (shown once), enabled by POST /v1/portal/totp/enable',
    description: 'The signed-in member: a new RFC 6238 secret and its otpauth:// address for an authenticator app, returned once; two-factor sign-in stays off until POST /v1/portal/totp/enable receives a code of it. 409 totp_enabled when it is on already.',
  })
  @ApiOkResponse({ type: TotpSetupDto })
  async totpSetup(@CurrentPrincipal() principal: Principal): Promise<TotpSetupDto> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    const { secret, uri } = await this.auth.totpSetup(principal.memberId);
    return { secret, otpauth_uri: uri };
  }

  @Post('totp/enable')
  @Auth('members.totp')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Enable two-factor sign-in with a code from the new secret',
    description: 'The signed-in member, after POST /v1/portal/totp/setup: a current code of the new secret turns two-factor sign-in on; from then on every sign-in needs a code. 400 for a wrong code.',
  })
  @ApiNoContentResponse()
  async totpEnable(@Body() body: TotpCodeDto, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.totpEnable(principal.memberId, body.code);
  }

  @Post('totp/disable')
  @Auth('members.totp')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Disable two-factor sign-in (password and a current code)',
    description: 'The signed-in member, with its password and a current code of its authenticator app: two-factor sign-in is turned off and the secret forgotten.',
  })
  @ApiNoContentResponse()
  async totpDisable(@Body() body: TotpDisableDto, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.totpDisable(principal.memberId, body.password, body.code);
  }

  @Post('password-reset')
  @Auth('members.passwordResetRequest')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Email a password reset link (same answer whether or not the account exists)',
    description: 'Anyone: emails a link to choose a new password (valid 1 hour) when the address has an account; the answer is the same either way. At most 20 requests an hour from one address (429).',
  })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async requestReset(@Body() body: EmailDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.requestPasswordReset(body.email, request.ip);
    return { accepted: true };
  }

  @Post('password-reset/confirm')
  @Auth('members.passwordReset')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Set a new password with the token of the emailed link (ends every session)',
    description: 'Anyone holding the token of the emailed reset link: sets the new password (12 characters or more) and ends every session of the member. A token works once; unknown, used or expired tokens answer 400.',
  })
  @ApiNoContentResponse()
  async reset(@Body() body: TokenPasswordDto): Promise<void> {
    await this.auth.resetPassword(body.token, body.password);
  }

  @Post('invitations/accept')
  @Auth('members.invitationAccept')
  @ApiOperation({
    summary: 'Accept an invitation: creates the member with the invited role (then sign in)',
    description: 'Anyone holding the token of an invitation email (valid 7 days): creates the member in the inviting organisation with the invited role and the chosen password, its address confirmed by the link; then sign in. Withdrawn, used or expired invitations answer 400.',
  })
  @ApiCreatedResponse({ type: MemberDto })
  async accept(@Body() body: TokenPasswordDto): Promise<MemberDto> {
    return toMemberDto(await this.auth.acceptInvitation(body.token, body.password));
  }
}
