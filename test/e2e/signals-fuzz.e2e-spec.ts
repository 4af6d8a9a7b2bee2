// Property-style fuzzing of POST /v1/signals (seeded, reproducible: FUZZ_SEED=<n> to replay a run).
// Every generated case carries its expected outcome, built from the spec rather than from the server:
// malformed requests are refused whole (4xx) and store nothing; structurally valid batches answer 200
// and store exactly the items whose target is a valid, routable address.
import { sign } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { signalsMessage } from '../../src/agents/signed-messages.js';
import { createOrganization, enrollAgent, nonce, type TestAgent } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { SeededRng as Rng } from '../support/seeded-rng.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261125);
const JUNK_CASES = 1500;
const IP_BATCHES = 380;
const ODD_BATCHES = 150;

type IpOutcome = 'ok' | 'invalid_ip' | 'reserved_target';
interface IpCase {
  text: string;
  expect: IpOutcome;
}

// Spec oracle: IPv4 blocks that must never be listed (IANA special-purpose + multicast + 240/4), and the
// globally reachable exceptions inside them.
const V4_BLOCKED: ReadonlyArray<readonly [number, number]> = (
  [
    ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['127.0.0.0', 8], ['169.254.0.0', 16], ['172.16.0.0', 12],
    ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.88.99.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15],
    ['198.51.100.0', 24], ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
  ] as const
).map(([a, p]) => [v4Value(a), p] as const);
const V4_REACHABLE_INSIDE = new Set(['192.0.0.9', '192.0.0.10']);
const V4_EDGES = [
  '0.255.255.255', '1.0.0.0', '9.255.255.255', '11.0.0.0', '100.63.255.255', '100.64.0.0', '100.127.255.255', '100.128.0.0',
  '126.255.255.255', '128.0.0.0', '169.253.255.255', '169.255.0.0', '172.15.255.255', '172.32.0.0', '192.0.0.8', '192.0.0.9',
  '192.0.0.10', '192.0.0.170', '192.0.1.0', '192.31.196.1', '192.52.193.1', '192.88.98.255', '192.175.48.1', '198.17.255.255',
  '198.20.0.0', '223.255.255.255', '224.0.0.0', '239.255.255.255', '255.255.255.255',
];

