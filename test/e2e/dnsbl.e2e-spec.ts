import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { DnsblServer } from '../../src/dnsbl/dnsbl.server.js';
import { queryNameOf } from '../../src/dnsbl/query-name.js';
import { LookupIndexService } from '../../src/lookup/index/lookup-index.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { LookupPlansService } from '../../src/lookup/plans/lookup-plans.service.js';
import { LookupUsageService } from '../../src/lookup/usage/lookup-usage.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { seedNeverList, seedScores } from '../support/lookup-fixtures.js';
import { waitFor } from '../support/waits.js';

const run = promisify(execFile);
const ZONE = 'bl.quorum.test';
const PUBLIC_URL = 'https://quorum.example.net';
// Addresses used only by this file.
const NET = '45.87.15';
const V6 = '2a01:4f8:78:1';
const SOURCE = 'dnsbl-test';

interface Dig {
  status: string;
  /** `TTL TYPE DATA` of each record (dig's column spacing varies) */
  answers: string[];
  authority: string[];
  /** the OPT record of the response as dig shows it, null without one */
  edns: string | null;
}

/** The DNSBL zone queried with Debian's `dig` over real UDP (scripts/ensure-test-tools.sh installs it). */
describe('DNSBL zone answered to dig', () => {
  let t: TestApp;
  let app: NestFastifyApplication;
  let db: string;
  let port: number;
  let seq = 0;

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_DNSBL_PORT: '0', QUORUM_DNSBL_ZONE: ZONE, PUBLIC_URL, QUORUM_LOOKUP_POLL_MS: '200' });
    app = t.app;
    db = t.config.database.url;
    port = app.get(DnsblServer).port!;
    await waitFor('the lookup index', 30_000, () => app.get(LookupIndexService).ready);
    await sql(
      db,
      `INSERT INTO plan (id, name, burst_per_second, daily_quota, monthly_quota, bulk_size, fields, views)
       VALUES ('test-dnsbl-tiny', 'Test DNSBL tiny', 100, 2, 1000, 0, ARRAY['reporters'], ARRAY['ip']) ON CONFLICT (id) DO NOTHING`,
    );
    await app.get(LookupPlansService).reload();
    await seedScores(app, db, [
      [`${NET}.1`, 6, true, ['crowdsecurity/ssh-bf', 'quorum/http-probing']],
      [`${NET}.2`, 2, false, ['crowdsecurity/wordpress-bf']],
      [`${NET}.3`, 9, true, ['crowdsecurity/ssh-bf']],
      [`${V6}::/64`, 6, true, ['crowdsecurity/mail-bf']],
    ]);
    await seedNeverList(app, db, SOURCE, [
      [`${NET}.3/32`, 'crawler'],
      ['2a01:4f8:78:2::/64', 'resolver'],
    ]);
  });

  afterAll(async () => {
    await sql(db, 'DELETE FROM never_list_entry WHERE source = $1', [SOURCE]);
    await t.close();
    await sql(db, "DELETE FROM organization_plan WHERE plan_id = 'test-dnsbl-tiny'");
    await sql(db, "DELETE FROM plan WHERE id = 'test-dnsbl-tiny'");
  });

  async function keyFor(planId: string, scopes: Array<'lookup' | 'blocklist'> = ['lookup']): Promise<{ key: string; org: string }> {
    const org = (await app.get(OrganizationsService).create(`dnsbl-org-${++seq}-${Date.now()}`)).id;
    await app.get(LookupPlansService).setOrganizationPlan(org, planId);
    const { key } = await app.get(ApiKeysService).create(org, 'dns', scopes, 'test');
    return { key, org };
  }

  /** Runs dig (asynchronously: the server answering it runs in this process). */
  async function dig(name: string, type: 'A' | 'TXT' | 'AAAA' | 'SOA', options: readonly string[] = []): Promise<Dig> {
    const { stdout } = await run('dig', [`@127.0.0.1`, '-p', String(port), '+tries=1', '+time=10', '+noall', '+comments', '+answer', '+authority', ...options, name, type]);
    const status = /status: ([A-Z]+)/.exec(stdout)?.[1] ?? 'none';
    const section = (title: string) => {
      const start = stdout.indexOf(`;; ${title} SECTION:`);
      if (start < 0) return [];
      const lines = stdout.slice(start).split('\n').slice(1);
      const end = lines.findIndex((l) => l.trim() === '' || l.startsWith(';;'));
      return lines.slice(0, end < 0 ? lines.length : end).map((l) => {
        const [, ttl, , type, ...data] = l.trim().split(/\s+/);
        return `${ttl} ${type} ${data.join(' ')}`;
      });
    };
    const edns = /; EDNS: version: (\d+), flags:([^;]*); udp: (\d+)/.exec(stdout);
    return { status, answers: section('ANSWER'), authority: section('AUTHORITY'), edns: edns ? `version ${edns[1]}, flags${edns[2].trimEnd()}, udp ${edns[3]}` : null };
  }

  const txtOf = (d: Dig) => d.answers.map((l) => [...l.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]).join('')).join('');

  it('answers listed (127.0.0.2) and suspicious (127.0.0.3) addresses with a TXT linking to the public page, IPv4 and IPv6', async () => {
    const { key } = await keyFor('pro');
    const suffix = `${key}.${ZONE}`;
    const listed = await dig(queryNameOf(`${NET}.1`, suffix), 'A');
    expect(listed.status).toBe('NOERROR');
    expect(listed.answers).toEqual(['60 A 127.0.0.2']);
    const txt = txtOf(await dig(queryNameOf(`${NET}.1`, suffix), 'TXT'));
    expect(txt).toBe(`Quorum: malicious, score 86, SSH brute force, HTTP vulnerability scanning ${PUBLIC_URL}/ip/${NET}.1`);
    expect((await dig(queryNameOf(`${NET}.2`, suffix), 'A')).answers).toEqual(['60 A 127.0.0.3']);
    const v6 = await dig(queryNameOf(`${V6}::abcd`, suffix), 'A');
    expect(v6.answers).toEqual(['60 A 127.0.0.2']);
    expect(queryNameOf(`${V6}::abcd`, suffix).split('.')).toHaveLength(32 + 1 + ZONE.split('.').length);
    expect(txtOf(await dig(queryNameOf(`${V6}::abcd`, suffix), 'TXT'))).toContain(`${PUBLIC_URL}/ip/${V6}::abcd`);
    // Other types of an existing name: NODATA.
    const aaaa = await dig(queryNameOf(`${NET}.1`, suffix), 'AAAA');
    expect([aaaa.status, aaaa.answers]).toEqual(['NOERROR', []]);
  });

  it('answers benign and reserved addresses with no A record (a naive consumer never refuses them) and a TXT saying why', async () => {
    const { key } = await keyFor('pro');
    const suffix = `${key}.${ZONE}`;
    for (const ip of [`${NET}.3`, '2a01:4f8:78:2::53']) {
      const a = await dig(queryNameOf(ip, suffix), 'A');
      expect([ip, a.status, a.answers]).toEqual([ip, 'NOERROR', []]);
      expect(a.authority).toEqual([expect.stringContaining('SOA')]);
    }
    expect(txtOf(await dig(queryNameOf(`${NET}.3`, suffix), 'TXT'))).toBe(`Quorum: benign (crawler, ${SOURCE}) ${PUBLIC_URL}/ip/${NET}.3`);
    expect(txtOf(await dig(queryNameOf('2a01:4f8:78:2::53', suffix), 'TXT'))).toContain(`benign (resolver, ${SOURCE})`);
    for (const [ip, words] of [
      ['10.1.2.3', 'Private-Use [RFC1918]'],
      ['2001:db8::1', 'Documentation'],
    ]) {
      const a = await dig(queryNameOf(ip, suffix), 'A');
      expect([ip, a.status, a.answers]).toEqual([ip, 'NOERROR', []]);
      const txt = txtOf(await dig(queryNameOf(ip, suffix), 'TXT'));
      expect(txt).toContain('Quorum: reserved address (');
      expect(txt).toContain(words);
    }
  });

  it('answers unknown addresses NXDOMAIN with the SOA, and follows the RFC 5782 test points', async () => {
    const { key } = await keyFor('pro');
    const suffix = `${key}.${ZONE}`;
    for (const ip of [`${NET}.200`, '2a01:4f8:78:3::1']) {
      const res = await dig(queryNameOf(ip, suffix), 'A');
      expect([ip, res.status, res.answers]).toEqual([ip, 'NXDOMAIN', []]);
      expect(res.authority).toEqual([expect.stringMatching(new RegExp(`^60 SOA ns\\.${ZONE.replace(/\./g, '\\.')}\\. hostmaster\\.`))]);
    }
    expect((await dig(`2.0.0.127.${suffix}`, 'A')).answers).toEqual(['60 A 127.0.0.2']);
    expect((await dig(`1.0.0.127.${suffix}`, 'A')).status).toBe('NXDOMAIN');
    expect((await dig(queryNameOf('::ffff:127.0.0.2', suffix), 'A')).answers).toEqual(['60 A 127.0.0.2']);
    expect((await dig(`1.2.3.${suffix}`, 'A')).status).toBe('NXDOMAIN');
    expect((await dig(`256.2.3.4.${suffix}`, 'A')).status).toBe('NXDOMAIN');
    expect((await dig(ZONE, 'SOA')).answers).toEqual([expect.stringContaining(`SOA ns.${ZONE}. hostmaster.${ZONE}.`)]);
  });

  it('refuses names outside the zone, unknown keys and keys without the lookup scope', async () => {
    const { key } = await keyFor('pro');
    const blocklistOnly = await keyFor('pro', ['blocklist']);
    expect((await dig(`1.${NET.split('.').reverse().join('.')}.${key}.example.org`, 'A')).status).toBe('REFUSED');
    expect((await dig(queryNameOf(`${NET}.1`, `qk_AAAAAAAA_unknownunknownunknownunknownun.${ZONE}`), 'A')).status).toBe('REFUSED');
    expect((await dig(queryNameOf(`${NET}.1`, ZONE), 'A')).status).toBe('REFUSED');
    expect((await dig(queryNameOf(`${NET}.1`, `${blocklistOnly.key}.${ZONE}`), 'A')).status).toBe('REFUSED');
    // The key is case-sensitive: a resolver that randomises case cannot be used with it (docs/lookup.md).
    expect((await dig(queryNameOf(`${NET}.1`, `${key.toUpperCase()}.${ZONE}`), 'A')).status).toBe('REFUSED');
    // The zone is not.
    expect((await dig(queryNameOf(`${NET}.1`, `${key}.${ZONE.toUpperCase()}`), 'A')).status).toBe('NOERROR');
  });

  it('answers over TCP (dig +tcp) the same as over UDP, several queries on one connection', async () => {
    const { key } = await keyFor('pro');
    const suffix = `${key}.${ZONE}`;
    expect(app.get(DnsblServer).tcpPort).toBe(port);
    for (const [ip, type] of [[`${NET}.1`, 'A'], [`${NET}.1`, 'TXT'], [`${V6}::abcd`, 'A'], [`${NET}.3`, 'A'], [`${NET}.200`, 'A'], ['10.1.2.3', 'TXT']] as const) {
      const udp = await dig(queryNameOf(ip, suffix), type);
      const tcp = await dig(queryNameOf(ip, suffix), type, ['+tcp']);
      expect([ip, type, tcp.status, tcp.answers, tcp.authority]).toEqual([ip, type, udp.status, udp.answers, udp.authority]);
    }
    expect((await dig(queryNameOf(`${NET}.1`, suffix), 'A', ['+tcp'])).answers).toEqual(['60 A 127.0.0.2']);
    // Several length-prefixed queries written at once on one connection, each answered with its own id.
    const { createConnection } = await import('node:net');
    const dnsPacket = await import('dns-packet');
    const names = [`${NET}.1`, `${NET}.2`, `${NET}.200`].map((ip) => queryNameOf(ip, suffix));
    const answers = await new Promise<Map<number, string>>((resolve, reject) => {
      const socket = createConnection({ host: '127.0.0.1', port });
      const seen = new Map<number, string>();
      let buffered = Buffer.alloc(0);
      socket.on('error', reject);
      socket.on('data', (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        while (buffered.length >= 2 && buffered.length >= 2 + buffered.readUInt16BE(0)) {
          const packet = dnsPacket.decode(buffered.subarray(2, 2 + buffered.readUInt16BE(0)));
          buffered = buffered.subarray(2 + buffered.readUInt16BE(0));
          const rcode = (packet as { rcode?: string }).rcode;
          seen.set(packet.id ?? -1, `${rcode} ${(packet.answers ?? []).map((a) => String((a as { data?: unknown }).data)).join(',')}`);
          if (seen.size === names.length) {
            socket.end();
            resolve(seen);
          }
        }
      });
      socket.write(Buffer.concat(names.map((name, i) => dnsPacket.streamEncode({ id: 100 + i, type: 'query', questions: [{ name, type: 'A', class: 'IN' }] }))));
    });
    expect(answers).toEqual(new Map([[100, 'NOERROR 127.0.0.2'], [101, 'NOERROR 127.0.0.3'], [102, 'NXDOMAIN ']]));
  });

  it('speaks EDNS: an OPT record back (UDP 1232, DO echoed), none without EDNS, BADVERS for a later version', async () => {
    const { key } = await keyFor('pro');
    const name = queryNameOf(`${NET}.1`, `${key}.${ZONE}`);
    expect((await dig(name, 'A')).edns).toBe('version 0, flags, udp 1232');
    expect((await dig(name, 'A', ['+dnssec'])).edns).toBe('version 0, flags do, udp 1232');
    expect((await dig(name, 'A', ['+tcp'])).edns).toBe('version 0, flags, udp 1232');
    const plain = await dig(name, 'A', ['+noedns']);
    expect([plain.edns, plain.answers]).toEqual([null, ['60 A 127.0.0.2']]);
    const later = await dig(name, 'A', ['+edns=1', '+noednsneg']);
    expect([later.status, later.answers, later.edns]).toEqual(['BADVERS', [], 'version 0, flags, udp 1232']);
  });

  it('meters queries like HTTP lookups (reserved space and test points free) and refuses past the quota', async () => {
    const { key, org } = await keyFor('test-dnsbl-tiny');
    const suffix = `${key}.${ZONE}`;
    expect((await dig(queryNameOf('192.168.7.7', suffix), 'TXT')).status).toBe('NOERROR');
    expect((await dig(`2.0.0.127.${suffix}`, 'A')).status).toBe('NOERROR');
    expect((await dig(queryNameOf(`${NET}.1`, suffix), 'A')).answers).toHaveLength(1);
    expect((await dig(queryNameOf(`${NET}.200`, suffix), 'A')).status).toBe('NXDOMAIN');
    // Quota of 2 spent: refused, over DNS and HTTP alike.
    expect((await dig(queryNameOf(`${NET}.1`, suffix), 'A')).status).toBe('REFUSED');
    const http = await app.inject({ method: 'GET', url: `/v1/ip/${NET}.1`, headers: { 'x-api-key': key } });
    expect([http.statusCode, http.json().code]).toEqual([429, 'quota_exhausted']);
    // Reserved space is still answered.
    expect((await dig(queryNameOf('10.0.0.1', suffix), 'TXT')).status).toBe('NOERROR');
    await app.get(LookupUsageService).flush();
    const [{ total }] = await sql<{ total: string }>(db, 'SELECT sum(lookups)::text AS total FROM usage_counter WHERE organization_id = $1', [org]);
    expect(Number(total)).toBe(2);
  });
});
