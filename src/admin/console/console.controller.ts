import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Auth } from '../../common/auth/auth.decorator.js';
import { AuditPageDto, AuditQueryDto, ConsoleAgentListDto, ConsoleAgentsQueryDto, SignalVolumeDto, SignalVolumeQueryDto, WorkQueueDto } from './console.dto.js';
import { ConsoleService } from './console.service.js';

/** Read routes of the operator console (/admin); its actions are the owning domains' audited routes (docs/operators.md). */
@ApiTags('admin')
@Controller('v1/admin/console')
export class ConsoleController {
  constructor(private readonly console: ConsoleService) {}

  @Get('requests')
  @Auth('console.requests')
  @ApiOperation({
    summary: 'Work queue: delisting and privacy requests with their deadlines, most urgent first',
    description:
      'Staff operators (admin, support): open delisting requests (awaiting review, verified, suppressed, waiting for proof) and privacy ' +
      'requests, each with its deadline and the rule it comes from (a proven or reasoned delisting request is escalated 72 h after it ' +
      'reached the queue; a privacy request is answered within one month of receipt, GDPR Art. 12(3)), open items by deadline, then items ' +
      'closed in the last 30 days. Delisting items carry the address, the holder\'s reason and contact; privacy items never the address. ' +
      'Decide a delisting request with POST /v1/admin/delisting-requests/{id}/review.',
  })
  @ApiOkResponse({ type: WorkQueueDto })
  requests(): Promise<WorkQueueDto> {
    return this.console.workQueue();
  }

  @Get('agents')
  @Auth('console.agents')
  @ApiOperation({
    summary: 'Community: every organisation\'s agents with status, last signal, trust band and quarantine reason',
    description:
      'Staff operators (admin, support): up to 500 agents of organisations not erased, most recent signal first, optionally filtered by ' +
      'status (`quarantined`: the agent, or its reporter quarantined by the scoring engine) and by part of the agent or organisation name. Trust and quarantine are the scoring engine\'s as last written (bands: ' +
      'quarantined, established, building, low, unscored), and the latest operator\'s release from quarantine. `organizations` sums the listed agents per organisation ' +
      '(community ones first). Revoke an agent with POST /v1/agents/{id}/revoke, release one with POST /v1/admin/agents/{id}/quarantine-release (both audited).',
  })
  @ApiOkResponse({ type: ConsoleAgentListDto })
  async agents(@Query() query: ConsoleAgentsQueryDto): Promise<ConsoleAgentListDto> {
    const agents = await this.console.agents(query);
    return { agents, organizations: this.console.contributions(agents) };
  }

  @Get('signal-volume')
  @Auth('console.signalVolume')
  @ApiOperation({
    summary: 'Community: signals received per day and scenario family',
    description:
      'Staff operators (admin, support): for each UTC day of the last `days` (30 by default, at most 30; today so far last), the signals ' +
      'received, in total and per scenario family (ssh, http, wordpress, mail, scan, database, remote-desktop, other; the mapping is ' +
      'src/signals/scenario-families.ts). Counted from the signal table one day partition at a time; closed days are cached for an hour.',
  })
  @ApiOkResponse({ type: SignalVolumeDto })
  signalVolume(@Query() query: SignalVolumeQueryDto): Promise<SignalVolumeDto> {
    return this.console.signalVolume(query.days ?? 30);
  }

  @Get('audit')
  @Auth('console.audit')
  @ApiOperation({
    summary: 'Audit log: entries filtered by actor, action, target and time, with the chain\'s verification',
    description:
      'Staff operators (admin, billing, support): matching entries over the whole log, newest first (`limit`, 100 by default, at most ' +
      '500), filtered in the database by parts of the actor, action and target (as shown: identifiers of subjects still present, ' +
      'pseudonyms of erased ones) and by a time range [from, to). Paged by cursor: `next_cursor` is passed back as `before` for older ' +
      'entries; one page examines at most 200,000 entries, so a page may hold fewer than `limit` matches and still have a cursor. ' +
      '`chain` walks the whole hash chain: ok, entries checked, and the first broken entry.',
  })
  @ApiOkResponse({ type: AuditPageDto })
  audit(@Query() query: AuditQueryDto): Promise<AuditPageDto> {
    return this.console.auditLog(query);
  }
}
