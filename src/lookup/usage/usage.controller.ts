import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { UsageDto, UsageQueryDto } from '../dto/usage.dto.js';
import { LookupUsageService } from './lookup-usage.service.js';

const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 93 * DAY_MS;

@ApiTags('lookup')
@Controller('v1/organizations/:id/usage')
export class UsageController {
  constructor(
    private readonly usage: LookupUsageService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Auth('usage.read')
  @ApiOperation({ summary: 'Answered lookups per API key per hour (flushed every few seconds)' })
  @ApiOkResponse({ type: UsageDto })
  async get(@Param('id', ParseUUIDPipe) id: string, @Query() query: UsageQueryDto): Promise<UsageDto> {
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
