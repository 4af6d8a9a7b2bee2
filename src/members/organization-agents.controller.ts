import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { AgentsService } from '../agents/agents.service.js';
import { toAgentDto } from '../agents/dto/agent.mapper.js';
import { AgentListDto } from '../agents/dto/enroll-agent.dto.js';
import type { EnrollmentKeyRecord } from '../agents/organizations.repository.js';
import { OrganizationsService } from '../agents/organizations.service.js';
import { AuditService } from '../audit/audit.service.js';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { auditActor } from '../common/auth/principal-class.js';
import { CreatedEnrollmentKeyDto, CreateEnrollmentKeyDto, EnrollmentKeyDto, EnrollmentKeyListDto } from './dto/enrollment-key.dto.js';

const toDto = (key: EnrollmentKeyRecord): EnrollmentKeyDto => ({
  id: key.id,
  name: key.name,
  prefix: key.prefix,
  created_at: key.createdAt.toISOString(),
  expires_at: key.expiresAt?.toISOString() ?? null,
  revoked_at: key.revokedAt?.toISOString() ?? null,
});

/**
 * An organisation's agents and enrollment keys, for its members and operators (a community
 * organisation runs agents; revoking one is POST /v1/agents/{id}/revoke).
 */
@ApiTags('agents')
@Controller('v1/organizations/:id')
export class OrganizationAgentsController {
  constructor(
    private readonly agents: AgentsService,
    private readonly organizations: OrganizationsService,
    private readonly audit: AuditService,
  ) {}

  @Get('agents')
  @Auth('agents.list')
  @ApiOperation({
    summary: "The organisation's agents and CrowdSec watchers",
    description: 'Members (owner, admin, developer, viewer) and the organisation\'s admin and support operators, or staff: its agents and CrowdSec watchers with their kind, status and last signal.',
  })
  @ApiOkResponse({ type: AgentListDto })
  async list(@Param('id', ParseUUIDPipe) id: string): Promise<AgentListDto> {
    return { agents: (await this.agents.listForOrganization(id)).map(toAgentDto) };
  }

  @Get('enrollment-keys')
  @Auth('enrollmentKeys.list')
  @ApiOperation({
    summary: "The organisation's enrollment keys (prefixes only)",
    description: 'Members (owner, admin, developer, viewer) and the organisation\'s admin and support operators, or staff: its enrollment keys by prefix (the secret is never shown again), with expiry and revocation.',
  })
  @ApiOkResponse({ type: EnrollmentKeyListDto })
  async keys(@Param('id', ParseUUIDPipe) id: string): Promise<EnrollmentKeyListDto> {
    return { enrollment_keys: (await this.organizations.listEnrollmentKeys(id)).map(toDto) };
  }

  @Post('enrollment-keys')
  @Auth('enrollmentKeys.create')
  @ApiOperation({
    summary: 'Create an enrollment key for agents (the key is in this answer only)',
    description: 'Owners, admins and developers of the organisation, its admin and support operators, or a staff admin: a key agents enroll with (optionally expiring after ttl_days); the secret is in this answer only. Audited.',
  })
  @ApiCreatedResponse({ type: CreatedEnrollmentKeyDto })
  async create(@Param('id', ParseUUIDPipe) id: string, @Body() body: CreateEnrollmentKeyDto, @CurrentPrincipal() principal: Principal): Promise<CreatedEnrollmentKeyDto> {
    const { key, record } = await this.organizations.createEnrollmentKey(id, body.name.trim(), body.ttl_days);
    await this.audit.record(auditActor(principal), 'enrollment_key.created', `enrollment_key:${record.id}`, { organizationId: id, prefix: record.prefix });
    return { ...toDto(record), key };
  }

  @Delete('enrollment-keys/:enrollmentKeyId')
  @Auth('enrollmentKeys.revoke')
  @HttpCode(204)
  @ApiOperation({
    summary: 'Revoke an enrollment key (agents already enrolled keep working)',
    description: 'Owners, admins and developers of the organisation, its admin and support operators, or a staff admin: no new agent enrolls with the key; agents already enrolled keep their own credentials. Audited.',
  })
  @ApiNoContentResponse()
  async revoke(@Param('id', ParseUUIDPipe) id: string, @Param('enrollmentKeyId', ParseUUIDPipe) keyId: string, @CurrentPrincipal() principal: Principal): Promise<void> {
    await this.organizations.revokeEnrollmentKey(id, keyId);
    await this.audit.record(auditActor(principal), 'enrollment_key.revoked', `enrollment_key:${keyId}`, { organizationId: id });
  }
}
