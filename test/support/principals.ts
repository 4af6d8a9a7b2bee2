import { randomUUID } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { OrganizationsService } from '../../src/agents/organizations.service.js';
import { hashPassword } from '../../src/common/crypto/password.js';
import { MEMBER_ROLES, type MemberRole, type OperatorRole, type PrincipalClass } from '../../src/common/auth/principal-class.js';
import { BouncerKeysService } from '../../src/crowdsec/bouncer-keys.service.js';
import { ApiKeysService } from '../../src/lookup/keys/api-keys.service.js';
import { MembersRepository } from '../../src/members/members.repository.js';
import { watcherCredentials } from '../crowdsec/capi-client.js';
import { createOrganization, enrollAgent, nextSourceAddress, type TestAgent } from '../factories/agent.factory.js';

export const OPERATOR_PASSWORD = 'a-long-enough-password';

/** Headers that present one principal's credential (operators: session cookie + CSRF token). */
export type Credential = Record<string, string>;

export interface Operator {
  email: string;
  headers: Credential;
}

/** One organisation and a credential of every kind attached to it, plus spare resources to act on. */
export interface OrganizationWorld {
  id: string;
  enrollKey: string;
  agent: TestAgent;
  watcher: { token: string; agentId: string };
  apiKey: { key: string; id: string };
  bouncerKey: { key: string; id: string };
  /** Operators attached to the organisation (filled only for the organisations that need them). */
  operators: Partial<Record<OperatorRole, Operator>>;
  /** Customer members of the organisation, one per role (filled with the operators). */
  members: Partial<Record<MemberRole, Member>>;
  /** Resources the matrix revokes (never the credentials above). */
  victims: { agentId: string; apiKeyId: string; bouncerKeyId: string; memberId: string; enrollmentKeyId: string };
}

export interface Member {
  id: string;
  email: string;
  headers: Credential;
}

let operatorSeq = 0;
let memberSeq = 0;
// One scrypt hash for every test member (hashing is deliberately slow; the matrix creates many members).
let memberHash: Promise<string> | null = null;

/** Signs in at `url` from its own address (the `seq`-th from 10.<base>.0.0) and returns the cookie and CSRF headers. */
async function sessionLogin(app: NestFastifyApplication, who: string, url: string, base: number, seq: number, email: string, password: string): Promise<Credential> {
  const res = await app.inject({ method: 'POST', url, payload: { email, password }, remoteAddress: `10.${base + (seq >> 16)}.${(seq >> 8) & 255}.${seq & 255}` });
  if (res.statusCode !== 200) throw new Error(`${who} login failed: ${res.statusCode} ${res.body}`);
  const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]).join('; ');
  return { cookie, 'x-csrf-token': (res.json() as { csrf_token: string }).csrf_token };
}

/** Signs a member in through the portal and returns the cookie and CSRF headers (each from its own source address). */
export async function memberLogin(app: NestFastifyApplication, email: string, password = OPERATOR_PASSWORD): Promise<Credential> {
  return sessionLogin(app, 'member', '/v1/portal/login', 160, ++memberSeq, email, password);
}

/** Creates a verified member of an organisation (password OPERATOR_PASSWORD); signs it in unless `signIn` is false. */
export async function createMember(app: NestFastifyApplication, organizationId: string, role: MemberRole, signIn = true): Promise<Member> {
  memberHash ??= hashPassword(OPERATOR_PASSWORD);
  const email = `member-${role}-${randomUUID().slice(0, 8)}@example.net`;
  const record = await app.get(MembersRepository).create({ organizationId, email, passwordHash: await memberHash, role, emailVerifiedAt: new Date() });
  if (!record) throw new Error(`member ${email} exists`);
  return { id: record.id, email, headers: signIn ? await memberLogin(app, email) : {} };
}

/** Logs an operator in and returns the cookie and CSRF headers (each login from its own source address). */
export async function operatorLogin(app: NestFastifyApplication, email: string, password = OPERATOR_PASSWORD): Promise<Credential> {
  return sessionLogin(app, 'operator', '/v1/admin/login', 100, ++operatorSeq, email, password);
}

