import { Inject, Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { Clock } from '../infra/clock/clock.js';
import type { BlocklistState } from './blocklist-state.js';
import { BlocklistSync } from './blocklist-sync.service.js';
import { BlocklistRepository } from './blocklist.repository.js';
import { viewKey, type ViewSpec } from './blocklist.types.js';
import { compressBody } from './render/compressed-body.js';
import { BLOCKLIST_FORMATS, type BlocklistFormat } from './render/index.js';
import { BodyCache } from './views/body-cache.js';
import { fullViewDelta, rankedViewDelta, type Delta, type DeltaWindow } from './views/delta.js';
import { renderDeltaJson } from './views/delta-json.js';
import type { ServedBody } from './views/http-answer.js';
import { selectFromRanked } from './views/select-view.js';
import { tierFor, viewSpecFor, type Audience } from './views/tiers.js';

export const CURSOR_EXPIRED = 'cursor_expired';
/** Cursors this close to the history horizon are refused: pruning in another process may be under way. */
const HORIZON_MARGIN_MS = 5 * 60_000;
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Full views and deltas as pre-rendered, pre-compressed bodies, cached per (version, view, format)
 * and per (version, since, view). Bodies are rendered again only when an entry they hold expires
 * (at most every QUORUM_BLOCKLIST_RERENDER_SECONDS), or for firewall formats, whose timeouts count
 * from render time, every QUORUM_BLOCKLIST_RERENDER_SECONDS.
 */
@Injectable()
export class BlocklistViewsService {
  private readonly cache: BodyCache<ServedBody>;

  constructor(
    private readonly sync: BlocklistSync,
    private readonly repository: BlocklistRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {
    this.cache = new BodyCache<ServedBody>(config.blocklist.cacheBytes);
    sync.onVersion((version) => this.cache.retain((key) => key.startsWith(`${version}|`)));
  }

  get maxAgeSeconds(): number {
    return this.config.blocklist.maxAgeSeconds;
  }

  async view(audience: Audience, format: BlocklistFormat, scenarios: readonly string[]): Promise<ServedBody> {
    const state = await this.sync.loaded();
    const spec = this.specFor(audience, scenarios);
    const version = state.version;
    const now = this.clock.nowMs();
    return this.cache.getOrBuild(
      `${version}|view|${viewKey(spec)}|${format}`,
      (b) => b.version === state.version && now < b.reuseUntilMs,
      () => this.renderView(state, spec, format),
    );
  }

  async changes(audience: Audience, since: number, scenarios: readonly string[]): Promise<ServedBody> {
    let state = await this.sync.loaded();
    // A cursor from a newer version than ours: another process already serves it, so catch up.
    if (since > state.version) {
      await this.sync.refresh();
      state = await this.sync.loaded();
    }
    const spec = this.specFor(audience, scenarios);
    const version = state.version;
    this.assertCursor(state, since);
    const now = this.clock.nowMs();
    return this.cache.getOrBuild(
      `${version}|changes|${since}|${viewKey(spec)}`,
      (b) => b.version === state.version && now < b.reuseUntilMs,
      () => this.renderDelta(state, spec, since),
    );
  }

  private specFor(audience: Audience, scenarios: readonly string[]): ViewSpec {
    const sizes = this.config.blocklist;
    return viewSpecFor(tierFor(audience, this.clock.nowMs(), sizes), scenarios, sizes);
  }

  private async renderView(state: BlocklistState, spec: ViewSpec, format: BlocklistFormat): Promise<ServedBody> {
    const nowMs = this.clock.nowMs();
    const version = state.version;
    const view = selectFromRanked(state.ranked(), spec, nowMs, state.versionCreatedAtMs);
    const firewall = format === 'nftables' || format === 'ipset';
    const info = BLOCKLIST_FORMATS[format];
    // Text formats carry the time the view last changed, so every API process renders the same bytes
    // (same ETag); firewall formats carry their render time, from which their timeouts count.
    const generatedAt = new Date(firewall ? nowMs : view.changedAtMs);
    const identity = info.render(view.entries, { version, generatedAt, now: new Date(nowMs) });
    const body = await compressBody(identity);
    const rerenderMs = this.config.blocklist.rerenderSeconds * 1000;
    return {
      body,
      bytes: identity.length + body.gzip.length + body.br.length,
      contentType: info.contentType,
      filename: `quorum-blocklist-v${version}.${info.extension}`,
      version,
      lastModifiedMs: generatedAt.getTime(),
      reuseUntilMs: firewall ? nowMs + rerenderMs : Math.max(view.staleAtMs, nowMs + rerenderMs),
    };
  }

  private async renderDelta(state: BlocklistState, spec: ViewSpec, since: number): Promise<ServedBody> {
    for (;;) {
      const version = state.version;
      const nowMs = this.clock.nowMs();
      const delta = await this.computeDelta(state, spec, since, nowMs);
      // The state moved to a newer version while the rows were read: compute against that one.
      if (delta === null || state.version !== version) {
        this.assertCursor(state, since);
        continue;
      }
      const identity = renderDeltaJson(version, since, delta.added, delta.removed);
      const body = await compressBody(identity);
      return {
        body,
        bytes: identity.length + body.gzip.length + body.br.length,
        contentType: JSON_TYPE,
        version,
        lastModifiedMs: Math.max(state.versionCreatedAtMs, delta.lastExpiryMs),
        reuseUntilMs: nowMs + this.config.blocklist.rerenderSeconds * 1000,
      };
    }
  }

  private async computeDelta(state: BlocklistState, spec: ViewSpec, since: number, nowMs: number): Promise<Delta | null> {
    const version = state.version;
    const sinceCreatedAtMs = since === version ? state.versionCreatedAtMs : (state.createdAt(since) ?? 0);
    const closed = since === version ? [] : await this.repository.closedBetween(since, version);
    if (state.version !== version) return null;
    const window: DeltaWindow = { spec, since, sinceCreatedAtMs, nowMs, closed };
    if (spec.limit < state.size + closed.length) return rankedViewDelta(window, state.ranked(), state.versionCreatedAtMs);
    const [opened, expiring] = await Promise.all([
      since === version ? [] : this.repository.openedBetween(since, version),
      this.repository.expiringBetween(since, version, new Date(sinceCreatedAtMs), new Date(nowMs)),
    ]);
    return fullViewDelta(window, opened, expiring);
  }

  private assertCursor(state: BlocklistState, since: number): void {
    if (since === state.version) return;
    const createdAt = state.createdAt(since);
    const horizon = this.clock.nowMs() - this.config.blocklist.historyHours * 3_600_000 + HORIZON_MARGIN_MS;
    if (since > state.version || since < state.oldestVersion || createdAt === undefined || createdAt < horizon) {
      throw new DomainError(CURSOR_EXPIRED,
        `Version ${since} is ${since > state.version ? 'unknown' : 'older than the kept history'}; download the full list (GET /v1/blocklist) and continue from its version`,
      );
    }
  }
}
