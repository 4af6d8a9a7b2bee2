import { Injectable } from '@nestjs/common';
import { AgentRoster } from '../../agents/agent-roster.js';
import { AuditService } from '../../audit/audit.service.js';
import { DelistingService } from '../../consensus/delisting/delisting.service.js';
import { DELISTING_EXPIRY } from '../../consensus/delisting/delisting-expiry-policy.js';
import type { DelistingRecord, DelistingStatus } from '../../consensus/delisting/delisting.repository.js';
import { QuarantineReleases } from '../../consensus/quarantine-release/quarantine-releases.js';
import { ReporterStandings } from '../../consensus/reporter-standing.js';
import { Clock } from '../../infra/clock/clock.js';
import { PrivacyQueue } from '../../privacy/privacy-queue.js';
import { SCENARIO_FAMILIES } from '../../signals/scenario-families.js';
import { SignalsFeed } from '../../signals/signals-feed.js';
import type { AuditEntryDto, AuditPageDto, AuditQueryDto, ConsoleAgentDto, ConsoleAgentsQueryDto, OrganizationContributionDto, SignalVolumeDto, WorkItemDto, WorkQueueDto } from './console.dto.js';

const DAY_MS = 86_400_000;
/** Delisting states an operator sees in the queue; the first three wait for nobody but the holder or the operator. */
const OPEN_DELISTING: readonly DelistingStatus[] = ['awaiting_review', 'verified', 'suppressed', 'pending_proof'];
const DECIDABLE: ReadonlySet<DelistingStatus> = new Set(['awaiting_review', 'verified', 'suppressed']);
const CLOSED_DELISTING: readonly DelistingStatus[] = ['upheld', 'rejected', 'expired'];

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

/**
 * Reads of the operator console (docs/operators.md): each comes from the domain that owns the data
 * (consensus delisting and reporter standing, privacy queue, agents roster, audit), never from its tables.
 */
@Injectable()
export class ConsoleService {
  constructor(
    private readonly delisting: DelistingService,
    private readonly privacy: PrivacyQueue,
    private readonly roster: AgentRoster,
    private readonly standings: ReporterStandings,
    private readonly releases: QuarantineReleases,
    private readonly audit: AuditService,
    private readonly signals: SignalsFeed,
    private readonly clock: Clock,
  ) {}

  /** Signals per UTC day and scenario family, read from the signals domain (SignalsFeed.volumeByFamily). */
  async signalVolume(days: number): Promise<SignalVolumeDto> {
    const now = this.clock.now();
    return { families: [...SCENARIO_FAMILIES], days: await this.signals.volumeByFamily(days, now), generated_at: now.toISOString() };
  }

  /** Delisting and privacy requests, open ones by deadline (most urgent first), then those closed in 30 days. */
  async workQueue(): Promise<WorkQueueDto> {
    const now = this.clock.now();
    const closedSince = new Date(now.getTime() - 30 * DAY_MS);
    const open = (await Promise.all(OPEN_DELISTING.map((s) => this.delisting.list(s)))).flat();
    const closed = (await Promise.all(CLOSED_DELISTING.map((s) => this.delisting.list(s)))).flat().filter((r) => (r.closedAt ?? r.decidedAt ?? r.createdAt) >= closedSince);
    const delistings = [...open, ...closed];
    const privacy = await this.privacy.list(closedSince);
    const items: WorkItemDto[] = [
      ...delistings.map((r) => this.delistingItem(r, now)),
      ...privacy.map((p) => ({
        type: 'privacy' as const,
        id: p.id,
        kind: p.kind,
        status: p.status,
        decidable: false,
        created_at: p.createdAt.toISOString(),
        due_at: p.dueAt.toISOString(),
        due_rule: 'GDPR: answered within one month of receipt',
        overdue: p.closedAt === null && p.dueAt <= now,
        ip: null,
        proof_method: null,
        reason: null,
        contact: null,
        grounds: p.grounds,
        closed_at: iso(p.closedAt),
        decided_by: null,
        justification: null,
      })),
    ];
    const rank = (i: WorkItemDto) => (i.closed_at === null ? 0 : 1);
    items.sort((a, b) => rank(a) - rank(b) || (rank(a) === 0 ? a.due_at.localeCompare(b.due_at) : b.closed_at!.localeCompare(a.closed_at!)));
    return { items, generated_at: now.toISOString() };
  }

