import { Body, Controller, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { AgentsService } from '../agents/agents.service.js';
import { Auth } from '../common/auth/auth.decorator.js';
import { DomainError } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { parseCredentials, parseEnroll } from './capi-bodies.js';
import { capiAgent, rfc3339Seconds } from './capi-agent.js';
import { crowdsecValidationError } from './crowdsec-capi.service.js';

/** CrowdSec CAPI watchers: register, login, console enrollment (v2 for engine 1.4.6, v3 for newer). */
@ApiTags('crowdsec')
@Controller(['v2/watchers', 'v3/watchers'])
export class WatchersController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @Auth('watchers.register')
  @HttpCode(200)
  @ApiOperation({ summary: 'Register a CrowdSec watcher (machine_id + password; optional registration_token = enrollment key)', description: '`cscli capi register` lands here: a watcher is created with its machine id and password (hashed). With a registration token (an enrollment key) it joins that organisation. Registrations are capped per source network, keyed or anonymous.' })
  @ApiResponse({ status: 429, description: 'A registration cap is reached; retry after the window' })
  async register(@Body() body: unknown, @Req() request: FastifyRequest): Promise<{ message: string }> {
    const input = parseCredentials(body);
    if ('problems' in input) throw crowdsecValidationError(input.problems);
    await this.agents.registerWatcher({ machineId: input.machineId, password: input.password, enrollKey: input.registrationToken }, request.ip);
    return { message: 'OK' };
  }

  @Post('login')
  @Auth('watchers.login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log a CrowdSec watcher in: a JWT with exp (never organization_id) and an RFC 3339 expire', description: 'Exchanges machine id and password for a short-lived JWT, in the shape the CrowdSec engine expects.' })
  async login(@Body() body: unknown, @Req() request: FastifyRequest): Promise<{ code: number; expire: string; token: string }> {
    const input = parseCredentials(body);
    if ('problems' in input) throw crowdsecValidationError(input.problems);
    // CAPI answers bad credentials with 403: the filter's CrowdSec statuses (src/common/errors/error-catalogue.ts).
    const issued = await this.agents.login({ machine_id: input.machineId, password: input.password }, request.ip);
    if (issued.agent.kind !== 'crowdsec') throw new DomainError(ErrorCode.InvalidCredentials, 'Not a CrowdSec watcher');
    return { code: 200, expire: rfc3339Seconds(issued.expiresAt), token: issued.token };
  }

  @Post('enroll')
  @Auth('watchers.enroll')
  @ApiOperation({ summary: 'Attach the watcher to an organisation by one of its enrollment keys: 202 enrolled, 200 already enrolled', description: '`cscli console enroll <key>` lands here: the watcher joins the organisation of the enrollment key. 202 when enrolled, 200 when it already was.' })
  async enroll(@Body() body: unknown, @Req() request: FastifyRequest, @Res({ passthrough: true }) reply: FastifyReply): Promise<{ message: string }> {
    const agent = capiAgent(request);
    const input = parseEnroll(body);
    if ('problems' in input) throw crowdsecValidationError(input.problems);
    const outcome = await this.agents.enrollWatcher(agent, input.attachmentKey, input.overwrite);
    void reply.status(outcome === 'enrolled' ? 202 : 200);
    return { message: outcome === 'enrolled' ? 'enrolled' : 'already enrolled' };
  }
}
