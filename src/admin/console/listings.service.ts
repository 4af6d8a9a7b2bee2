import { Injectable } from '@nestjs/common';
import { BlocklistVersions } from '../../blocklist/blocklist-versions.js';
import { DomainError } from '../../common/errors/domain-error.js';
import type { IpScoreRow } from '../../consensus/consensus.types.js';
import { ListingRecords } from '../../consensus/listing-records.js';
import { ReporterStandings } from '../../consensus/reporter-standing.js';
import { Clock } from '../../infra/clock/clock.js';
import { parseListingQuery } from './listing-query.js';
import { listingTimeline } from './listing-timeline.js';
import type { BlocklistVersionsDto, BlocklistVersionsQueryDto, ListingDetailDto, ListingsPageDto, ListingsQueryDto, ListingStateDto, VoterDto } from './listings.dto.js';

const iso = (d: Date | null): string | null => d?.toISOString() ?? null;

function stateOf(key: string, s: IpScoreRow | undefined): ListingStateDto {
  return {
    ip_key: key,
    known: s !== undefined,
    listed: s?.listed ?? false,
    score: s?.score ?? null,
    reporters: s?.reporters ?? 0,
    established: s?.established ?? 0,
    asns: s?.asns ?? 0,
    scenarios: s?.scenarios ?? [],
    listed_at: iso(s?.listed ? s.listedAt : null),
    listed_until: iso(s?.listed ? s.listedUntil : null),
    reason: s?.listed ? s.reason : null,
    first_seen: iso(s?.firstSeen ?? null),
    last_seen: iso(s?.lastSeen ?? null),
    honeypot: s?.honeypot ?? false,
  };
}

/**
 * The console's listings page (docs/operators.md, "Listings"), each part read from its owner: scores,
 * explanations and vote evidence from consensus, reporters' standing from consensus, listings and
 * delistings and the version history from the blocklist.
 */
@Injectable()
export class ListingsService {
  constructor(
    private readonly records: ListingRecords,
    private readonly standings: ReporterStandings,
    private readonly versions: BlocklistVersions,
    private readonly clock: Clock,
  ) {}

  /** The known keys of an IP or a range (at most a /16 or a /48), in address order, paged. */
  async search(query: ListingsQueryDto): Promise<ListingsPageDto> {
    const parsed = parseListingQuery(query.q);
    const keys = parsed.kind === 'ip' ? [parsed.key] : parsed.keys;
    const page = query.page ?? 1;
    const size = query.page_size ?? 50;
    const scores = await this.records.scores(keys);
    const known = keys.filter((k) => scores.has(k));
    const shown = parsed.kind === 'ip' ? keys : known;
    return {
      query: parsed.text,
      keys_in_range: keys.length,
      known: known.length,
      listed: known.filter((k) => scores.get(k)!.listed).length,
      page,
      page_size: size,
      items: shown.slice((page - 1) * size, page * size).map((k) => stateOf(k, scores.get(k))),
    };
  }

  /** One IP: its state, voters (pseudonyms) with their evidence, explanations and blocklist timeline. */
  async detail(ip: string): Promise<ListingDetailDto> {
    const parsed = parseListingQuery(ip);
    if (parsed.kind !== 'ip') throw DomainError.badRequest('One address, not a range: search a range with GET /v1/admin/console/listings?q=');
    const now = this.clock.now();
    const [scores, evidence, explanations, history, oldest] = await Promise.all([
      this.records.scores([parsed.key]),
      this.records.evidence(parsed.key, now),
      this.records.explanations(parsed.key),
      this.versions.historyOf(parsed.key),
      this.versions.oldestId(),
    ]);
    const inListing = new Set(explanations[0]?.voters ?? []);
    const reporters = [...new Set([...evidence.map((e) => e.reporter), ...inListing])];
    const standings = await this.standings.of(reporters);
    const voters: VoterDto[] = reporters.map((reporter) => {
      const s = standings.get(reporter);
      return {
        reporter,
        trust_band: s?.band ?? 'unscored',
        trust: s?.trust ?? null,
        in_listing: inListing.has(reporter),
        scenarios: evidence
          .filter((e) => e.reporter === reporter)
          .map((e) => ({ scenario: e.scenario, signals: e.signals, first_at: e.firstAt.toISOString(), last_at: e.lastAt.toISOString() })),
      };
    });
    const historySince = oldest > 0 ? await this.versions.createdAt(oldest) : null;
    return {
      ip: parsed.text,
      state: stateOf(parsed.key, scores.get(parsed.key)),
      voters,
      vote_window_hours: this.records.voteWindowHours,
      explanations: explanations.map((e) => ({
        listed_at: e.listedAt.toISOString(),
        reason: e.reason,
        score: e.score,
        asns: e.asns,
        established: e.established,
        scenario_classes: e.scenarioClasses,
        voters: e.voters,
      })),
      timeline: listingTimeline(history).map((e) => ({ at: iso(e.at), version: e.version, event: e.event, scenario_class: e.scenarioClass, score: e.score, until: e.until.toISOString() })),
      history_since: iso(historySince),
    };
  }

  /** Kept blocklist versions, newest first, a page at a time. */
  async versionsPage(query: BlocklistVersionsQueryDto): Promise<BlocklistVersionsDto> {
    const limit = query.limit ?? 50;
    const [versions, oldest] = await Promise.all([this.versions.page(query.before ?? null, limit), this.versions.oldestId()]);
    const last = versions[versions.length - 1];
    return {
      versions: versions.map((v) => ({ id: v.id, created_at: v.createdAt.toISOString(), added: v.added, removed: v.removed, total: v.total })),
      next_before: versions.length === limit && last.id > oldest ? last.id : null,
      oldest_kept: oldest,
    };
  }
}
