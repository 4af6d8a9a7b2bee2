import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import { ApiForbiddenResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags, ApiUnauthorizedResponse } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { DomainError } from '../common/errors/domain-error.js';
import { cookiesSecure, parseCookies, sessionCookies } from './cookies.js';
import { TotpSetupDto } from '../members/dto/member.dto.js';
import { OperatorDto, OperatorLoginDto, OperatorSessionDto, OperatorTotpEnableDto, OperatorTotpSetupDto } from './dto/operator-login.dto.js';
import { OperatorAuthService, SESSION_TTL_SECONDS } from './operator-auth.service.js';
import { CSRF_COOKIE, SESSION_COOKIE } from './operator-session.authenticator.js';
import { OperatorsRepository } from './operators.repository.js';

const OPERATOR_COOKIES = { session: SESSION_COOKIE, csrf: CSRF_COOKIE };

@ApiTags('admin')
@Controller('v1/admin')
export class AdminAuthController {
  constructor(
    private readonly auth: OperatorAuthService,
    private readonly operators: OperatorsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private setSessionCookies(request: FastifyRequest, reply: FastifyReply, tokens: { token: string; csrfToken: string }, maxAgeSeconds: number): void {
    void reply.header('set-cookie', sessionCookies(OPERATOR_COOKIES, tokens, maxAgeSeconds, cookiesSecure(request, this.config.http.publicUrl)));
  }

  @Post('login')
  @Auth('operators.login')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Operator login: sets an httpOnly session cookie and returns the CSRF token',
    description: 'With two-factor sign-in enabled, send totp_code. In production a staff operator without two-factor is refused (403 totp_enrolment_required) until enrolled.',
  })
  @ApiOkResponse({ type: OperatorSessionDto })
  @ApiUnauthorizedResponse({ description: 'invalid_credentials, totp_required, invalid_totp' })
  @ApiForbiddenResponse({ description: 'totp_enrolment_required: enrol with POST /v1/admin/totp/setup and /enable' })
  async login(@Body() body: OperatorLoginDto, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<OperatorSessionDto> {
    const issued = await this.auth.login(body.email, body.password, request.ip, body.totp_code);
    this.setSessionCookies(request, reply, issued, SESSION_TTL_SECONDS);
    return {
      operator: { id: issued.operator.id, email: issued.operator.email, role: issued.operator.role },
      csrf_token: issued.csrfToken,
      expires_at: issued.expiresAt.toISOString(),
    };
  }

  @Post('totp/setup')
  @Auth('operators.totpEnrol')
  @HttpCode(200)
  @ApiOperation({ summary: 'Two-factor enrolment, step 1 (email and password): a new TOTP secret, shown once', description: 'Throttled like the login. 409 totp_enabled when two-factor is on already.' })
  @ApiOkResponse({ type: TotpSetupDto })
  @ApiUnauthorizedResponse({ description: 'invalid_credentials' })
  async totpSetup(@Body() body: OperatorTotpSetupDto, @Req() request: FastifyRequest): Promise<TotpSetupDto> {
    const { secret, uri } = await this.auth.totpSetup(body.email, body.password, request.ip);
    return { secret, otpauth_uri: uri };
  }

  @Post('totp/enable')
  @Auth('operators.totpEnrol')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Two-factor enrolment, step 2: a code of the new secret turns two-factor sign-in on',
    description: 'Anyone with the operator\'s email and password, after step 1: a current code of the new secret turns two-factor sign-in on, so a staff operator can sign in in production. Throttled like the login; 409 when no setup is pending.',
  })
  @ApiNoContentResponse()
  @ApiUnauthorizedResponse({ description: 'invalid_credentials' })
  async totpEnable(@Body() body: OperatorTotpEnableDto, @Req() request: FastifyRequest): Promise<void> {
    await this.auth.totpEnable(body.email, body.password, body.code, request.ip);
  }

  @Post('logout')
  @Auth('operators.logout')
  @HttpCode(204)
  @ApiOperation({
    summary: 'End the operator session',
    description: 'The signed-in operator: the session is revoked on the server and its cookies cleared.',
  })
  async logout(@Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply, @CurrentPrincipal() principal: Principal): Promise<void> {
    const token = parseCookies(request.headers.cookie)[SESSION_COOKIE] ?? '';
    await this.auth.logout(token, principal.kind === 'operator' ? principal.operatorId : '');
    this.setSessionCookies(request, reply, { token: '', csrfToken: '' }, 0);
  }

  @Get('me')
  @Auth('operators.me')
  @ApiOperation({
    summary: 'The logged-in operator',
    description: 'Any signed-in operator: its id, email and role (staff or attached to one organisation).',
  })
  @ApiOkResponse({ type: OperatorDto })
  async me(@CurrentPrincipal() principal: Principal): Promise<OperatorDto> {
    if (principal.kind !== 'operator') throw DomainError.forbidden();
    const operator = await this.operators.findById(principal.operatorId);
    if (!operator) throw DomainError.unauthorized();
    return { id: operator.id, email: operator.email, role: operator.role };
  }
}
