import * as dns from 'dns-packet';
import type { AppConfig } from '../config/app-config.js';
import type { IpAnswer } from '../lookup/answer/ip-answer.js';
import type { LookupIndexService } from '../lookup/index/lookup-index.service.js';
import type { ApiKeyPrincipal } from '../lookup/keys/api-key-cache.js';
import type { ApiKeysService } from '../lookup/keys/api-keys.service.js';
import type { LookupService } from '../lookup/lookup.service.js';
import { DnsblAnswerer, EDNS_UDP_SIZE } from './dnsbl-answerer.js';

const ZONE = 'bl.example.net';
const principal: ApiKeyPrincipal = { kind: 'apiKey', apiKeyId: 'k', organizationId: 'o', scopes: ['lookup'], planId: 'pro' };

/** An answer whose TXT is long (many behaviours), so the response outgrows 512 bytes. */
const longAnswer = (ip: string): IpAnswer => ({
  ip,
  classification: 'malicious',
  reputation: 'malicious',
  evidence: 'trusted',
  score: 95,
  confidence: 'high',
  listed: true,
  listedUntil: null,
  neverList: null,
  benign: null,
  reserved: null,
  behaviours: Array.from({ length: 30 }, (_, i) => `Behaviour number ${i} in plain words`),
});

function answerer(): DnsblAnswerer {
  const keys = { resolve: () => principal } as unknown as ApiKeysService;
  const lookups = { dns: (_p: ApiKeyPrincipal, ip: { text: string }) => longAnswer(ip.text) } as unknown as LookupService;
  const index = { current: { version: 7 } } as unknown as LookupIndexService;
  const config = { lookup: { dnsblZone: ZONE }, http: { publicUrl: 'https://quorum.example.net' } } as unknown as AppConfig;
  return new DnsblAnswerer(keys, lookups, index, config);
}

const query = (opt: Partial<dns.OptAnswer> | null) =>
  dns.encode({
    id: 9,
    type: 'query',
    flags: dns.RECURSION_DESIRED,
    questions: [{ name: `7.113.0.203.Key_1.${ZONE}`, type: 'TXT', class: 'IN' }],
    additionals: opt ? [{ name: '.', type: 'OPT', udpPayloadSize: 4096, extendedRcode: 0, ednsVersion: 0, flags: 0, flag_do: false, options: [], ...opt }] : [],
  });

describe('DNSBL answers over UDP, TCP and EDNS', () => {
  it('truncates a UDP answer past 512 bytes without EDNS (TC, no records), so the client retries over TCP', () => {
    const out = answerer().respond(query(null)) as Buffer;
    const packet = dns.decode(out);
    expect(out.length).toBeLessThanOrEqual(512);
    expect(packet.flag_tc).toBe(true);
    expect(packet.answers).toEqual([]);
    expect(packet.additionals).toEqual([]);
  });

  it('sends the whole answer over TCP, and over UDP within the EDNS size of the query', () => {
    const tcp = answerer().respond(query(null), 'tcp') as Buffer;
    expect(tcp.length).toBeGreaterThan(512);
    expect(dns.decode(tcp).flag_tc).toBe(false);
    const edns = dns.decode(answerer().respond(query({ udpPayloadSize: 4096 })) as Buffer);
    expect(edns.flag_tc).toBe(false);
    expect(edns.answers).toHaveLength(1);
    expect(edns.additionals).toEqual([expect.objectContaining({ type: 'OPT', udpPayloadSize: EDNS_UDP_SIZE, ednsVersion: 0 })]);
    // A small EDNS size still truncates (and keeps the OPT record).
    const small = dns.decode(answerer().respond(query({ udpPayloadSize: 600 })) as Buffer);
    expect([small.flag_tc, small.answers, small.additionals?.length]).toEqual([true, [], 1]);
  });

  it('answers BADVERS to EDNS versions above 0 and FORMERR to two OPT records', () => {
    const bad = dns.decode(answerer().respond(query({ ednsVersion: 1 })) as Buffer);
    expect(bad.answers).toEqual([]);
    expect(bad.additionals).toEqual([expect.objectContaining({ type: 'OPT', extendedRcode: 1 })]);
    const two = Buffer.from(query({}));
    const opt = two.subarray(two.length - 11);
    const doubled = Buffer.concat([two, opt]);
    doubled.writeUInt16BE(2, 10);
    expect((dns.decode(answerer().respond(doubled) as Buffer) as { rcode?: string }).rcode).toBe('FORMERR');
  });
});
