import { bouncerFilterAccepts, formatBouncer, formatV2, formatV3, parseBouncerFilter } from './decision-formats.js';
import type { ListedDecision } from './decision-stream.js';

const NOW = new Date('2026-11-25T12:00:00Z');
const a: ListedDecision = { value: '185.1.2.3', scope: 'ip', scenarioClass: 'ssh', until: new Date(NOW.getTime() + 90 * 60_000 + 5_500), addedInVersion: 4 };
const b: ListedDecision = { value: '185.9.0.0/24', scope: 'range', scenarioClass: 'http-probing', until: new Date(NOW.getTime() - 3_000), addedInVersion: 2 };

describe('CrowdSec decision formats', () => {
  it('v2 items always carry origin CAPI, type ban, LAPI scopes and Go durations', () => {
    expect(formatV2({ added: [a], deleted: [b] }, NOW)).toEqual({
      new: [{ duration: '1h30m5s', origin: 'CAPI', scenario: 'ssh', scope: 'Ip', type: 'ban', value: '185.1.2.3' }],
      deleted: [{ duration: '1s', origin: 'CAPI', scenario: 'http-probing', scope: 'Range', type: 'ban', value: '185.9.0.0/24' }],
    });
  });

  it('v3 groups by scenario and scope, deletions by scope, and adds links when given', () => {
    const link = { name: 'quorum-ssh-ip', url: 'http://q/v3/blocklists/quorum-ssh-ip', remediation: 'ban', scope: 'ip', duration: '1h0m0s' };
    expect(formatV3({ added: [a, { ...a, value: '185.1.2.4' }], deleted: [b] }, NOW, [link])).toEqual({
      new: [{ scenario: 'ssh', scope: 'ip', decisions: [{ value: '185.1.2.3', duration: '1h30m5s' }, { value: '185.1.2.4', duration: '1h30m5s' }] }],
      deleted: [{ scope: 'range', decisions: ['185.9.0.0/24'] }],
      links: { blocklists: [link] },
    });
  });

  it('bouncer items have integer ids and negative durations for deletions', () => {
    const body = formatBouncer({ added: [a], deleted: [b] }, NOW);
    expect(Number.isInteger(body.new[0].id)).toBe(true);
    expect(body.deleted[0].duration).toBe('-3s');
  });

  it('bouncer filters default to ip,range and honour origins and scenario substrings', () => {
    expect(parseBouncerFilter({}).scopes).toEqual(['ip', 'range']);
    expect(bouncerFilterAccepts(parseBouncerFilter({ scopes: 'Range' }), a)).toBe(false);
    expect(bouncerFilterAccepts(parseBouncerFilter({ origins: 'crowdsec,cscli' }), a)).toBe(false);
    expect(bouncerFilterAccepts(parseBouncerFilter({ origins: 'CAPI' }), a)).toBe(true);
    expect(bouncerFilterAccepts(parseBouncerFilter({ scenarios_containing: 'SSH' }), a)).toBe(true);
    expect(bouncerFilterAccepts(parseBouncerFilter({ scenarios_not_containing: 'ss' }), a)).toBe(false);
  });
});
