// Hostile-input fuzzing of EVERY route of the OpenAPI document (issue 15, "What to build" 4), seeded and
// reproducible (FUZZ_SEED=<n> replays a run). Each operation gets hostile bodies (100,000 levels of
// nesting in ~200 KB, NUL, lone surrogates, huge numbers, wrong types, bodies built from its schema with
// one field broken), hostile path parameters and hostile query parameters, with credentials of the kind
// the route asks for (so guards let the request reach parsing, pipes and handlers). Two properties:
//   - no answer is a 5xx;
//   - no single request blocks the event loop more than 50 ms (a 1 ms timer probe records the longest
//     gap while the request runs, counting only the CPU time the process used in it, see LoopProbe; a
//     request over the bound is replayed up to 3 times and fails only if every run exceeds it).
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LightMyRequestResponse } from 'fastify';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { buildOpenApiDocument } from '../../src/openapi/openapi.js';
import { registerAndLogin } from '../crowdsec/capi-client.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import type { FakeStripe } from '../fakes/stripe/fake-stripe.server.js';
import { startFakeStripe } from '../fakes/stripe/harness.js';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { recreateDatabase } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { SeededRng as Rng } from '../support/seeded-rng.js';
import { testEnv } from '../setup/test-env.js';

const SEED = Number(process.env.FUZZ_SEED ?? 20261207);
const MAX_BLOCK_MS = 50;
const REPLAYS = 3;
/** Random cases per operation after the fixed ones; the run stops adding them past the time budget. */
const RANDOM_CASES = 16;
const TIME_BUDGET_MS = 45_000;
const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head'] as const;
type Method = (typeof METHODS)[number];

/**
 * The longest synchronous block since the last reset, seen by a 1 ms timer: for each gap between two
 * callbacks, the wall time of the gap, capped by the CPU time the process used during it. On an idle
 * machine both are equal; on a loaded one (other processes on the same cores) the wall time also holds
 * the time the OS gave to others, which is not the request's cost, while the CPU time is.
 */
class LoopProbe {
  private lastWall = performance.now();
  private lastCpu = process.cpuUsage();
  private timer: NodeJS.Timeout | null = null;
  max = 0;
  maxWall = 0;

  start(): void {
    const tick = () => {
      const wall = performance.now();
      const cpu = process.cpuUsage(this.lastCpu);
      const wallGap = wall - this.lastWall;
      this.maxWall = Math.max(this.maxWall, wallGap);
      this.max = Math.max(this.max, Math.min(wallGap, (cpu.user + cpu.system) / 1000));
      this.lastWall = wall;
      this.lastCpu = process.cpuUsage();
      this.timer = setTimeout(tick, 1);
    };
    this.timer = setTimeout(tick, 1);
  }
  reset(): void {
    this.max = 0;
    this.maxWall = 0;
    this.lastWall = performance.now();
    this.lastCpu = process.cpuUsage();
  }
  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }
}

interface SchemaObject {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: SchemaObject;
  properties?: Record<string, SchemaObject>;
  additionalProperties?: unknown;
  oneOf?: SchemaObject[];
}
interface Operation {
  method: Method;
  path: string;
  pathParams: string[];
  queryParams: string[];
  schema: SchemaObject | null;
  security: string[];
}
interface Case {
  what: string;
  url: string;
  /** raw JSON text (huge numbers and deep nesting cannot go through JSON.stringify) */
  body?: string;
}

// Raw JSON texts of values JSON.stringify cannot produce.
const HUGE_NUMBERS = ['1e400', '-1e400', '123456789012345678901234567890123456789', '1e-400', '-0', '18446744073709551616', '9007199254740993'];
const HOSTILE_STRINGS = ['\u0000', 'a\u0000b', '\ud800', 'x\udfff', '\udfff\ud800', 'ok\ud83d', '\ufffe', '\u202e', 'x'.repeat(70_000)];
const WRONG_TYPES: readonly unknown[] = [null, true, 0, -1, 1.5, '', 'x', [], {}, [[]], { a: {} }, ['x'], [1, 2, 3]];
// Path and query values as they appear on the wire (percent-encoded).
const HOSTILE_URL_VALUES = ['%00', 'a%00b', '%ED%A0%80', '%ED%BF%BF', '%C0%80', '%FF', '%', '%zz', '1e400', '-1', '99999999999999999999999999', '..%2F..%2F', '%F0%9F%98%80', 'x'.repeat(3000), '%20', '[]', '{}', 'null'];

function deep(levels: number): string {
  return `${'['.repeat(levels)}${']'.repeat(levels)}`;
}

