import { Controller, Get, Param, ParseUUIDPipe, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { DomainError } from '../../common/errors/domain-error.js';
import { Clock } from '../../infra/clock/clock.js';
import { UsageDto, UsageQueryDto } from '../dto/usage.dto.js';
import { DailyUsageDto, DailyUsageQueryDto } from './daily-usage.dto.js';
import { LookupUsageService } from './lookup-usage.service.js';

const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 93 * DAY_MS;
const DEFAULT_DAYS = 30;
const dayOf = (date: Date): string => date.toISOString().slice(0, 10);

@ApiTags('lookup')
@Controller('v1/organizations/:id/usage')
export class UsageController {
  constructor(
    private readonly usage: LookupUsageService,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Auth('usage.read')
  @ApiOperation({ summary: 'Answered lookups per API key per hour (flushed every few seconds)', description: 'Hourly counts of answered lookups per key over the requested window, as metered for billing (reserved addresses and refused requests are not counted). Counters are flushed every few seconds, so the current hour may lag slightly. API keys need the `usage` scope and read only their own organisation.' })
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

  @Get('daily')
  @Auth('usage.read')
  @ApiOperation({ summary: 'Answered lookups per API key per UTC day (default: the last 30 days), with each key\'s prefix and name', description: 'Daily counts per key with each key\'s prefix and name, for the usage chart of the portal and for reconciliation with invoices. `from` and `to` bound the window (at most 93 days apart).' })
  @ApiOkResponse({ type: DailyUsageDto })
  async daily(@Param('id', ParseUUIDPipe) id: string, @Query() query: DailyUsageQueryDto): Promise<DailyUsageDto> {
    const lastDay = query.to ?? dayOf(this.clock.now());
    const to = new Date(Date.parse(`${lastDay}T00:00:00Z`) + DAY_MS);
    const from = query.from ? new Date(`${query.from}T00:00:00Z`) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
    if (Number.isNaN(to.getTime()) || Number.isNaN(from.getTime()) || from >= to || to.getTime() - from.getTime() > MAX_SPAN_MS) {
      throw DomainError.badRequest('from must not be after to, at most 93 days apart');
    }
    const rows = await this.usage.dailyForOrganization(id, from, to);
    const keys = new Map<string, { api_key_id: string; prefix: string; name: string; lookups: number }>();
    for (const row of rows) {
      const key = keys.get(row.apiKeyId) ?? { api_key_id: row.apiKeyId, prefix: row.prefix, name: row.name, lookups: 0 };
      key.lookups += row.lookups;
      keys.set(row.apiKeyId, key);
    }
    return {
      organization_id: id,
      from: dayOf(from),
      to: dayOf(new Date(to.getTime() - DAY_MS)),
      total: rows.reduce((sum, r) => sum + r.lookups, 0),
      keys: [...keys.values()],
      days: rows.map((r) => ({ day: r.day, api_key_id: r.apiKeyId, lookups: r.lookups })),
    };
  }
}
