import * as dns from 'dns-packet';
import { questionBounds, soaRdata, writeResponse } from './response-writer.js';

const ZONE = 'bl.example.net';

describe('DNSBL response writer', () => {
  const query = dns.encode({ id: 4242, type: 'query', flags: dns.RECURSION_DESIRED, questions: [{ name: `7.113.0.203.Key_1.${ZONE}`, type: 'A', class: 'IN' }] });

  it('writes answers and the zone SOA pointing into the query question, readable by dns-packet', () => {
    const bounds = questionBounds(query, 3)!;
    expect(bounds.end).toBe(query.length);
    const soa = { owner: 'zone' as const, type: 'SOA' as const, ttl: 60, rdata: soaRdata(`ns.${ZONE}`, `hostmaster.${ZONE}`, [7, 3600, 600, 86_400, 60]) };
    const txt = { owner: 'question' as const, type: 'TXT' as const, ttl: 60, strings: [Buffer.from('x'.repeat(255)), Buffer.from('tail')] };
    const out = dns.decode(writeResponse(query, bounds, dns.AUTHORITATIVE_ANSWER | 3, [{ owner: 'question', type: 'A', ttl: 60, address: '127.0.0.2' }, txt], [soa]));
    expect(out).toEqual(expect.objectContaining({ id: 4242, type: 'response', flag_aa: true, rcode: 'NXDOMAIN' }));
    expect(out.questions).toEqual([{ name: `7.113.0.203.Key_1.${ZONE}`, type: 'A', class: 'IN' }]);
    expect(out.answers?.[0]).toEqual(expect.objectContaining({ name: `7.113.0.203.Key_1.${ZONE}`, type: 'A', ttl: 60, data: '127.0.0.2' }));
    expect(out.answers?.[1]).toEqual(expect.objectContaining({ type: 'TXT', data: [Buffer.from('x'.repeat(255)), Buffer.from('tail')] }));
    expect(out.authorities?.[0]).toEqual(
      expect.objectContaining({ name: ZONE, type: 'SOA', data: expect.objectContaining({ mname: `ns.${ZONE}`, rname: `hostmaster.${ZONE}`, serial: 7, minimum: 60 }) }),
    );
  });

  it('gives no bounds for names shorter than the zone or truncated packets', () => {
    expect(questionBounds(query, 9)).toBeNull();
    expect(questionBounds(query.subarray(0, query.length - 2), 3)).toBeNull();
  });
});