describe('hostile input over every route of the OpenAPI document', () => {
  let t: TestApp;
  let fake: FakeStripe;
  let agent: TestAgent;
  let watcherToken: string;
  let apiKey: string;
  let session: Record<string, string>;
  let operations: Operation[];
  let schemas: Record<string, SchemaObject>;
  const probe = new LoopProbe();

  beforeAll(async () => {
    // Whatever the fuzz manages to create (requests, keys, plans) stays in a database of its own.
    const database = new URL(testEnv().DATABASE_URL);
    database.pathname = `${database.pathname}_fuzz`;
    await recreateDatabase(database.toString());
    await applyMigrations(database.toString());
    const started = await startFakeStripe();
    fake = started.fake;
    t = await createTestApp({
      ...started.env,
      DATABASE_URL: database.toString(),
      REDIS_PREFIX: 'quorum-test-fuzz',
      QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '100000',
      QUORUM_LOGIN_MAX_PER_WINDOW: '100000',
      QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '10000',
    });
    const { organizationId, enrollKey } = await createOrganization(t.app, 'Fuzz');
    agent = await enrollAgent(t.app, enrollKey);
    watcherToken = (await registerAndLogin(t.app, 'v3')).token;
    apiKey = (await t.app.get(ApiKeysService).create(organizationId, 'fuzz', ['lookup'], 'test')).key;
    const email = `fuzz-${randomUUID().slice(0, 8)}@example.net`;
    await t.app.get(OperatorAuthService).createOperator(email, 'admin', 'a-long-enough-password');
    const login = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password: 'a-long-enough-password' }, remoteAddress: '10.72.0.1' });
    const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
    session = { cookie, 'x-csrf-token': login.json().csrf_token as string };

    // The live route table (decorators) plus the committed document, so neither can hide a route.
    const live = JSON.parse(JSON.stringify(buildOpenApiDocument(t.app))) as { paths: Record<string, Record<string, unknown>>; components: { schemas: Record<string, SchemaObject> } };
    const committed = JSON.parse(readFileSync(join(__dirname, '..', '..', 'openapi', 'openapi.json'), 'utf8')) as typeof live;
    schemas = { ...committed.components.schemas, ...live.components.schemas };
    const byKey = new Map<string, Operation>();
    for (const doc of [committed, live]) {
      for (const [path, item] of Object.entries(doc.paths)) {
        for (const method of METHODS) {
          const op = item[method] as { parameters?: Array<{ name: string; in: string }>; requestBody?: { content?: Record<string, { schema?: SchemaObject }> }; security?: Array<Record<string, unknown>> } | undefined;
          if (!op) continue;
          byKey.set(`${method} ${path}`, {
            method,
            path,
            pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
            queryParams: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
            schema: op.requestBody?.content?.['application/json']?.schema ?? null,
            security: (op.security ?? []).flatMap((s) => Object.keys(s)),
          });
        }
      }
    }
    operations = [...byKey.values()];
    probe.start();
  }, 120_000);

  afterAll(async () => {
    probe.stop();
    await t.close();
    await fake.stop();
  });

  function resolve(schema: SchemaObject): SchemaObject {
    let s = schema;
    for (let i = 0; s.$ref && i < 10; i++) s = schemas[s.$ref.replace('#/components/schemas/', '')] ?? {};
    return s;
  }

  /** A plausible value for a schema (examples and enums first), depth-bounded. */
  function sample(schema: SchemaObject, rng: Rng, depth = 0): unknown {
    const s = resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.enum?.length) return rng.pick(s.enum);
    if (s.oneOf?.length) return sample(rng.pick(s.oneOf), rng, depth + 1);
    switch (s.type) {
      case 'string':
        return s.format === 'date-time' ? new Date(Date.now() - 60_000).toISOString() : s.format === 'uuid' ? randomUUID() : 'fuzz';
      case 'integer':
      case 'number':
        return rng.int(100);
      case 'boolean':
        return rng.next() < 0.5;
      case 'array':
        return depth > 4 ? [] : [sample(s.items ?? {}, rng, depth + 1)];
      default: {
        if (depth > 4) return {};
        const out: Record<string, unknown> = {};
        for (const [name, prop] of Object.entries(s.properties ?? {})) out[name] = sample(prop, rng, depth + 1);
        return out;
      }
    }
  }

  /** A plausible body with one value (or key) replaced by a hostile one, serialised to JSON text. */
  function brokenBody(op: Operation, rng: Rng): { what: string; body: string } {
    const value = op.schema ? sample(op.schema, rng) : rng.pick([{ machine_id: 'x' }, [{ scenario: 'a/b' }], { lapi: {} }]);
    const holders: Array<[Record<string, unknown> | unknown[], string | number]> = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        v.forEach((item, i) => {
          holders.push([v, i]);
          walk(item);
        });
      } else if (v && typeof v === 'object') {
        for (const [k, inner] of Object.entries(v)) {
          holders.push([v as Record<string, unknown>, k]);
          walk(inner);
        }
      }
    };
    walk(value);
    const kind = rng.int(5);
    const marker = '__fuzz_marker__';
    let raw: string;
    let what: string;
    if (kind === 0) {
      const s = rng.pick(HOSTILE_STRINGS);
      raw = JSON.stringify(s);
      what = `string ${JSON.stringify(s.slice(0, 12))}`;
    } else if (kind === 1) {
      raw = rng.pick(HUGE_NUMBERS);
      what = `number ${raw}`;
    } else if (kind === 2) {
      const wrong = rng.pick(WRONG_TYPES);
      raw = JSON.stringify(wrong);
      what = `wrong type ${raw}`;
    } else if (kind === 3) {
      const levels = rng.pick([31, 32, 33, 64, 1_000, 100_000]);
      raw = rng.next() < 0.5 ? deep(levels) : `${'{"a":'.repeat(levels)}1${'}'.repeat(levels)}`;
      what = `nesting ${levels}`;
    } else {
      const key = rng.pick(['\u0000', 'k\ud800', '__proto__', 'constructor', '']);
      raw = JSON.stringify({ [key]: 1 });
      what = `key ${JSON.stringify(key)}`;
    }
    if (holders.length === 0 || rng.next() < 0.15) return { what: `whole body: ${what}`, body: raw };
    const [holder, at] = rng.pick(holders);
    (holder as Record<string | number, unknown>)[at] = marker;
    return { what: `${String(at)}: ${what}`, body: JSON.stringify(value).replace(JSON.stringify(marker), raw) };
  }

  function pathValue(name: string): string {
    if (name === 'ip') return '203.0.113.7';
    if (name === 'network') return '203.0.113.0';
    if (name === 'prefix') return '24';
    if (name === 'cidr') return '203.0.113.0%2F24';
    if (name === 'name' || name === 'capability') return 'fuzz';
    return randomUUID();
  }

  function url(op: Operation, hostilePath: string | null, hostileValue: string, query: string): string {
    let path = op.path;
    for (const name of op.pathParams) path = path.replace(`{${name}}`, name === hostilePath ? hostileValue : pathValue(name));
    return query ? `${path}?${query}` : path;
  }

  function casesFor(op: Operation, rng: Rng): Case[] {
    const cases: Case[] = [];
    const hasBody = op.method !== 'get' && op.method !== 'head';
    const plain = url(op, null, '', '');
    if (hasBody) {
      cases.push({ what: '100,000 nested arrays (~200 KB)', url: plain, body: deep(100_000) });
      cases.push({ what: '50,000 nested objects', url: plain, body: `${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}` });
      cases.push({ what: 'NUL and lone surrogates', url: plain, body: JSON.stringify({ a: '\u0000', b: ['\ud800'], '\udc00': 1 }) });
      cases.push({ what: 'huge number body', url: plain, body: rng.pick(HUGE_NUMBERS) });
      for (const wrong of ['[]', '"x"', 'null', 'true', '[{}]', '{}']) cases.push({ what: `body ${wrong}`, url: plain, body: wrong });
    }
    for (const name of op.pathParams) {
      for (const value of ['%00', '%ED%A0%80', 'a%00b', '1e400', 'x'.repeat(3000)]) cases.push({ what: `path ${name}=${value.slice(0, 12)}`, url: url(op, name, value, '') });
    }
    for (const name of [...op.queryParams, 'unknown']) {
      for (const value of ['%00', '%ED%B0%80', '1e400', '-99999999999999999999']) cases.push({ what: `query ${name}=${value}`, url: url(op, null, '', `${name}=${value}`), body: hasBody ? '{}' : undefined });
    }
    const random: Case[] = [];
    for (let i = 0; i < RANDOM_CASES; i++) {
      const target = rng.int(hasBody ? 3 : 2);
      if (target === 2) {
        const broken = brokenBody(op, rng);
        random.push({ what: `body ${broken.what}`, url: plain, body: broken.body });
      } else if (target === 1 && op.pathParams.length > 0) {
        const name = rng.pick(op.pathParams);
        const value = rng.pick(HOSTILE_URL_VALUES);
        random.push({ what: `path ${name}=${value.slice(0, 12)}`, url: url(op, name, value, '') });
      } else {
        const name = rng.pick([...op.queryParams, 'q', 'since', 'format']);
        const value = rng.pick(HOSTILE_URL_VALUES);
        const query = rng.next() < 0.3 ? `${name}=${value}&${name}=${value}` : `${name}=${value}`;
        random.push({ what: `query ${name}=${value.slice(0, 12)}`, url: url(op, null, '', query), body: hasBody ? '{}' : undefined });
      }
    }
    return [...cases, ...random];
  }

  function headers(op: Operation, body: string | undefined): Record<string, string> {
    const out: Record<string, string> = body !== undefined ? { 'content-type': 'application/json' } : {};
    if (op.path === '/v1/admin/logout') return out; // keep the session for the other routes
    if (op.security.includes('operator-session')) Object.assign(out, session);
    if (op.security.includes('api-key')) out['x-api-key'] = apiKey;
    if (op.security.includes('agent-jwt')) out.authorization = `Bearer ${/^\/v[23]\//.test(op.path) ? watcherToken : agent.token}`;
    if (op.path === '/v1/signals' && body !== undefined) Object.assign(out, signBatch(agent, body).headers);
    return out;
  }

  async function send(op: Operation, c: Case): Promise<{ res: LightMyRequestResponse; blockedMs: number; wallMs: number }> {
    let best = Number.POSITIVE_INFINITY;
    let wall = 0;
    let res: LightMyRequestResponse | null = null;
    // A 503 with Retry-After is the service's answer to a busy dependency (a loaded test machine), not to
    // the input: replayed like a client would; a 503 that persists counts as a failure.
    const busy = () => res !== null && res.statusCode === 503 && res.headers['retry-after'] !== undefined;
    for (let run = 0; run < REPLAYS && (best > MAX_BLOCK_MS || busy()); run++) {
      if (busy()) await new Promise((r) => setTimeout(r, 250));
      // let pending timers and I/O of the previous request settle before measuring this one
      await new Promise((r) => setTimeout(r, 2));
      probe.reset();
      res = await t.app.inject({ method: op.method.toUpperCase() as 'GET', url: c.url, headers: headers(op, c.body), payload: c.body });
      await new Promise((r) => setImmediate(r));
      best = Math.min(best, probe.max);
      wall = probe.maxWall;
    }
    return { res: res as LightMyRequestResponse, blockedMs: best, wallMs: wall };
  }

  it('answers no 5xx and never blocks the event loop more than 50 ms per request', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(60);
    const rng = new Rng(SEED);
    const started = Date.now();
    const failures: string[] = [];
    const slow: string[] = [];
    const byStatus = new Map<number, number>();
    let sent = 0;
    let worst = 0;
    let worstWall = 0;
    const plans = operations.map((op) => ({ op, cases: casesFor(op, rng) }));
    // Fixed cases of every operation first, then the random ones while the time budget lasts.
    for (const phase of ['fixed', 'random'] as const) {
      for (const { op, cases } of plans) {
        const fixedCount = cases.length - RANDOM_CASES;
        const list = phase === 'fixed' ? cases.slice(0, fixedCount) : cases.slice(fixedCount);
        for (const c of list) {
          if (phase === 'random' && Date.now() - started > TIME_BUDGET_MS) break;
          const { res, blockedMs, wallMs } = await send(op, c);
          sent++;
          worst = Math.max(worst, blockedMs);
          worstWall = Math.max(worstWall, wallMs);
          byStatus.set(res.statusCode, (byStatus.get(res.statusCode) ?? 0) + 1);
          const label = `${op.method.toUpperCase()} ${op.path} [${c.what}] ${c.url.slice(0, 80)}`;
          if (res.statusCode >= 500) failures.push(`${label}: ${res.statusCode} ${res.body.slice(0, 160)}`);
          if (blockedMs > MAX_BLOCK_MS) slow.push(`${label}: blocked ${blockedMs.toFixed(1)} ms in each of ${REPLAYS} runs`);
        }
      }
    }
    const summary = `seed ${SEED}: ${sent} requests over ${operations.length} operations in ${((Date.now() - started) / 1000).toFixed(1)} s, worst block ${worst.toFixed(1)} ms (wall ${worstWall.toFixed(1)} ms), statuses ${JSON.stringify(Object.fromEntries([...byStatus].sort((a, b) => a[0] - b[0])))}`;
    expect({ summary, failures: failures.slice(0, 15) }).toEqual({ summary, failures: [] });
    expect({ summary, slow: slow.slice(0, 15) }).toEqual({ summary, slow: [] });
    expect(sent).toBeGreaterThan(operations.length * 10);
  });
});