/** Creates an operator (staff when organizationId is null) and logs it in. */
export async function createOperator(app: NestFastifyApplication, role: OperatorRole, organizationId: string | null): Promise<Operator> {
  const email = `${organizationId ? 'org' : 'staff'}-${role}-${randomUUID().slice(0, 8)}@example.net`;
  await app.get(OperatorAuthService).createOperator(email, role, OPERATOR_PASSWORD, organizationId);
  return { email, headers: await operatorLogin(app, email) };
}

async function registerWatcher(app: NestFastifyApplication, enrollKey: string): Promise<{ token: string; agentId: string }> {
  const creds = watcherCredentials();
  const source = nextSourceAddress();
  const registered = await app.inject({ method: 'POST', url: '/v2/watchers', payload: { ...creds, registration_token: enrollKey }, remoteAddress: source });
  if (registered.statusCode !== 200) throw new Error(`watcher registration failed: ${registered.statusCode} ${registered.body}`);
  const login = await app.inject({ method: 'POST', url: '/v2/watchers/login', payload: { ...creds, scenarios: [] }, remoteAddress: source });
  if (login.statusCode !== 200) throw new Error(`watcher login failed: ${login.statusCode} ${login.body}`);
  const token = (login.json() as { token: string }).token;
  const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { sub: string };
  return { token, agentId: claims.sub };
}

/** Builds an organisation with an agent, a watcher, an API key, a bouncer key, victims and (optionally) operators. */
export async function createOrganizationWorld(app: NestFastifyApplication, name: string, withOperators: boolean): Promise<OrganizationWorld> {
  const { organizationId, enrollKey } = await createOrganization(app, name);
  const agent = await enrollAgent(app, enrollKey, `${name}-agent`);
  const victim = await enrollAgent(app, enrollKey, `${name}-victim`);
  const watcher = await registerWatcher(app, enrollKey);
  const keys = app.get(ApiKeysService);
  const apiKey = await keys.create(organizationId, 'matrix', ['lookup', 'blocklist'], 'test');
  const victimKey = await keys.create(organizationId, 'victim', ['lookup'], 'test');
  const bouncers = app.get(BouncerKeysService);
  const bouncerKey = await bouncers.create(organizationId, 'matrix');
  const victimBouncer = await bouncers.create(organizationId, 'victim');
  const operators: Partial<Record<OperatorRole, Operator>> = {};
  if (withOperators) for (const role of ['admin', 'billing', 'support'] as const) operators[role] = await createOperator(app, role, organizationId);
  const members: Partial<Record<MemberRole, Member>> = {};
  if (withOperators) for (const role of MEMBER_ROLES) members[role] = await createMember(app, organizationId, role);
  const victimMember = await createMember(app, organizationId, 'viewer', false);
  const victimEnrollment = await app.get(OrganizationsService).createEnrollmentKey(organizationId, 'victim');
  return {
    id: organizationId,
    enrollKey,
    agent,
    watcher,
    apiKey: { key: apiKey.key, id: apiKey.record.id },
    bouncerKey: { key: bouncerKey.key, id: bouncerKey.record.id },
    operators,
    members,
    victims: { agentId: victim.id, apiKeyId: victimKey.record.id, bouncerKeyId: victimBouncer.record.id, memberId: victimMember.id, enrollmentKeyId: victimEnrollment.record.id },
  };
}

/** The credential a principal class of organisation `world` presents (staff operators come from `staff`). */
export function credentialOf(principal: PrincipalClass | 'anonymous', world: OrganizationWorld, staff: Partial<Record<OperatorRole, Operator>>): Credential {
  if (principal === 'anonymous') return {};
  if (principal === 'agent') return { authorization: `Bearer ${world.agent.token}` };
  if (principal === 'watcher') return { authorization: `Bearer ${world.watcher.token}` };
  if (principal === 'apiKey') return { 'x-api-key': world.apiKey.key };
  if (principal === 'bouncerKey') return { 'x-api-key': world.bouncerKey.key };
  if (principal.startsWith('member:')) {
    const member = world.members[principal.slice('member:'.length) as MemberRole];
    if (!member) throw new Error(`no ${principal} member in this world`);
    return member.headers;
  }
  const [scope, role] = principal.split(':') as ['org' | 'staff', OperatorRole];
  const operator = scope === 'org' ? world.operators[role] : staff[role];
  if (!operator) throw new Error(`no ${principal} operator in this world`);
  return operator.headers;
}
