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
  @ApiOperation({
    summary: 'Erase an organisation (its own operators, or an admin): credentials revoked, votes withdrawn, key destroyed, personal data deleted',
    description:
      "Erases the organisation at once and for good (docs/privacy.md, erasure contract): its agents, keys and sessions stop working, its votes " +
      'on addresses nobody else reported are withdrawn with their listings, its audit pseudonym key is destroyed, and every domain deletes the ' +
      "personal data it holds about it (tables and Redis keys). Billing records keep the organisation id only, as the law requires. Callable by " +
      "the organisation's own admin, billing or support operators, its owner member, or a staff admin; the answer is the completed request.",
  })
  @ApiOkResponse({ type: PrivacyRequestDto })
  async eraseOrganization(@Param('id') id: string, @CurrentPrincipal() principal: Principal): Promise<PrivacyRequestDto> {
    if (!/^[0-9a-f-]{36}$/i.test(id)) throw DomainError.notFound('Organisation not found');
    return toDto(await this.organizations.erase(id, auditActor(principal)));
  }

  @Post('ip-requests')
  @Auth('privacy.ipRequest.create')
  @ApiOperation({
    summary: 'IP holder: ask for access to, erasure of, or objection to the data held about an IP; returns a token to serve from that IP',
    description:
      'Anyone may start a request; it is answered only once the holder shows control of the address by serving the returned token at ' +
      '`proof_url` (HTTP on the address itself), then calling verify. Limits: 5 requests per hour per source address and 5 per day per ' +
      'address (429 with Retry-After). Once the address is erased, its other pending requests are superseded (their address dropped at once).',
  })
  @ApiCreatedResponse({ type: CreatedIpRequestDto })
  async createIpRequest(@Body() body: CreateIpRequestDto, @Req() request: FastifyRequest): Promise<CreatedIpRequestDto> {
    const created = await this.ipRights.create(KINDS[body.kind], body.ip, request.ip);
    return { ...toDto(created.request), token: created.token, proof_url: created.proofUrl };
  }

  @Post('ip-requests/:id/verify')
  @Auth('privacy.ipRequest.verify')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Check the proof of control, then answer (access) or erase / refuse with grounds (erasure, objection)',
    description:
      'Quorum fetches the token from the address and compares it with the one sent (403 proof_not_served when the file is not served, 403 ' +
      'for a wrong token, 409 when the request is no longer pending). An access request answers with the Article 15 report (data held, ' +
      'purposes, lawful basis, recipients, retention, source, rights, complaint route, automated decisions). Erasure and objection delete the ' +
      "address's reports and protect it for 30 days (QUORUM_PRIVACY_PROTECTION_DAYS), or are refused with the grounds when the address is listed or still attacking. 20 attempts per hour per source.",
  })
  @ApiOkResponse({ type: VerifiedIpRequestDto })
  async verifyIpRequest(@Param('id') id: string, @Body() body: VerifyIpRequestDto, @Req() request: FastifyRequest): Promise<VerifiedIpRequestDto> {
    const result = await this.ipRights.verify(id, body.token, request.ip);
    return { ...toDto(result.request), access: result.access };
  }

  @Get('requests/:id')
  @Auth('privacy.request.status')
  @ApiOperation({
    summary: 'Status of a privacy request',
    description: 'The state of a request by its id (pending_proof, processing, completed, refused with the grounds, or superseded); never the address or the data itself.',
  })
  @ApiOkResponse({ type: PrivacyRequestDto })
  async status(@Param('id') id: string): Promise<PrivacyRequestDto> {
    return toDto(await this.ipRights.find(id));
  }
}
