import { blocklistLinks, listContains, listName, parseListName } from './blocklist-links.js';
import type { ListedDecision } from './decision-stream.js';

const NOW = Date.parse('2026-12-07T04:00:00Z');
const HOUR = 3_600_000;
function entry(value: string, scenarioClass: string, hours: number, scope: 'ip' | 'range' = 'ip'): ListedDecision {
  return { value, scope, scenarioClass, until: new Date(NOW + hours * HOUR), addedInVersion: 1 };
}

describe('v3 blocklist links', () => {
  const entries = [
    entry('185.1.1.1', 'crowdsecurity/ssh-bf', 10),
    entry('185.1.1.2', 'crowdsecurity/ssh-bf', 20),
    entry('185.1.1.3', 'crowdsecurity/http-probing', 5),
    entry('2a01:db8:1:2::/64', 'crowdsecurity/http-probing', 30, 'range'),
    entry('185.1.1.4', 'crowdsecurity/ssh-bf', -1),
  ];
  const urlOf = (name: string) => `http://q.example/v3/blocklists/${encodeURIComponent(name)}/cap`;

  it('lists the community list and every scenario class (names with /), per scope, with the longest remaining duration', () => {
    const links = blocklistLinks(entries, NOW, urlOf, { community: true, classes: true });
    expect(links.map((l) => [l.name, l.scope, l.duration])).toEqual([
      ['quorum-community-ip', 'ip', '20h0m0s'],
      ['quorum-community-range', 'range', '30h0m0s'],
      ['quorum-crowdsecurity/http-probing-ip', 'ip', '5h0m0s'],
      ['quorum-crowdsecurity/http-probing-range', 'range', '30h0m0s'],
      ['quorum-crowdsecurity/ssh-bf-ip', 'ip', '20h0m0s'],
    ]);
    expect(links.every((l) => l.remediation === 'ban')).toBe(true);
    expect(links[4].url).toBe('http://q.example/v3/blocklists/quorum-crowdsecurity%2Fssh-bf-ip/cap');
  });

  it('honours community_pull=false and additional_pull=false', () => {
    expect(blocklistLinks(entries, NOW, urlOf, { community: false, classes: true }).map((l) => l.name)).not.toContain('quorum-community-ip');
    expect(blocklistLinks(entries, NOW, urlOf, { community: true, classes: false }).map((l) => l.name)).toEqual(['quorum-community-ip', 'quorum-community-range']);
  });

  it('parses only the names it hands out, and selects their entries', () => {
    const id = parseListName('quorum-crowdsecurity/ssh-bf-ip');
    expect(id).toEqual({ list: 'crowdsecurity/ssh-bf', scope: 'ip' });
    expect(listName({ list: 'crowdsecurity/ssh-bf', scope: 'ip' })).toBe('quorum-crowdsecurity/ssh-bf-ip');
    expect(entries.filter((e) => id && listContains(id, e)).map((e) => e.value)).toEqual(['185.1.1.1', '185.1.1.2', '185.1.1.4']);
    const community = parseListName('quorum-community-range');
    expect(entries.filter((e) => community && listContains(community, e)).map((e) => e.value)).toEqual(['2a01:db8:1:2::/64']);
    for (const bad of ['quorum-a/b/c-ip', 'quorum-ssh-bf-v6', 'other-community-ip', 'quorum--ip', 'quorum-a b-ip']) expect(parseListName(bad)).toBeNull();
  });
});
