import { Body, Controller, HttpCode, Param, ParseUUIDPipe, Post } from '@nestjs/common';
import { ApiAcceptedResponse, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { QuarantineReleaseBodyDto, QuarantineReleaseDto } from './quarantine-release.dto.js';
import { QuarantineReleases } from './quarantine-releases.js';

@ApiTags('admin')
@Controller('v1/admin/agents')
export class QuarantineReleaseController {
  constructor(private readonly releases: QuarantineReleases) {}

  @Post(':id/quarantine-release')
  @Auth('agents.releaseQuarantine')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Release an agent from the scoring engine\'s quarantine, with a reason (staff admins; audited)',
    description:
      'Staff admins: the release is recorded at once (audited as agent.quarantine_release_requested) and applied by the next scoring run, ' +
      'in whichever worker holds the scoring lock: the agent votes with weight again, the cases that quarantined it are forgotten, votes ' +
      'the quarantine withdrew stay withdrawn. A quarantine that began after the request is kept. GET /v1/admin/console/agents shows it ' +
      '(pending, then released).',
  })
  @ApiResponse({ status: 404, description: 'No such agent' })
  @ApiResponse({ status: 409, description: 'The agent is not quarantined by the scoring engine (or its organisation was erased)' })
  @ApiAcceptedResponse({ type: QuarantineReleaseDto })
  async release(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: QuarantineReleaseBodyDto, @CurrentPrincipal() principal: Principal): Promise<QuarantineReleaseDto> {
    const operatorId = principal.kind === 'operator' ? principal.operatorId : 'unknown';
    const r = await this.releases.request(id, operatorId, body.reason.trim());
    return { agent_id: id, status: 'pending', reason: r.reason, requested_by: r.requestedBy, requested_at: r.requestedAt.toISOString(), applied_at: null };
  }
}
