import { formatGoDuration } from '../blocklist/durations.js';
import type { BlocklistLink } from './decision-formats.js';
import type { ListedDecision } from './decision-stream.js';

/**
 * The lists a v3 engine (>= 1.5) may subscribe to through `links.blocklists`: Quorum's whole
 * community list, and one list per scenario class (scenario names such as `crowdsecurity/ssh-bf`),
 * each split by scope because a link carries a single scope.
 *
 * What the engine does with a link (read from its apiclient, pkg/apiclient/decisions_service.go,
 * and pkg/apiserver/apic.go): all five fields are required strings; it GETs `url` without
 * credentials, reads one value per line, and stores each as a decision with origin `lists`,
 * scenario = `name`, scope = `scope`, type = `remediation`, duration = `duration` (a Go duration).
 * The name is also a key in its database (`blocklist:<name>:last_pull`, alert scope
 * `lists:<name>`), so it may hold `/`; in the URL it is percent-encoded.
 */
export const COMMUNITY = 'community';
const CLASS = /^[A-Za-z0-9_.-]{1,64}(\/[A-Za-z0-9_.-]{1,96})?$/;
const NAME = /^quorum-(.+)-(ip|range)$/;

export interface ListId {
  /** `community`, or a scenario class */
  list: string;
  scope: 'ip' | 'range';
}

export function listName(id: ListId): string {
  return `quorum-${id.list}-${id.scope}`;
}

/** The list a link name designates, or null for names Quorum never hands out. */
export function parseListName(name: string): ListId | null {
  const match = NAME.exec(name);
  if (!match) return null;
  const [, list, scope] = match;
  if (list !== COMMUNITY && !CLASS.test(list)) return null;
  return { list, scope: scope as 'ip' | 'range' };
}

export function listContains(id: ListId, d: ListedDecision): boolean {
  return d.scope === id.scope && (id.list === COMMUNITY || d.scenarioClass === id.list);
}

/**
 * Links for every list with at least one active entry, sorted by name. The duration is the longest
 * remaining lifetime in the list (the engine gives it to every value it reads from the list).
 */
export function blocklistLinks(
  entries: readonly ListedDecision[],
  nowMs: number,
  urlOf: (name: string) => string,
  include: { community: boolean; classes: boolean },
): BlocklistLink[] {
  const longest = new Map<string, { scope: 'ip' | 'range'; untilMs: number }>();
  const note = (id: ListId, untilMs: number) => {
    const name = listName(id);
    const seen = longest.get(name);
    if (!seen || seen.untilMs < untilMs) longest.set(name, { scope: id.scope, untilMs });
  };
  for (const e of entries) {
    const untilMs = e.until.getTime();
    if (untilMs <= nowMs) continue;
    if (include.community) note({ list: COMMUNITY, scope: e.scope }, untilMs);
    if (include.classes && e.scenarioClass !== COMMUNITY && CLASS.test(e.scenarioClass)) note({ list: e.scenarioClass, scope: e.scope }, untilMs);
  }
  return [...longest]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, { scope, untilMs }]) => ({
      name,
      url: urlOf(name),
      remediation: 'ban',
      scope,
      duration: formatGoDuration(untilMs - nowMs),
    }));
}
