import { parseQueryName, queryNameOf } from './query-name.js';

const ZONE = 'bl.example.net';

describe('DNSBL query names', () => {
  it('reads reversed IPv4 and nibble IPv6 names with the key label, zone case-insensitively', () => {
    expect(parseQueryName(`7.113.0.203.qk_Key.${ZONE}`, ZONE)).toEqual({ kind: 'address', key: 'qk_Key', ip: expect.objectContaining({ text: '203.0.113.7' }) });
    expect(parseQueryName(`7.113.0.203.qk_Key.BL.Example.NET.`, ZONE)).toEqual(expect.objectContaining({ kind: 'address', key: 'qk_Key' }));
    const v6 = queryNameOf('2001:db8::1', `k.${ZONE}`);
    expect(v6.startsWith('1.0.0.0.0.0.0.0.')).toBe(true);
    expect(parseQueryName(v6, ZONE)).toEqual({ kind: 'address', key: 'k', ip: expect.objectContaining({ text: '2001:db8::1' }) });
  });

  it('tells outside, apex and malformed names apart', () => {
    expect(parseQueryName('7.113.0.203.k.example.org', ZONE)).toEqual({ kind: 'outside' });
    expect(parseQueryName(`x${ZONE}`, ZONE)).toEqual({ kind: 'outside' });
    expect(parseQueryName(`${ZONE}.`, ZONE)).toEqual({ kind: 'apex' });
    for (const name of [`113.0.203.k.${ZONE}`, `07.113.0.203.k.${ZONE}`, `256.113.0.203.k.${ZONE}`, `${'g.'.repeat(32)}k.${ZONE}`]) {
      expect([name, parseQueryName(name, ZONE)]).toEqual([name, { kind: 'malformed', key: 'k' }]);
    }
  });
});
