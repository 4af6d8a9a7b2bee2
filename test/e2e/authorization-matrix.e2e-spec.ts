import { randomUUID } from 'node:crypto';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { type AccessRule, AUTHORIZATION_TABLE, type Permission } from '../../src/common/auth/authorization-table.js';
import { PRINCIPAL_CLASSES, type PrincipalClass } from '../../src/common/auth/principal-class.js';
import { type RouteAuthorization, routeAuthorizations } from '../../src/common/auth/route-authorizations.js';
import { listCapability } from '../../src/crowdsec/list-capability.js';
import { buildOpenApiDocument } from '../../src/openapi/openapi.js';
import { signBatch } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { FastLookupRoute } from '../../src/lookup/fast-lookup-route.js';
import type { MemberRole } from '../../src/common/auth/principal-class.js';
import { createOperator, createOrganizationWorld, credentialOf, memberLogin, type Operator, operatorLogin, type OrganizationWorld } from '../support/principals.js';
import { auditEntries } from '../support/audit-entries.js';

/**
 * Every route x every principal class (of organisation A: credentials, operators, customer members; and Quorum staff) x a resource of A and of B:
 * each cell's answer must be the decision of the route's row in src/common/auth/authorization-table.ts.
 * Allowed: anything but 401/403 (requests are shaped so that the route itself has no reason to refuse);
 * denied: 401 or 403 (401 for anonymous callers on guard-enforced rows).
 */

type Caller = PrincipalClass | 'anonymous';
type Side = 'A' | 'B';
const CALLERS: Caller[] = ['anonymous', ...PRINCIPAL_CLASSES];
const NET = '45.83.12';
const MATRIX_SCOPES = ['lookup', 'blocklist'];

/** What the table says, read independently of the guard's code. */
function expectedAllowed(rule: AccessRule, caller: Caller, side: Side): boolean {
  if (rule.allow === 'anyone') return true;
  if (caller === 'anonymous' || !rule.allow.includes(caller)) return false;
  if (rule.scopes && caller === 'apiKey' && !rule.scopes.some((s) => MATRIX_SCOPES.includes(s))) return false;
  if (rule.self) return caller === 'agent' && side === 'A';
  if (rule.organization && !caller.startsWith('staff:')) return side === 'A';
  return true;
}

const toOpenApi = (path: string): string => path.replace(/:(\w+)/g, '{$1}');

