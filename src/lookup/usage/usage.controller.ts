import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { CurrentPrincipal } from '../../common/auth/current-principal.decorator.js';
import type { Principal } from '../../common/auth/principal.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { UsageDto, UsageQueryDto } from '../dto/usage.dto.js';
import { LookupUsageService } from './lookup-usage.service.js';

const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 93 * DAY_MS;

@ApiTags('lookup')
@Controller('v1/organizations/:id/usage')
@Auth({ kinds: ['operator'], roles: ['admin', 'billing', 'support'] })
export class UsageController {
  constructor(
    private readonly usage: LookupUsageService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Answered lookups per API key per hour (flushed every few seconds)' })
  @ApiOkResponse({ type: UsageDto })
  async get(@Param('id', ParseUUIDPipe) id: string, @Query() query: UsageQueryDto, @CurrentPrincipal() principal: Principal): Promise<UsageDto> {
    if (principal.kind !== 'operator' || (principal.role === 'support' && principal.organizationId !== id)) {
      throw DomainError.forbidden('Support operators see only their own organisation');
    }
    const to = query.to ? new Date(query.to) : this.clock.now();
    const from = query.from ? new Date(query.from) : new Date(to.getTime() - DAY_MS);
    if (from >= to || to.getTime() - from.getTime() > MAX_SPAN_MS) throw DomainError.badRequest('from must be before to, at most 93 days apart');
    const rows = await this.usage.forOrganization(id, from, to);
    return {
      organization_id: id,
      from: from.toISOString(),
      to: to.toISOString(),
      total: rows.reduce((sum, r) => sum + r.lookups, 0),
      hours: rows.map((r) => ({ hour: r.hour.toISOString(), api_key_id: r.apiKeyId, lookups: r.lookups })),
    };
  }
}
