import { Injectable } from '@nestjs/common';
import { BlocklistService } from '../blocklist/blocklist.service.js';
import { BlocklistVersions } from '../blocklist/blocklist-versions.js';
import type { StoredEntry } from '../blocklist/blocklist.types.js';
import { parseCidr } from '../common/ip/cidr.js';
import { parseIp } from '../common/ip/ip-address.js';
import { Clock } from '../infra/clock/clock.js';
import { blocklistLinks, listContains, parseListName } from './blocklist-links.js';
import type { BlocklistLink } from './decision-formats.js';
import { type ListedDecision, type StreamDelta, streamDelta } from './decision-stream.js';
import { CrowdsecRepository } from './crowdsec.repository.js';

export interface PulledDelta {
  delta: StreamDelta;
  now: Date;
  version: number;
}

/** One bad value makes the engine drop the whole pull, so only valid addresses and CIDRs go out. */
export function isDeliverable(d: ListedDecision): boolean {
  return d.scope === 'ip' ? parseIp(d.value) !== null : parseCidr(d.value) !== null;
}

/** A blocklist entry as a CrowdSec decision: IPv6 listings are /64 networks even when filed under the ip scope. */
function toDecision(e: StoredEntry): ListedDecision {
  return { value: e.value, scope: e.value.includes('/') ? 'range' : e.scope, scenarioClass: e.scenarioClass, until: e.until, addedInVersion: e.addedInVersion };
}

/**
 * Decision streams for CrowdSec consumers over the published blocklist. The server keeps one
 * cursor per consumer (`watcher:<agent>`, `bouncer:<key>`): the engine never says what it holds.
 */
@Injectable()
export class CrowdsecStreamService {
  constructor(
    private readonly blocklist: BlocklistService,
    private readonly versions: BlocklistVersions,
    private readonly repository: CrowdsecRepository,
    private readonly clock: Clock,
  ) {}

  /** The deliverable decisions of the loaded list, kept until the list moves to another version. */
  private deliverable: { source: readonly StoredEntry[]; entries: ListedDecision[] } | null = null;

  /**
   * The current list as decisions. Mapping and re-parsing every address is done once per blocklist
   * version (the loaded list keeps the same array until then), not on every pull, link or list read.
   */
  private async current(): Promise<{ version: number; entries: readonly ListedDecision[] }> {
    await this.blocklist.ready();
    const source = this.blocklist.currentEntries();
    if (this.deliverable?.source !== source) {
      this.deliverable = { source, entries: source.map(toDecision).filter(isDeliverable) };
    }
    return { version: this.blocklist.currentVersion(), entries: this.deliverable.entries };
  }

  /** Computes what `cursorId` has not seen yet and moves its cursor to the current version. */
  async pull(cursorId: string, startup: boolean): Promise<PulledDelta> {
    const { version, entries } = await this.current();
    const now = this.clock.now();
    const cursor = await this.repository.cursor(cursorId);
    let full = startup || cursor === null;
    if (cursor && !full && cursor.version > version) {
      // Another API process already served a newer version: send nothing until this one catches up.
      // A cursor beyond every stored version (a restored or reset database) gets everything again.
      if (await this.versions.createdAt(cursor.version)) return { delta: { added: [], deleted: [] }, now, version };
      full = true;
    }
    if (!full && cursor && cursor.version > 0 && cursor.version < version && !(await this.versions.createdAt(cursor.version))) {
      full = true; // older than the kept history: resend everything (engines replace by value)
    }
    const closed = full || !cursor ? [] : (await this.versions.closedBetween(cursor.version, version)).map(toDecision).filter(isDeliverable);
    const delta = streamDelta(entries, closed, cursor, full, now.getTime());
    await this.repository.saveCursor(cursorId, version, now);
    return { delta, now, version };
  }

  /** `links.blocklists` (v3): the community list and one list per scenario class, per scope
   * (src/crowdsec/blocklist-links.ts); `urlOf` gives each list's URL. */
  async links(urlOf: (name: string) => string, include: { community: boolean; classes: boolean }): Promise<BlocklistLink[]> {
    const { entries } = await this.current();
    return blocklistLinks(entries, this.clock.nowMs(), urlOf, include);
  }

  /** The body of one linked list (one value per line), and when the list last changed at the latest. */
  async listText(name: string): Promise<{ body: string; lastModified: Date } | null> {
    const id = parseListName(name);
    if (!id) return null;
    const { version, entries } = await this.current();
    const nowMs = this.clock.nowMs();
    const values = entries.filter((e) => listContains(id, e) && e.until.getTime() > nowMs).map((e) => e.value);
    // An emptied list answers 200 with no lines, so engines drop what they took from it.
    const lastModified = (await this.versions.createdAt(version)) ?? new Date(nowMs);
    return { body: values.map((v) => `${v}\n`).join(''), lastModified };
  }
}