describe('authorization matrix: every route x every principal x own / other organisation', () => {
  let t: TestApp & { url: string };
  let app: NestFastifyApplication;
  let routes: RouteAuthorization[];
  const staff: Partial<Record<'admin' | 'billing' | 'support', Operator>> = {};
  const worlds = {} as Record<Side, OrganizationWorld>;
  let source = 0;

  beforeAll(async () => {
    // listening: the lookup row is also checked through the front door, which only a real socket reaches
    t = await listenTestApp({ QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000', QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000' });
    app = t.app;
    routes = routeAuthorizations(app.get(DiscoveryService), app.get(MetadataScanner), app.get(Reflector));
    worlds.A = await createOrganizationWorld(app, `matrix-a-${randomUUID().slice(0, 6)}`, true);
    worlds.B = await createOrganizationWorld(app, `matrix-b-${randomUUID().slice(0, 6)}`, false);
    for (const role of ['admin', 'billing', 'support'] as const) staff[role] = await createOperator(app, role, null);
  }, 120_000);
  afterAll(async () => t?.close());

  it('gives every route a row of the table, and every OpenAPI operation is such a route', () => {
    const missing = routes.filter((r) => !r.permission).map((r) => `${r.method} ${r.paths.join(' | ')}`);
    expect(missing).toEqual([]);
    const generic = routes.filter((r) => r.permission === 'public').map((r) => `${r.method} ${r.paths.join(' | ')}`);
    expect(generic).toEqual([]);
    const known = new Set(routes.flatMap((r) => r.paths.map((p) => `${r.method.toLowerCase()} ${toOpenApi(p)}`)));
    const document = buildOpenApiDocument(app);
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.keys(item).filter((m) => ['get', 'put', 'post', 'delete', 'patch', 'head'].includes(m)).map((m) => `${m} ${path}`),
    );
    expect(operations.length).toBeGreaterThan(40);
    expect(operations.filter((o) => !known.has(o))).toEqual([]);
    // Every row is used by some route (no dead policy), except the generic one for test probes.
    const used = new Set(routes.map((r) => r.permission));
    const rows = Object.entries(AUTHORIZATION_TABLE) as Array<[Permission, AccessRule]>;
    expect(rows.filter(([p, rule]) => p !== 'public' && !used.has(p) && !rule.within).map(([p]) => p)).toEqual([]);
    expect(rows.filter(([, rule]) => rule.within && !used.has(rule.within as Permission)).map(([p]) => p)).toEqual([]);
  });

  /** A path parameter's value for a request acting on organisation `side`'s resources. */
  function param(name: string, path: string, side: Side): string {
    const world = worlds[side];
    if (name === 'organizationId') return world.id;
    if (name === 'keyId') return world.victims.apiKeyId;
    if (name === 'memberId') return world.victims.memberId;
    if (name === 'enrollmentKeyId') return world.victims.enrollmentKeyId;
    if (name === 'invitationId') return randomUUID();
    if (name === 'ip') return `${NET}.1`;
    if (name === 'network') return `${NET}.0`;
    if (name === 'prefix') return '24';
    if (name === 'cidr') return encodeURIComponent(`${NET}.0/24`);
    if (name === 'file') return 'index.html';
    if (name === 'name') return 'community';
    if (name === 'capability') return listCapability(t.config.auth.jwtSecret, world.watcher.agentId, 'community');
    if (name === 'id') {
      if (path.startsWith('/v1/agents/') && path.endsWith('/keys')) return world.agent.id;
      if (path.startsWith('/v1/agents/')) return world.victims.agentId;
      if (path.includes('/crowdsec-bouncer-keys/')) return world.victims.bouncerKeyId;
      if (path.startsWith('/v1/admin/plans/')) return 'free';
      if (/^\/v1\/(organizations|admin\/customers|admin\/organizations|privacy\/organizations)\//.test(path)) return world.id;
      return randomUUID();
    }
    throw new Error(`the matrix has no value for :${name} in ${path}: add one`);
  }

  function request(route: RouteAuthorization, path: string, caller: Caller, side: Side) {
    const url = path.replace(/:(\w+)/g, (_m, name: string) => param(name, path, side));
    const headers: Record<string, string> = { ...credentialOf(caller, worlds.A, staff) };
    let payload: string | undefined;
    if (['POST', 'PUT', 'PATCH'].includes(route.method)) {
      const body: Record<string, unknown> = path.startsWith('/v1/billing/') && !path.endsWith('/webhook') ? { organization_id: worlds[side].id } : {};
      payload = JSON.stringify(path === '/v1/signals' ? { signals: [] } : body);
      headers['content-type'] = 'application/json';
      if (path === '/v1/signals') {
        const signed = signBatch(worlds.A.agent, payload);
        for (const name of ['x-quorum-sent-at', 'x-quorum-nonce', 'x-quorum-signature']) headers[name] = signed.headers[name];
      }
    }
    source++;
    const remoteAddress = `10.${200 + ((source >> 16) & 31)}.${(source >> 8) & 255}.${source & 255}`;
    return app.inject({ method: route.method as 'GET', url, headers, remoteAddress, ...(payload !== undefined ? { payload } : {}) });
  }

  /** After a cell that changed who its principals are, put the world back. */
  async function repair(permission: Permission, caller: Caller, side: Side): Promise<void> {
    if (permission === 'operators.logout' && caller.includes(':')) {
      const [scope, role] = caller.split(':') as ['org' | 'staff', 'admin' | 'billing' | 'support'];
      const operator = scope === 'org' ? worlds.A.operators[role]! : staff[role]!;
      operator.headers = await operatorLogin(app, operator.email);
    }
    if (permission === 'members.logout' && caller.startsWith('member:')) {
      const member = worlds.A.members[caller.slice('member:'.length) as MemberRole]!;
      member.headers = await memberLogin(app, member.email);
    }
    if (permission === 'privacy.eraseOrganization') {
      worlds[side] = await createOrganizationWorld(app, `matrix-${side.toLowerCase()}-${randomUUID().slice(0, 6)}`, side === 'A');
    }
  }

  it('answers the lookup row through the front door (a real socket, before Fastify) as the table decides', async () => {
    // docs/lookup.md "Hot path": GET /v1/ip/<IP> is answered at the HTTP server; inject() above reaches Fastify only.
    const rule = AUTHORIZATION_TABLE['lookup.ip'];
    const front = jest.spyOn(app.get(FastLookupRoute), 'answer');
    const mismatches: string[] = [];
    try {
      for (const caller of CALLERS) {
        const allowed = expectedAllowed(rule, caller, 'A');
        const res = await fetch(`${t.url}/v1/ip/${NET}.1`, { headers: credentialOf(caller, worlds.A, staff) });
        const refused = res.status === 401 || res.status === 403;
        const wrong = allowed ? refused : !refused || (caller === 'anonymous' && res.status !== 401);
        if (wrong) mismatches.push(`front door ${caller}: expected ${allowed ? 'allow' : 'deny'}, got ${res.status} ${(await res.text()).slice(0, 120)}`);
        else await res.arrayBuffer();
      }
      expect(front).toHaveBeenCalledTimes(CALLERS.length);
    } finally {
      front.mockRestore();
    }
    expect(mismatches).toEqual([]);
  });

  it('answers every cell as the table decides', async () => {
    const mismatches: string[] = [];
    let cells = 0;
    // Erasure rebuilds organisations: walk it last so the other routes share one world.
    const ordered = [...routes].sort((a, b) => Number(a.permission === 'privacy.eraseOrganization') - Number(b.permission === 'privacy.eraseOrganization'));
    for (const route of ordered) {
      const rule: AccessRule = AUTHORIZATION_TABLE[route.permission!];
      for (const path of route.paths) {
        // A request that names no organisation (no path parameter, no body field) is the same for A and B.
        const sides: Side[] = path.includes(':') || rule.organization ? ['B', 'A'] : ['A'];
        for (const side of sides) {
          for (const caller of CALLERS) {
            const allowed = expectedAllowed(rule, caller, side);
            const res = await request(route, path, caller, side);
            cells++;
            const refused = res.statusCode === 401 || res.statusCode === 403;
            const wrong = allowed ? refused : !refused || (caller === 'anonymous' && rule.enforcedBy !== 'route' && res.statusCode !== 401);
            if (wrong) mismatches.push(`${route.method} ${path} [${route.permission}] ${caller} on ${side}: expected ${allowed ? 'allow' : 'deny'}, got ${res.statusCode} ${res.body.slice(0, 120)}`);
            if (allowed && !refused) await repair(route.permission!, caller, side);
          }
        }
      }
    }
    process.stdout.write(`authorization matrix: ${cells} cells over ${routes.length} routes\n`);
    expect(mismatches).toEqual([]);
  }, 240_000);

  describe('findings of issue 15', () => {
    const post = (url: string, headers: Record<string, string>, payload?: object) =>
      app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });

    it('F1: an operator of A cannot revoke an agent of B (and still can revoke its own)', async () => {
      const support = worlds.A.operators.support!.headers;
      const other = await createOrganizationWorld(app, `f1-${randomUUID().slice(0, 6)}`, false);
      expect((await post(`/v1/agents/${other.victims.agentId}/revoke`, support)).statusCode).toBe(403);
      const [row] = await sql<{ status: string }>(t.config.database.url, 'SELECT status FROM agent WHERE id = $1', [other.victims.agentId]);
      expect(row.status).toBe('active');
      const own = await createOrganizationWorld(app, `f1-own-${randomUUID().slice(0, 6)}`, true);
      expect((await post(`/v1/agents/${own.victims.agentId}/revoke`, own.operators.support!.headers)).statusCode).toBe(200);
    });

    it("F2: an operator of A can neither list, create nor revoke B's CrowdSec bouncer keys", async () => {
      const support = worlds.A.operators.support!.headers;
      const b = worlds.B;
      const base = `/v1/organizations/${b.id}/crowdsec-bouncer-keys`;
      const before = await sql(t.config.database.url, 'SELECT id FROM crowdsec_bouncer_key WHERE organization_id = $1', [b.id]);
      expect((await app.inject({ method: 'GET', url: base, headers: support })).statusCode).toBe(403);
      expect((await post(base, support, { name: 'stolen' })).statusCode).toBe(403);
      expect((await app.inject({ method: 'DELETE', url: `${base}/${b.bouncerKey.id}`, headers: support })).statusCode).toBe(403);
      const after = await sql<{ id: string; revoked_at: Date | null }>(t.config.database.url, 'SELECT id, revoked_at FROM crowdsec_bouncer_key WHERE organization_id = $1', [b.id]);
      expect(after).toHaveLength(before.length);
      expect(after.find((r) => r.id === b.bouncerKey.id)?.revoked_at).toBeNull();
      expect((await post(`/v1/organizations/${worlds.A.id}/crowdsec-bouncer-keys`, support, { name: 'own' })).statusCode).toBe(201);
    });

    it('F3: plans change only through Stripe or an audited staff admin; plan definitions are staff-admin only', async () => {
      const put = (url: string, headers: Record<string, string>, payload: object) => app.inject({ method: 'PUT', url, headers, payload });
      const callers = [worlds.A.operators.billing!, worlds.A.operators.admin!, staff.billing!, staff.support!];
      for (const caller of callers) {
        expect((await put(`/v1/admin/organizations/${worlds.A.id}/plan`, caller.headers, { plan_id: 'enterprise' })).statusCode).toBe(403);
        expect((await put(`/v1/admin/organizations/${worlds.B.id}/plan`, caller.headers, { plan_id: 'enterprise' })).statusCode).toBe(403);
        expect((await put('/v1/admin/plans/free', caller.headers, { daily_quota: 999_999 })).statusCode).toBe(403);
      }
      const plans = await sql<{ plan_id: string }>(t.config.database.url, 'SELECT plan_id FROM organization_plan WHERE organization_id = ANY($1::uuid[])', [[worlds.A.id, worlds.B.id]]);
      expect(plans.filter((p) => p.plan_id === 'enterprise')).toEqual([]);
      const [free] = await sql<{ daily_quota: number }>(t.config.database.url, "SELECT daily_quota FROM plan WHERE id = 'free'");
      expect(free.daily_quota).not.toBe(999_999);
      const granted = await put(`/v1/admin/organizations/${worlds.B.id}/plan`, staff.admin!.headers, { plan_id: 'pro' });
      const [{ id: staffAdminId }] = await sql<{ id: string }>(t.config.database.url, 'SELECT id FROM operator_user WHERE email = $1', [staff.admin!.email]);
      expect(granted.statusCode).toBe(200);
      const audit = await auditEntries(t.app, { action: 'organization.plan_changed', target: `organization:${worlds.B.id}` });
      expect(audit.some((a) => a.actor === `operator:${staffAdminId}`)).toBe(true);
    });

    it('F4: explain details (scores, ASNs, voter pseudonyms) are for staff, not for operators of an organisation', async () => {
      const url = `/v1/ip/${NET}.9/explain`;
      const keys = async (headers: Record<string, string>) => Object.keys((await app.inject({ method: 'GET', url, headers })).json() as object);
      expect(await keys(staff.support!.headers)).toEqual(expect.arrayContaining(['score', 'voters']));
      for (const role of ['admin', 'billing', 'support'] as const) expect(await keys(worlds.A.operators[role]!.headers)).not.toContain('voters');
      expect(await keys({})).not.toContain('voters');
    });

    it("F4: operators of A read neither the overview, nor other customers, B's usage, the reconciliation nor delisting requests", async () => {
      for (const role of ['admin', 'billing', 'support'] as const) {
        const headers = worlds.A.operators[role]!.headers;
        for (const url of [
          '/v1/admin/overview',
          '/v1/admin/customers',
          `/v1/admin/customers/${worlds.B.id}`,
          `/v1/organizations/${worlds.B.id}/usage`,
          '/v1/billing/reconciliation',
          '/v1/admin/delisting-requests',
        ]) {
          const res = await app.inject({ method: 'GET', url, headers });
          expect(`${role} ${url} ${res.statusCode}`).toBe(`${role} ${url} 403`);
        }
      }
      expect((await app.inject({ method: 'GET', url: `/v1/organizations/${worlds.A.id}/usage`, headers: worlds.A.operators.support!.headers })).statusCode).toBe(200);
    });
  });
});
