import { Body, Controller, Get, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Auth } from '../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../common/auth/current-principal.decorator.js';
import type { Principal } from '../common/auth/principal.js';
import { auditActor } from '../common/auth/principal-class.js';
import { DomainError } from '../common/errors/domain-error.js';
import { CreatedIpRequestDto, CreateIpRequestDto, PrivacyRequestDto, VerifiedIpRequestDto, VerifyIpRequestDto } from './dto/privacy.dto.js';
import { IpRightsService } from './ip-rights.service.js';
import { OrganizationErasureService } from './organization-erasure.service.js';
import type { PrivacyRequestRecord } from './privacy-requests.repository.js';

function toDto(r: PrivacyRequestRecord): PrivacyRequestDto {
  return { id: r.id, kind: r.kind, status: r.status, created_at: r.createdAt.toISOString(), closed_at: r.closedAt?.toISOString() ?? null, grounds: r.grounds };
}

const KINDS = { access: 'ip_access', erasure: 'ip_erasure', objection: 'ip_objection' } as const;

@ApiTags('privacy')
@Controller('v1/privacy')
export class PrivacyController {
  constructor(
    private readonly organizations: OrganizationErasureService,
    private readonly ipRights: IpRightsService,
  ) {}

  @Post('organizations/:id/erasure')
  @Auth('privacy.eraseOrganization')
  @HttpCode(200)
  @ApiOperation({ summary: "Erase an organisation (its own operators, or an admin): credentials revoked, votes withdrawn, key destroyed, personal data deleted" })
  @ApiOkResponse({ type: PrivacyRequestDto })
  async eraseOrganization(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<PrivacyRequestDto> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw DomainError.notFound('Organisation not found');
    return toDto(await this.organizations.erase(id, auditActor(principal)));
  }

  @Post('ip-requests')
  @Auth('privacy.ipRequest.create')
  @ApiOperation({ summary: 'IP holder: ask for access to, erasure of, or objection to the data held about an IP; returns a token to serve from that IP' })
  @ApiCreatedResponse({ type: CreatedIpRequestDto })
  async createIpRequest(@Body() body: CreateIpRequestDto, @Req() request: FastifyRequest): Promise<CreatedIpRequestDto> {
    const created = await this.ipRights.create(KINDS[body.kind], body.ip, request.ip);
    return { ...toDto(created.request), token: created.token, proof_url: created.proofUrl };
  }

  @Post('ip-requests/:id/verify')
  @Auth('privacy.ipRequest.verify')
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the proof of control, then answer (access) or erase / refuse with grounds (erasure, objection)' })
  @ApiOkResponse({ type: VerifiedIpRequestDto })
  async verifyIpRequest(@Param('id') id: string, @Body() body: VerifyIpRequestDto, @Req() request: FastifyRequest): Promise<VerifiedIpRequestDto> {
    const result = await this.ipRights.verify(id, body.token, request.ip);
    return { ...toDto(result.request), access: result.access };
  }

  @Get('requests/:id')
  @Auth('privacy.request.status')
  @ApiOperation({ summary: 'Status of a privacy request' })
  @ApiOkResponse({ type: PrivacyRequestDto })
  async status(@Param('id') id: string): Promise<PrivacyRequestDto> {
    return toDto(await this.ipRights.find(id));
  }
}