function v4Value(text: string): number {
  return text.split('.').reduce((v, o) => v * 256 + Number(o), 0);
}
function v4Text(v: number): string {
  return `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
}
function v4Class(v: number): IpOutcome {
  if (V4_REACHABLE_INSIDE.has(v4Text(v))) return 'ok';
  return V4_BLOCKED.some(([base, p]) => Math.floor(v / 2 ** (32 - p)) === Math.floor(base / 2 ** (32 - p))) ? 'reserved_target' : 'ok';
}
const hex = (w: number, rng: Rng): string => {
  const h = w.toString(16);
  return rng.chance(0.2) ? h.padStart(4, '0').toUpperCase() : h;
};

/** Valid text for 8 words: full or `::`-compressed, optionally with the last 32 bits as a dotted quad. */
function renderV6(words: number[], rng: Rng): string {
  const dotted = rng.chance(0.2);
  const n = dotted ? 6 : 8;
  const groups = words.slice(0, n).map((w) => hex(w, rng));
  const tail = dotted ? [v4Text(((words[6] << 16) | words[7]) >>> 0)] : [];
  const zeros = groups.map((g, i) => (/^0+$/.test(g) ? i : -1)).filter((i) => i >= 0);
  if (zeros.length === 0 || rng.chance(0.3)) return [...groups, ...tail].join(':');
  let start = rng.pick(zeros);
  let end = start;
  while (end + 1 < n && /^0+$/.test(groups[end + 1])) end++;
  while (start > 0 && /^0+$/.test(groups[start - 1]) && rng.chance(0.5)) start--;
  const left = groups.slice(0, start).join(':');
  const right = [...groups.slice(end + 1), ...tail].join(':');
  return `${left}::${right}`;
}

function randomWords(rng: Rng, first: number): number[] {
  return [first, ...Array.from({ length: 7 }, () => (rng.chance(0.3) ? 0 : rng.int(0x10000)))];
}

function validIp(rng: Rng): IpCase {
  const roll = rng.int(10);
  if (roll <= 2) {
    const v = rng.int(2 ** 32);
    return { text: v4Text(v), expect: v4Class(v) };
  }
  if (roll === 3) {
    const text = rng.pick(V4_EDGES);
    return { text, expect: v4Class(v4Value(text)) };
  }
  if (roll === 4) {
    const [base, p] = rng.pick(V4_BLOCKED);
    const v = base + rng.int(2 ** (32 - p));
    return { text: v4Text(v), expect: v4Class(v) };
  }
  if (roll <= 6) {
    const first = rng.pick([0x2400, 0x2600, 0x2800, 0x2a00, 0x2c00]) + rng.int(16);
    return { text: renderV6(randomWords(rng, first), rng), expect: 'ok' };
  }
  if (roll === 7) {
    const kind = rng.int(7);
    const first = [0xfe80 + rng.int(0x40), 0xfc00 + rng.int(0x200), 0xff00 + rng.int(0x100), 0x2001, 0x4000 + rng.int(0x1f00), 0x5f00, 0x0001 + rng.int(0x63)][kind];
    const words = randomWords(rng, first);
    if (kind === 3) words[1] = rng.pick([0x0db8, 0x0000]); // documentation, Teredo
    return { text: renderV6(words, rng), expect: 'reserved_target' };
  }
  // IPv6 forms that embed an IPv4 address take that address's class.
  const v = rng.chance(0.5) ? rng.int(2 ** 32) : (([base, p]) => base + rng.int(2 ** (32 - p)))(rng.pick(V4_BLOCKED));
  const words = [0, 0, 0, 0, 0, 0xffff, v >>> 16, v & 0xffff];
  if (roll === 8) {
    const mapped = renderV6(words, rng);
    return { text: rng.chance(0.5) ? mapped : `::${rng.pick(['ffff', 'FFFF'])}:${v4Text(v)}`, expect: v4Class(v) };
  }
  if (rng.chance(0.5)) return { text: `64:ff9b::${rng.chance(0.5) ? v4Text(v) : `${hex(v >>> 16, rng)}:${hex(v & 0xffff, rng)}`}`, expect: v4Class(v) };
  return { text: renderV6([0x2002, v >>> 16, v & 0xffff, rng.int(0x10000), 0, 0, 0, 1 + rng.int(0xffff)], rng), expect: v4Class(v) };
}

// A NUL anywhere refuses the whole batch (400 invalid_characters, test/e2e/hostile-input.e2e-spec.ts), so
// the per-item control-character case uses U+0001.
const FIXED_IPS: readonly IpCase[] = [
  ['::', 'reserved_target'], ['::1', 'reserved_target'], ['::0.0.0.1', 'reserved_target'], ['1:2:3:4:5:6:7:8', 'reserved_target'],
  ['::ffff:127.0.0.1', 'reserved_target'], ['::ffff:8.8.8.8', 'ok'], ['::FFFF:8.8.8.8', 'ok'], ['64:ff9b::8.8.8.8', 'ok'],
  ['64:ff9b::10.0.0.1', 'reserved_target'], ['64:ff9b:1::1', 'reserved_target'], ['2002:808:808::1', 'ok'],
  ['2002:c000:204::1', 'reserved_target'], ['2001:4:112::1', 'ok'], ['2001::1', 'reserved_target'], ['2001:db8::1', 'reserved_target'],
  ['ff02::1', 'reserved_target'], ['100::1', 'reserved_target'], ['2A00::ABCD', 'ok'], ['fe80::1%eth0', 'invalid_ip'],
  ['[2a00::1]', 'invalid_ip'], ['2a00::1::2', 'invalid_ip'], ['1.2.3.4.5', 'invalid_ip'], ['localhost', 'invalid_ip'],
  ['1.1', 'invalid_ip'], ['127.1', 'invalid_ip'], ['0x7f000001', 'invalid_ip'], ['2130706433', 'invalid_ip'], ['1.2.3.4 ', 'invalid_ip'],
  ['\u0661.\u0662.\u0663.\u0664', 'invalid_ip'], ['８.８.８.８', 'invalid_ip'], ['a'.repeat(64), 'invalid_ip'], ['1.2.3.4\u0001', 'invalid_ip'],
  ['::ffff:01.2.3.4', 'invalid_ip'], ['2a00::g', 'invalid_ip'], [':', 'invalid_ip'], [':::', 'invalid_ip'], ['1::', 'reserved_target'],
  ['2a00:0:0:0:0:0:0:0:1', 'invalid_ip'], ['02a00::1', 'invalid_ip'], ['185.220.101.4/32', 'invalid_ip'], ['185.220.101.4:80', 'invalid_ip'],
].map(([text, expect]) => ({ text, expect: expect as IpOutcome }));

function invalidV4(rng: Rng): string {
  const octets = v4Text(rng.int(2 ** 32)).split('.');
  const k = rng.int(4);
  switch (rng.int(8)) {
    case 0: octets[k] = `0${octets[k]}`; break;
    case 1: octets[k] = String(rng.range(256, 99999)); break;
    case 2: octets.splice(k, 1); break;
    case 3: octets.splice(k, 0, String(rng.int(256))); break;
    case 4: octets[k] = rng.pick(['', ' 1', '+1', '-1', '0x1', '1e1', 'a', '\u0661', '1 ']); break;
    case 5: return `${octets.join('.')}${rng.pick(['.', ':80', '/32', ' ', '\n', '%0'])}`;
    case 6: return `${rng.pick(['.', ' ', '\t', '::ffff:0'])}${octets.join('.')}`;
    default: return octets.join(rng.pick([',', '..', ' . ', '·']));
  }
  return octets.join('.');
}

function invalidV6(rng: Rng): string {
  const words = randomWords(rng, 0x2a00 + rng.int(16));
  const full = words.map((w) => w.toString(16));
  switch (rng.int(8)) {
    case 0: return `${renderV6(words, rng)}%${rng.pick(['eth0', '1', 'lo'])}`;
    case 1: return `[${renderV6(words, rng)}]`;
    case 2: return full.slice(0, rng.range(1, 7)).join(':');
    case 3: return [...full, hex(rng.int(0x10000), rng)].join(':');
    case 4: full[rng.int(8)] = rng.int(0x10000).toString(16).padStart(5, '0'); return full.join(':');
    case 5: return rng.chance(0.5) ? `${full.join(':')}:` : `:${full.join(':')}`;
    case 6: {
      const s = renderV6(words, rng);
      const digits = [...s].flatMap((c, i) => (/[0-9a-f]/i.test(c) ? [i] : []));
      const at = rng.pick(digits);
      return `${s.slice(0, at)}${rng.pick(['g', 'G', 'x', ' ', 'ı'])}${s.slice(at + 1)}`;
    }
    default: return renderV6(words, rng).replace(/::|:/, ':::');
  }
}

function ipCase(rng: Rng): IpCase {
  const roll = rng.int(20);
  if (roll < 2) return rng.pick(FIXED_IPS);
  if (roll < 5) return { text: invalidV4(rng), expect: 'invalid_ip' };
  if (roll < 8) return { text: invalidV6(rng), expect: 'invalid_ip' };
  return validIp(rng);
}

describe(`signals fuzzing (FUZZ_SEED=${SEED})`, () => {
  let t: TestApp;
  let agents: TestAgent[];
  let owner: string;

  beforeAll(async () => {
    t = await createTestApp({
      QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '10000',
      QUORUM_SIGNALS_MAX_PER_DAY: '100000000',
      QUORUM_SIGNALS_MAX_TARGETS_PER_DAY: '10000000',
      QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000',
    });
    const { organizationId, enrollKey } = await createOrganization(t.app, 'Fuzz');
    agents = [await enrollAgent(t.app, enrollKey, 'fuzz-a'), await enrollAgent(t.app, enrollKey, 'fuzz-b')];
    owner = (await t.app.get(ReporterIdentityService).identify(organizationId, agents[0].id)).owner;
  });
  afterAll(async () => t.close());

  const storedUuids = async (): Promise<string[]> =>
    (await sql<{ uuid: string | null }>(t.config.database.url, 'SELECT uuid FROM signal WHERE owner = $1', [owner])).map((r) => r.uuid ?? '');

  async function send(agent: TestAgent, payload: Buffer, headers: Record<string, string> = {}, wire?: Buffer) {
    const sentAt = new Date().toISOString();
    const n = nonce();
    const signature = sign(null, signalsMessage(agent.id, sentAt, n, payload), agent.privateKey).toString('base64');
    return t.app.inject({
      method: 'POST',
      url: '/v1/signals',
      headers: {
        authorization: `Bearer ${agent.token}`,
        'content-type': 'application/json',
        'x-quorum-sent-at': sentAt,
        'x-quorum-nonce': n,
        'x-quorum-signature': signature,
        ...headers,
      },
      payload: wire ?? (headers['content-encoding'] ? gzipSync(payload) : payload),
    });
  }

  it('refuses a few thousand malformed bodies whole with a 4xx and stores nothing', async () => {
    const rng = new Rng(SEED);
    const before = (await storedUuids()).length;
    const failures: string[] = [];
    for (let i = 0; i < JUNK_CASES; i++) {
      const c = junkCase(rng);
      const res = await send(agents[i % 2], c.payload, c.headers, c.wire);
      if (res.statusCode !== c.status) failures.push(`#${i} ${c.what}: expected ${c.status}, got ${res.statusCode} ${res.body.slice(0, 200)} for ${c.payload.toString('utf8').slice(0, 200)}`);
    }
    expect(failures.slice(0, 10)).toEqual([]);
    expect((await storedUuids()).length).toBe(before);
  });

  it('answers 200 to structurally valid batches of random targets and stores exactly the routable items', async () => {
    const rng = new Rng(SEED ^ 0x9e3779b9);
    const before = new Set(await storedUuids());
    const expected = new Set<string>();
    const sentByAgent = agents.map(() => [] as string[]);
    const failures: string[] = [];
    let serial = 0;
    for (let b = 0; b < IP_BATCHES; b++) {
      const a = b % agents.length;
      const now = Date.now();
      const items: Record<string, unknown>[] = [];
      const want: Array<[number, string]> = [];
      const acceptedHere: string[] = [];
      const size = rng.chance(0.05) ? rng.range(100, 250) : rng.range(1, 30);
      for (let i = 0; i < size; i++) {
        const ip = ipCase(rng);
        const uuid = `fz-${SEED}-${serial++}`;
        const item: Record<string, unknown> = {
          ip: ip.text,
          scenario: rng.pick(['crowdsecurity/ssh-bf', 'acme/http-probing', 'x/y']),
          started_at: new Date(now - 60_000).toISOString(),
          stopped_at: new Date(now - 1_000).toISOString(),
          uuid,
        };
        if (rng.chance(0.3)) item.scenario_version = rng.pick(['1.0', 'v2', '2026.11.25-rc1']);
        if (rng.chance(0.2)) item.scenario_hash = 'ab'.repeat(32);
        let reason: string | null = ip.expect === 'ok' ? null : ip.expect;
        if (reason === null) reason = semanticDefect(rng, item, now, acceptedHere, sentByAgent[a]);
        if (reason === null && rng.chance(0.1)) item.labels = { service: 'ssh', port: rng.int(65536) };
        items.push(item);
        if (reason === null) {
          acceptedHere.push(item.uuid as string);
          expected.add(item.uuid as string);
        } else {
          want.push([i, reason]);
        }
      }
      const res = await send(agents[a], Buffer.from(JSON.stringify({ signals: items })));
      sentByAgent[a].push(...acceptedHere);
      const body = res.statusCode === 200 ? (res.json() as { accepted: number; rejected: Array<{ index: number; reason: string }> }) : null;
      const got = (body?.rejected ?? []).map((r) => `${r.index} ${r.reason}`);
      const wanted = want.map(([i, r]) => `${i} ${r}`);
      if (!body || body.accepted !== acceptedHere.length || got.join() !== wanted.join()) {
        const differing = [...wanted.filter((w) => !got.includes(w)).map((w) => `want ${w}`), ...got.filter((g) => !wanted.includes(g)).map((g) => `got ${g}`)]
          .slice(0, 5)
          .map((d) => `[${d}: ${JSON.stringify(items[Number(d.split(' ')[1])] ?? null)}]`);
        failures.push(`batch ${b}: ${res.statusCode} accepted ${body?.accepted} (want ${acceptedHere.length}) ${differing.join(' ')} ${body ? '' : res.body.slice(0, 200)}`);
      }
    }
    expect(failures.slice(0, 10)).toEqual([]);
    const stored = (await storedUuids()).filter((u) => !before.has(u));
    expect(stored.length).toBe(expected.size);
    expect(new Set(stored)).toEqual(expected);
  });

  it('never answers 5xx to odd but JSON-legal strings, and stores them exactly as sent or not at all', async () => {
    const rng = new Rng(SEED ^ 0x5bd1e995);
    const failures: string[] = [];
    for (let b = 0; b < ODD_BATCHES; b++) {
      const now = Date.now();
      const items = Array.from({ length: rng.range(1, 4) }, (_, i) => ({
        ip: `185.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
        scenario: 'crowdsecurity/ssh-bf',
        started_at: new Date(now - 60_000).toISOString(),
        stopped_at: new Date(now - 1_000).toISOString(),
        uuid: `odd-${SEED}-${b}-${i}`,
        ...(rng.chance(0.5) ? { scenario_version: oddString(rng, 32) } : { labels: { [rng.pick(['service', 'behavior'])]: oddString(rng, 64) } }),
      }));
      const res = await send(agents[b % 2], Buffer.from(JSON.stringify({ signals: items })));
      const sent = items.map((item) => ('scenario_version' in item ? item.scenario_version : Object.values(item.labels ?? {})[0]));
      if (res.statusCode >= 400 && res.statusCode < 500) {
        const rows = await sql(t.config.database.url, 'SELECT uuid FROM signal WHERE uuid = ANY($1)', [items.map((i) => i.uuid)]);
        if (rows.length > 0) failures.push(`batch ${b}: ${res.statusCode} but ${rows.length} rows stored`);
        continue;
      }
      if (res.statusCode !== 200) {
        failures.push(`batch ${b}: ${res.statusCode} ${res.body.slice(0, 120)} for ${JSON.stringify(sent)}`);
        continue;
      }
      const rows = await sql<{ uuid: string; text: string | null }>(
        t.config.database.url,
        `SELECT uuid, coalesce(scenario_version, labels->>'service', labels->>'behavior') AS text FROM signal WHERE uuid = ANY($1)`,
        [items.map((i) => i.uuid)],
      );
      const rejected = new Set((res.json() as { rejected: Array<{ index: number }> }).rejected.map((r) => r.index));
      items.forEach((item, i) => {
        const row = rows.find((r) => r.uuid === item.uuid);
        if (rejected.has(i) ? row !== undefined : row?.text !== sent[i]) {
          failures.push(`batch ${b} item ${i}: sent ${JSON.stringify(sent[i])}, stored ${row ? JSON.stringify(row.text) : 'nothing'}${rejected.has(i) ? ' although rejected' : ''}`);
        }
      });
    }
    expect(failures.slice(0, 10)).toEqual([]);
  });
});

const ODD_CHUNKS = ['\u0000', '\ud800', '\udfff', '\ud83d\ude00', '\u0007', '\u001b[31m', '\u202e', '\u200b', '\ufffe', '\uffff', '\u00e9', "'; --", '%s%n', '\\', '"', '\n'];

/** 1..max UTF-16 units mixing plain text with NUL, lone surrogates, controls, BiDi and non-characters. */
function oddString(rng: Rng, max: number): string {
  let s = '';
  while (s.length === 0 || (s.length < max && rng.chance(0.6))) s += rng.chance(0.5) ? rng.pick(ODD_CHUNKS) : rng.ascii(rng.range(1, 4));
  return s.slice(0, max);
}

const BAD_LABEL_KEYS = ['password', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__proto__', 'Service', 'port ', 'isPrototypeOf'];

/** Makes a routable item fail one per-item rule (or leaves it valid); returns the expected reason. */
function semanticDefect(rng: Rng, item: Record<string, unknown>, now: number, acceptedHere: string[], sentBefore: string[]): string | null {
  const day = 86_400_000;
  switch (rng.int(16)) {
    case 0:
      item.started_at = new Date(now - 62 * day).toISOString();
      item.stopped_at = new Date(now - 61 * day).toISOString();
      return 'too_old';
    case 1:
      item.started_at = new Date(now + 10 * 60_000).toISOString();
      item.stopped_at = new Date(now + 11 * 60_000).toISOString();
      return 'in_future';
    case 2:
      item.started_at = new Date(now - 1_000).toISOString();
      item.stopped_at = new Date(now - 60_000).toISOString();
      return 'invalid_time_range';
    case 3: {
      const key = rng.pick(BAD_LABEL_KEYS);
      item.labels = JSON.parse(`{${JSON.stringify(key)}: "x"}`);
      return 'label_not_allowed';
    }
    case 4:
      item.labels = { port: rng.pick([70000, -1, 1.5, '22']) };
      return 'label_not_allowed';
    case 5:
      if (acceptedHere.length === 0) return null;
      item.uuid = rng.pick(acceptedHere);
      return 'duplicate_uuid';
    case 6:
      if (sentBefore.length === 0) return null;
      item.uuid = rng.pick(sentBefore);
      return 'duplicate_uuid';
    case 7:
      // stale (older than the consensus window) is still stored, with weight 0
      item.started_at = new Date(now - 3 * day).toISOString();
      item.stopped_at = new Date(now - 2 * day).toISOString();
      return null;
    default:
      return null;
  }
}

interface JunkCase {
  what: string;
  payload: Buffer;
  headers?: Record<string, string>;
  /** bytes on the wire when they are not the signed payload (corrupt compression) */
  wire?: Buffer;
  status: number;
}

function validItem(rng: Rng): Record<string, unknown> {
  const now = Date.now();
  return {
    ip: `185.${rng.int(256)}.${rng.int(256)}.${1 + rng.int(254)}`,
    scenario: 'crowdsecurity/ssh-bf',
    started_at: new Date(now - 60_000).toISOString(),
    stopped_at: new Date(now - 1_000).toISOString(),
    uuid: `junk-${rng.int(1e9)}`,
  };
}

const KNOWN_FIELDS = ['ip', 'range', 'scope', 'scenario', 'scenario_version', 'scenario_hash', 'started_at', 'stopped_at', 'uuid', 'labels'];
const WRONG_VALUES: Record<string, readonly unknown[]> = {
  ip: [42, true, [], {}, null, '', 'x'.repeat(65), ['1.2.3.4'], { v: '1.2.3.4' }],
  scenario: [42, '', 'noslash', 'a/b/c', 'a b/c', 'é/x', `${'x'.repeat(65)}/y`, `x/${'y'.repeat(97)}`, '/x', 'x/', null, ['a/b']],
  scenario_version: [42, true, [], {}, '', 'v'.repeat(33)],
  scenario_hash: ['zz'.repeat(32), 'a'.repeat(63), 'a'.repeat(65), 42, ''],
  uuid: ['has space', 'x'.repeat(65), '', 42, 'ü', 'a/b', '{}', true],
  started_at: [42, 1764000000000, 'yesterday', '2026-01-01', '2026-01-01 00:00:00Z', '2026-01-01T00:00:00', '2026-13-01T00:00:00Z', '2026-01-01T25:00:00Z', null, {}],
  stopped_at: ['now', '2026-01-32T00:00:00Z', '2026-01-01T00:00:00+25:00', '', []],
  labels: [[], 'ssh', 42, true, Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])), { service: {} }, { service: [] }, { service: true }, { service: null }, { service: 'x'.repeat(65) }],
  scope: ['IP', 'cidr', 1, true, [], 'range'],
};

/** A structural defect in one item: the whole batch is malformed. */
function breakItem(rng: Rng, item: unknown): unknown {
  if (typeof item !== 'object' || item === null || Array.isArray(item)) return item;
  const roll = rng.int(14);
  if (roll === 0) return rng.pick([42, 'x', null, [], true, [item]]);
  const fields = item as Record<string, unknown>;
  if (roll === 1) {
    delete fields[rng.pick(['ip', 'scenario', 'started_at', 'stopped_at'])];
    return item;
  }
  if (roll === 2) {
    const key = rng.pick(['color', 'IP', 'Scenario', 'decisions', 'uuid ', '', 'ip\u0000', rng.ascii(rng.range(1, 12))]);
    fields[KNOWN_FIELDS.includes(key) ? `_${key}` : key] = rng.pick([1, 'x', null, {}]);
    return item;
  }
  if (roll === 3) {
    fields.scope = 'ip';
    fields.range = '185.1.2.0/24';
  } else if (roll === 4) {
    fields.labels = { service: nested(rng.range(2, 200)) };
  } else {
    const field = rng.pick(Object.keys(WRONG_VALUES));
    fields[field] = rng.pick(WRONG_VALUES[field]);
  }
  return item;
}

function nested(depth: number): unknown {
  let v: unknown = 'x';
  for (let i = 0; i < depth; i++) v = [v];
  return v;
}

function junkCase(rng: Rng): JunkCase {
  const items = Array.from({ length: rng.range(1, 6) }, () => validItem(rng));
  const valid = JSON.stringify({ signals: items });
  const text = (what: string, s: string, status = 400): JunkCase => ({ what, payload: Buffer.from(s, 'utf8'), status });
  const roll = rng.int(100);
  if (roll < 8) return { what: 'random bytes', payload: rng.bytes(rng.int(300)), status: 400 };
  if (roll < 14) return text('random text', rng.ascii(rng.int(200)));
  if (roll < 22) return text('truncated JSON', valid.slice(0, rng.range(1, valid.length - 1)));
  if (roll < 25) return text('trailing garbage', `${valid}${rng.pick(['x', ',', '}', '{}', ']', 'null', '\u0000'])}`);
  if (roll < 26) return text('byte order mark', `\ufeff${valid}`);
  if (roll < 30) return text('not an object', JSON.stringify(rng.pick([null, 1, 'signals', true, [], items, [valid], 1e308])));
  if (roll < 34) return text('signals of the wrong type', JSON.stringify({ signals: rng.pick(['all', 1, null, {}, { 0: items[0] }, true]) }));
  if (roll < 35) return text('no signals', rng.pick(['{"signals":[]}', '{}']));
  if (roll < 39) return text('unknown top-level field', valid.replace('{', `{${JSON.stringify(rng.pick(['__proto__', 'constructor', 'Signals', 'extra', '']))}:{},`));
  if (roll < 40) return text('duplicate key', valid.replace(/}$/, ',"signals":"x"}'));
  if (roll < 41) return text('number overflow', valid.replace('"uuid"', '"labels":{"port":1e400},"uuid"'));
  if (roll < 42) {
    const depth = rng.range(1000, 50_000);
    return text('deep nesting', rng.chance(0.5) ? `${'['.repeat(depth)}${']'.repeat(depth)}` : `{"signals":${'['.repeat(depth)}${']'.repeat(depth)}}`);
  }
  if (roll < 43 && rng.chance(0.3)) {
    return { what: 'too many signals', payload: Buffer.from(JSON.stringify({ signals: Array.from({ length: 251 }, () => validItem(rng)) })), status: 400 };
  }
  if (roll < 44 && rng.chance(0.2)) return text('over the body limit', `{"signals":["${'a'.repeat(1_100_000)}"]}`, 413);
  if (roll < 47) {
    const type = rng.pick(['text/plain', 'application/x-www-form-urlencoded', 'application/xml', 'application/jsonx', 'multipart/form-data; boundary=x']);
    return { what: `content type ${type}`, payload: Buffer.from(valid), headers: { 'content-type': type }, status: 415 };
  }
  if (roll < 49) return { what: 'unsupported encoding', payload: Buffer.from(valid), headers: { 'content-encoding': rng.pick(['br', 'compress', 'zstd']) }, status: 415 };
  if (roll < 50) {
    const gz = gzipSync(Buffer.from(valid));
    const wire = rng.chance(0.5) ? rng.bytes(rng.int(64)) : gz.subarray(0, rng.int(gz.length - 4));
    return { what: 'corrupt gzip', payload: Buffer.from(valid), headers: { 'content-encoding': 'gzip' }, wire, status: 400 };
  }
  if (roll < 52) {
    const broken = items.map((item) => breakItem(rng, item));
    return { what: 'gzip, item defect', payload: Buffer.from(JSON.stringify({ signals: broken })), headers: { 'content-encoding': 'gzip' }, status: 400 };
  }
  // Each chosen item gets exactly one defect (two could cancel out, e.g. scope "range" then a range).
  const first = rng.int(items.length);
  const broken: unknown[] = items.map((item, i) => (i === first || rng.chance(0.2) ? breakItem(rng, item) : item));
  return text('item defect', JSON.stringify({ signals: broken }));
}
