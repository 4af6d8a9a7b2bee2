import { DelistingExpiryService } from '../../src/consensus/delisting/delisting-expiry.service.js';
import { DELISTING_EXPIRY } from '../../src/consensus/delisting/delisting-expiry-policy.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { createOrganization, enrollAgent, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp } from '../factories/signal.factory.js';
import { createOperator, type Operator } from '../support/principals.js';

/**
 * The three ways an IP holder goes on after asking for a delisting (docs/consensus.md, "Delisting"):
 * the answer tells them exactly what to do; an agent running on the IP proves control without opening
 * a port; a holder behind carrier NAT asks for a reasoned review that reaches the operators' queue, is
 * decided there, and loses its contact on decision. The HTTP/HTTPS fetch itself is tested against real
 * servers in test/integration/delisting-proof-verifier.int-spec.ts and a network namespace.
 */
describe('delisting: what an IP holder is told, proof from an agent, reasoned review', () => {
  let t: TestApp;
  let agent: TestAgent;
  let reviewer: Operator;
  let source = 0;
  const from = () => `198.18.7.${++source}`;

  beforeAll(async () => {
    t = await createTestApp();
    const org = await createOrganization(t.app, 'holder-paths');
    agent = await enrollAgent(t.app, org.enrollKey);
    reviewer = await createOperator(t.app, 'support', null);
  });
  afterAll(async () => t?.close());

  async function create(ip: string, extra: Record<string, string> = {}) {
    const res = await t.app.inject({ method: 'POST', url: '/v1/delisting-requests', payload: { ip, ...extra }, remoteAddress: from() });
    expect(res.statusCode).toBe(201);
    return res.json() as Record<string, any>;
  }

  const get = async (id: string) => (await t.app.inject({ method: 'GET', url: `/v1/delisting-requests/${id}` })).json() as Record<string, any>;

  it('answers with the token, its lifetime and every way to show control, with exact values', async () => {
    const ip = attackerIp();
    const body = await create(ip, { reason: 'A compromised camera, since replaced', contact: 'holder@example.net' });
    expect(body.status).toBe('pending_proof');
    expect(body.proof_method).toBeNull();
    expect(body.proof.serve_file.urls).toEqual([`http://${ip}/.well-known/quorum-delisting/${body.id}`, `https://${ip}/.well-known/quorum-delisting/${body.id}`]);
    expect(body.proof.serve_file.content).toBe(body.token);
    expect(body.proof_url).toBe(body.proof.serve_file.urls[0]);
    expect(new Date(body.proof.token_expires_at).getTime() - new Date(body.created_at).getTime()).toBe(DELISTING_EXPIRY.unprovenMs);
    expect(body.proof.from_agent).toEqual(expect.objectContaining({ url: `/v1/delisting-requests/${body.id}/agent-proof`, body: { token: body.token } }));
    expect(body.proof.reasoned_review.url).toBe(`/v1/delisting-requests/${body.id}/review-request`);
    const [row] = await sql<{ reason: string; contact: string }>(t.config.database.url, 'SELECT reason, contact FROM delisting_request WHERE id = $1', [body.id]);
    expect(row).toEqual({ reason: 'A compromised camera, since replaced', contact: 'holder@example.net' });
  });

  it('refuses a malformed contact and an over-long reason with 400', async () => {
    for (const payload of [{ ip: attackerIp(), contact: 'not an email' }, { ip: attackerIp(), reason: 'x'.repeat(2001) }]) {
      const res = await t.app.inject({ method: 'POST', url: '/v1/delisting-requests', payload, remoteAddress: from() });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expect.objectContaining({ code: expect.any(String), requestId: expect.any(String) }));
    }
  });

  it('verifies a request when an agent sends the token from the listed IP, and only then', async () => {
    const ip = attackerIp();
    const { id, token } = await create(ip);
    const prove = (headers: Record<string, string>, payload: unknown, remoteAddress: string) =>
      t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/agent-proof`, headers, payload: payload as Record<string, string>, remoteAddress });
    const bearer = { authorization: `Bearer ${agent.token}` };
    expect((await prove({}, { token }, ip)).statusCode).toBe(401);
    expect((await prove(bearer, { token: 'quorum-delisting-wrong' }, ip)).statusCode).toBe(403);
    const elsewhere = await prove(bearer, { token }, from());
    expect(elsewhere.statusCode).toBe(422);
    expect(elsewhere.json().code).toBe('proof_wrong_source');
    expect((await get(id)).status).toBe('pending_proof');
    const proven = await prove(bearer, { token }, ip);
    expect(proven.statusCode).toBe(200);
    expect(proven.json()).toEqual(expect.objectContaining({ status: 'verified', proof_method: 'agent' }));
    // A second proof changes nothing.
    expect((await prove(bearer, { token }, ip)).json().status).toBe('verified');
  });

  it('takes a reasoned review to the operators, who decide it; the contact is then deleted', async () => {
    const ip = attackerIp();
    const { id, token } = await create(ip);
    const ask = (payload: Record<string, unknown>) => t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/review-request`, payload, remoteAddress: from() });
    expect((await ask({ token, reason: 'too short' })).statusCode).toBe(400);
    expect((await ask({ token: 'quorum-delisting-wrong', reason: 'Carrier NAT: a shared mobile address' })).statusCode).toBe(403);
    const asked = await ask({ token, reason: 'Carrier NAT: this mobile address is shared by thousands', contact: 'nat-user@example.net' });
    expect(asked.statusCode).toBe(200);
    expect(asked.json()).toEqual(expect.objectContaining({ status: 'awaiting_review', proof_method: 'review' }));
    expect((await ask({ token, reason: 'Carrier NAT: asking twice over here' })).statusCode).toBe(409);

    const queue = await t.app.inject({ method: 'GET', url: '/v1/admin/delisting-requests?status=awaiting_review', headers: reviewer.headers });
    expect(queue.statusCode).toBe(200);
    const mine = (queue.json() as Array<Record<string, unknown>>).find((r) => r.id === id);
    expect(mine).toEqual(expect.objectContaining({ reason: 'Carrier NAT: this mobile address is shared by thousands', contact: 'nat-user@example.net', review_requested_at: expect.any(String) }));

    const decided = await t.app.inject({
      method: 'POST',
      url: `/v1/admin/delisting-requests/${id}/review`,
      headers: reviewer.headers,
      payload: { outcome: 'upheld', justification: 'Shared carrier address; reports are from one customer' },
    });
    expect(decided.statusCode).toBe(200);
    expect(decided.json().status).toBe('upheld');
    const [row] = await sql<{ contact: string | null; reason: string }>(t.config.database.url, 'SELECT contact, reason FROM delisting_request WHERE id = $1', [id]);
    expect(row.contact).toBeNull();
    expect(row.reason).toContain('Carrier NAT');
  });

  it('escalates and expires an unreviewed reasoned request by the same rules as a proven one', async () => {
    const { id, token } = await create(attackerIp(), { contact: 'waiting@example.net' });
    const asked = await t.app.inject({ method: 'POST', url: `/v1/delisting-requests/${id}/review-request`, payload: { token, reason: 'Carrier NAT, nobody answered' }, remoteAddress: from() });
    expect(asked.statusCode).toBe(200);
    const expiry = t.app.get(DelistingExpiryService);
    const later = (ms: number) => new Date(Date.now() + ms + 60_000);
    await expiry.run(later(DELISTING_EXPIRY.escalateMs));
    const [escalated] = await sql<{ status: string; escalated_at: Date | null }>(t.config.database.url, 'SELECT status, escalated_at FROM delisting_request WHERE id = $1', [id]);
    expect(escalated.status).toBe('awaiting_review');
    expect(escalated.escalated_at).toBeInstanceOf(Date);
    await expiry.run(later(DELISTING_EXPIRY.expireMs));
    const [expired] = await sql<{ status: string; contact: string | null }>(t.config.database.url, 'SELECT status, contact FROM delisting_request WHERE id = $1', [id]);
    expect(expired).toEqual({ status: 'expired', contact: null });
  });
});
