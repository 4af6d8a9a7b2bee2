import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { cookiesSecure, parseCookies, sessionCookies } from '../admin/cookies.js';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { AcceptedDto, EmailDto, MemberDto, MemberLoginDto, MemberSessionDto, PasswordChangeDto, SignUpDto, SignUpResultDto, TokenDto, TokenPasswordDto, TotpCodeDto, TotpDisableDto, TotpSetupDto } from './dto/member.dto.js';
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
  @ApiOperation({ summary: 'Sign up: creates a customer organisation and its owner, and emails a verification link' })
  @ApiCreatedResponse({ type: SignUpResultDto })
  async signUp(@Body() body: SignUpDto, @Req() request: FastifyRequest): Promise<SignUpResultDto> {
    const result = await this.auth.signUp(body.organization_name, body.email, body.password, request.ip);
    return { organization_id: result.organizationId, member: toMemberDto(result.member), email_sent: result.emailSent };
  }

  @Post('verify-email')
  @Auth('members.verifyEmail')
  @HttpCode(200)
  @ApiOperation({ summary: 'Confirm the email address with the token of the emailed link' })
  @ApiOkResponse({ type: MemberDto })
  async verifyEmail(@Body() body: TokenDto): Promise<MemberDto> {
    return toMemberDto(await this.auth.verifyEmail(body.token));
  }

  @Post('verify-email/resend')
  @Auth('members.resendVerification')
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a new verification link (same answer whether or not the account exists)' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async resend(@Body() body: EmailDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.resendVerification(body.email, request.ip);
    return { accepted: true };
  }

  @Post('login')
  @Auth('members.login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Member sign-in: sets an httpOnly session cookie and returns the CSRF token' })
  @ApiOkResponse({ type: MemberSessionDto })
  async login(@Body() body: MemberLoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<MemberSessionDto> {
    const issued = await this.auth.login(body.email, body.password, request.ip, body.totp_code);
    this.setSessionCookies(request, reply, issued, MEMBER_SESSION_TTL_SECONDS);
    return { member: toMemberDto(issued.member), csrf_token: issued.csrfToken, expires_at: issued.expiresAt.toISOString() };
  }

  @Post('logout')
  @Auth('members.logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the member session' })
  @ApiNoContentResponse()
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.logout(parseCookies(request.headers.cookie)[MEMBER_SESSION_COOKIE] ?? '', principal.memberId);
    this.clearCookies(request, reply);
  }

  @Get('me')
  @Auth('members.me')
  @ApiOperation({ summary: 'The signed-in member' })
  @ApiOkResponse({ type: MemberDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<MemberDto> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    const member = await this.members.findById(principal.memberId);
    if (!member) throw DomainError.unauthorized();
    return toMemberDto(member);
  }

  @Post('password')
  @Auth('members.passwordChange')
  @HttpCode(204)
  @ApiOperation({ summary: 'Change the password: every session of the member ends, this one included' })
  @ApiNoContentResponse()
  async changePassword(@Body() body: PasswordChangeDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.changePassword(principal.memberId, body.current_password, body.new_password);
    this.clearCookies(request, reply);
  }

  @Post('totp/setup')
  @Auth('members.totp')
  @HttpCode(200)
  @ApiOperation({ summary: 'Start two-factor sign-in: a new TOTP secret (shown once), enabled by POST /v1/portal/totp/enable' })
  @ApiOkResponse({ type: TotpSetupDto })
  async totpSetup(@CurrentPrincipal() principal: Principal): Promise<TotpSetupDto> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    const { secret, uri } = await this.auth.totpSetup(principal.memberId);
    return { secret, otpauth_uri: uri };
  }

  @Post('totp/enable')
  @Auth('members.totp')
  @HttpCode(204)
  @ApiOperation({ summary: 'Enable two-factor sign-in with a code from the new secret' })
  @ApiNoContentResponse()
  async totpEnable(@Body() body: TotpCodeDto, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.totpEnable(principal.memberId, body.code);
  }

  @Post('totp/disable')
  @Auth('members.totp')
  @HttpCode(204)
  @ApiOperation({ summary: 'Disable two-factor sign-in (password and a current code)' })
  @ApiNoContentResponse()
  async totpDisable(@Body() body: TotpDisableDto, @CurrentPrincipal() principal: Principal): Promise<void> {
    if (principal.kind !== 'member') throw DomainError.forbidden();
    await this.auth.totpDisable(principal.memberId, body.password, body.code);
  }

  @Post('password-reset')
  @Auth('members.passwordResetRequest')
  @HttpCode(202)
  @ApiOperation({ summary: 'Email a password reset link (same answer whether or not the account exists)' })
  @ApiAcceptedResponse({ type: AcceptedDto })
  async requestReset(@Body() body: EmailDto, @Req() request: FastifyRequest): Promise<AcceptedDto> {
    await this.auth.requestPasswordReset(body.email, request.ip);
    return { accepted: true };
  }

  @Post('password-reset/confirm')
  @Auth('members.passwordReset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with the token of the emailed link (ends every session)' })
  @ApiNoContentResponse()
  async reset(@Body() body: TokenPasswordDto): Promise<void> {
    await this.auth.resetPassword(body.token, body.password);
  }

  @Post('invitations/accept')
  @Auth('members.invitationAccept')
  @ApiOperation({ summary: 'Accept an invitation: creates the member with the invited role (then sign in)' })
  @ApiCreatedResponse({ type: MemberDto })
  async accept(@Body() body: TokenPasswordDto): Promise<MemberDto> {
    return toMemberDto(await this.auth.acceptInvitation(body.token, body.password));
  }
}