  private delistingItem(r: DelistingRecord, now: Date): WorkItemDto {
    const decidable = DECIDABLE.has(r.status);
    // proven or reasoned: escalated 72 h after it reached the queue; unproven: deleted 7 days after creation
    const since = r.status === 'awaiting_review' ? (r.reviewRequestedAt ?? r.createdAt) : decidable ? (r.verifiedAt ?? r.createdAt) : r.createdAt;
    const due = new Date(since.getTime() + (decidable ? DELISTING_EXPIRY.escalateMs : DELISTING_EXPIRY.unprovenMs));
    return {
      type: 'delisting',
      id: r.id,
      kind: 'ip_delisting',
      status: r.status,
      decidable,
      created_at: r.createdAt.toISOString(),
      due_at: due.toISOString(),
      due_rule: decidable ? 'review within 72 h of proof or review request (then escalated)' : r.status === 'pending_proof' ? 'deleted 7 days after creation unless proven' : 'decided',
      overdue: decidable && due <= now,
      ip: r.ip,
      proof_method: r.proofMethod,
      reason: r.reason,
      contact: r.contact,
      grounds: null,
      closed_at: iso(r.closedAt ?? (decidable || r.status === 'pending_proof' ? null : (r.decidedAt ?? r.createdAt))),
      decided_by: r.decidedBy,
      justification: r.justification,
    };
  }

  /**
   * `quarantined` means quarantined by either side: the agent's own status, or its reporter quarantined
   * by the scoring engine (the engine's quarantine is what operators meet; docs/operators.md).
   */
  async agents(query: ConsoleAgentsQueryDto): Promise<ConsoleAgentDto[]> {
    const quarantinedOnly = query.status === 'quarantined';
    const agents = await this.roster.list({ status: quarantinedOnly ? undefined : query.status, search: query.q?.trim() || undefined }, 500);
    const pseudonyms = agents.flatMap((a) => (a.reporter ? [a.reporter] : []));
    const [standings, releases] = await Promise.all([this.standings.of(pseudonyms), this.releases.of(pseudonyms)]);
    const rows = agents.map((a) => {
      const s = a.reporter ? standings.get(a.reporter) : undefined;
      const r = a.reporter ? releases.get(a.reporter) : undefined;
      return {
        id: a.id,
        name: a.name,
        kind: a.kind,
        status: a.status,
        organization_id: a.organizationId,
        organization_name: a.organizationName,
        organization_kind: a.organizationKind,
        asn: a.asn,
        country: a.country,
        enrolled_at: a.enrolledAt.toISOString(),
        last_signal_at: iso(a.lastSignalAt),
        trust: s?.trust ?? null,
        trust_band: s?.band ?? 'unscored',
        quarantined_at: iso(s?.quarantinedAt ?? null),
        quarantine_reason: s?.quarantineReason ?? null,
        release: r
          ? { status: r.outcome ?? 'pending', reason: r.reason, requested_by: r.requestedBy, requested_at: r.requestedAt.toISOString(), applied_at: iso(r.appliedAt) }
          : null,
      };
    });
    return quarantinedOnly ? rows.filter((r) => r.status === 'quarantined' || r.quarantined_at !== null) : rows;
  }

  /** Each organisation's contribution, summed over the agents listed: community organisations first, then by agents reporting. */
  contributions(agents: readonly ConsoleAgentDto[]): OrganizationContributionDto[] {
    const since = this.clock.now().getTime() - DAY_MS;
    const byOrganization = new Map<string, OrganizationContributionDto>();
    for (const a of agents) {
      let o = byOrganization.get(a.organization_id);
      if (!o) {
        o = { organization_id: a.organization_id, organization_name: a.organization_name, organization_kind: a.organization_kind, agents: 0, active: 0, quarantined: 0, established: 0, reporting_24h: 0, last_signal_at: null };
        byOrganization.set(a.organization_id, o);
      }
      o.agents++;
      if (a.status === 'active') o.active++;
      if (a.quarantined_at !== null) o.quarantined++;
      if (a.trust_band === 'established') o.established++;
      if (a.last_signal_at !== null && Date.parse(a.last_signal_at) >= since) o.reporting_24h++;
      if (a.last_signal_at !== null && (o.last_signal_at === null || a.last_signal_at > o.last_signal_at)) o.last_signal_at = a.last_signal_at;
    }
    const rank = (o: OrganizationContributionDto) => (o.organization_kind === 'community' ? 0 : 1);
    return [...byOrganization.values()].sort((a, b) => rank(a) - rank(b) || b.reporting_24h - a.reporting_24h || a.organization_name.localeCompare(b.organization_name));
  }

  /**
   * Matching entries over the whole log, filtered in the database by the audit domain (AuditService.search),
   * a page at a time below the `before` cursor; and the verification of the whole chain.
   */
  async auditLog(query: AuditQueryDto): Promise<AuditPageDto> {
    const filter = {
      actor: query.actor?.trim() || undefined,
      action: query.action?.trim() || undefined,
      target: query.target?.trim() || undefined,
      from: query.from ? new Date(query.from) : undefined,
      to: query.to ? new Date(query.to) : undefined,
    };
    const [page, chain] = await Promise.all([this.audit.search(filter, query.before ? BigInt(query.before) : null, query.limit ?? 100), this.audit.verify()]);
    const entries: AuditEntryDto[] = page.entries.map((e) => ({ id: e.id.toString(), at: e.at.toISOString(), actor: e.actor, action: e.action, target: e.target, details: e.details }));
    return { entries, searched: page.examined, next_cursor: page.nextCursor, chain: { ok: chain.ok, checked: chain.checked, broken_at: chain.brokenAt } };
  }
}
