import { Body, Controller, Get, HttpCode, Param, ParseUUIDPipe, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { auditActor } from '../common/auth/principal-class.js';
import { AgentsService } from './agents.service.js';
import { toAgentDto } from './dto/agent.mapper.js';
import { AgentDto, AgentListDto, EnrollAgentDto } from './dto/enroll-agent.dto.js';
import { AgentLoginDto, AgentTokenDto } from './dto/login.dto.js';
import { KeyVersionDto, RotateKeyDto } from './dto/rotate-key.dto.js';

@ApiTags('agents')
@Controller('v1/agents')
export class AgentsController {
  constructor(private readonly agents: AgentsService) {}

  @Post()
  @Auth('agents.enroll')
  @ApiOperation({ summary: 'Enroll an agent (with an enrollment key, or open community registration)', description: 'Registers a new agent with its Ed25519 public key. With an enrollment key the agent joins that organisation; without one it joins a new community organisation (open registration, if enabled). Enrollments are capped per source network and per organisation over a sliding day (429 with Retry-After once a cap is reached). The answer carries the agent id used to sign in.' })
  @ApiResponse({ status: 429, description: 'An enrollment cap (per network or per organisation) is reached; Retry-After says when the oldest enrollment leaves the window' })
  @ApiCreatedResponse({ type: AgentDto })
  async enroll(@Body() body: EnrollAgentDto, @Req() request: FastifyRequest): Promise<AgentDto> {
    return toAgentDto(await this.agents.enroll(body, request.ip));
  }

  @Post('login')
  @Auth('agents.login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Exchange a signed challenge (or a watcher password) for a short-lived JWT', description: 'The agent signs `agent id + timestamp` with its current key (docs/signing.md); a valid signature inside the clock-skew window gives a JWT that expires after minutes. Revoked agents are refused with 401.' })
  @ApiOkResponse({ type: AgentTokenDto })
  async login(@Body() body: AgentLoginDto, @Req() request: FastifyRequest): Promise<AgentTokenDto> {
    const issued = await this.agents.login(body, request.ip);
    return { token: issued.token, token_type: 'Bearer', expires_at: issued.expiresAt.toISOString(), agent_id: issued.agent.id };
  }

  @Get()
  @Auth('agents.listOwn')
  @ApiOperation({ summary: "List the agents of the caller's organisation", description: 'For an agent or a CrowdSec watcher: the agents of its own organisation, with kind, status, key version and last activity. Never another organisation\'s.' })
  @ApiOkResponse({ type: AgentListDto })
  async list(@CurrentPrincipal() principal: Principal): Promise<AgentListDto> {
    const agents = await this.agents.listForOrganization(principal.organizationId ?? '');
    return { agents: agents.map(toAgentDto) };
  }

  @Post(':id/keys')
  @Auth('agents.rotateKey')
  @HttpCode(200)
  @ApiOperation({ summary: "Rotate the agent's Ed25519 key (signed by the current key)", description: 'Replaces the agent\'s public key. The body is signed by the current key; new batches must be signed with the new key from then on. Only the agent itself may rotate its key.' })
  @ApiOkResponse({ type: KeyVersionDto })
  async rotate(@Param('id', ParseUUIDPipe) id: string, @Body() body: RotateKeyDto, @CurrentPrincipal() principal: Principal): Promise<KeyVersionDto> {
    const version = await this.agents.rotateKey(id, principal.kind === 'agent' ? principal.agentId : '', body);
    return { agent_id: id, key_version: version };
  }

  @Post(':id/revoke')
  @Auth('agents.revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke an agent (operators): its tokens stop working at once', description: 'Marks the agent revoked: its JWTs and keys are refused from the next request on, and its signals stop counting at the next scoring run. Operators and members of the agent\'s organisation (as their role allows) or staff; audited.' })
  @ApiOkResponse({ type: AgentDto })
  async revoke(@Param('id', ParseUUIDPipe) id: string, @CurrentPrincipal() principal: Principal): Promise<AgentDto> {
    return toAgentDto(await this.agents.revoke(id, auditActor(principal)));
  }
}
