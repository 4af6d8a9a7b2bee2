import { randomInt } from 'node:crypto';
import { createOrganization } from '../factories/agent.factory.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { watcherCredentials } from '../crowdsec/capi-client.js';


/** Keyed and anonymous registrations from one network are capped separately (src/agents/agents.repository.ts). */
describe('per-network registration caps: keyed and anonymous counted apart', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({
      QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '2',
      QUORUM_ENROLL_MAX_KEYED_PER_NETWORK_PER_DAY: '3',
      QUORUM_ENROLL_MAX_PER_ORG_PER_DAY: '1000',
    });
  });
  afterAll(async () => t?.close());

  it('a fourth engine behind one NAT registers with its organisation key after the anonymous cap is reached', async () => {
    // One /24 of its own (78.x.y.0/24), so other files' registrations never count here.
    const net = `78.${randomInt(256)}.${randomInt(256)}`;
    const register = (host: number, token?: string) =>
      t.app.inject({
        method: 'POST',
        url: '/v2/watchers',
        remoteAddress: `${net}.${host}`,
        payload: { ...watcherCredentials(), ...(token ? { registration_token: token } : {}) },
      });
    const { enrollKey } = await createOrganization(t.app, 'fleet behind one NAT');
    expect((await register(1)).statusCode).toBe(200);
    expect((await register(2)).statusCode).toBe(200);
    const anonymous = await register(3);
    expect(anonymous.statusCode).toBe(429);
    expect(anonymous.json().message).toContain('anonymous');
    for (const host of [4, 5, 6]) expect((await register(host, enrollKey)).statusCode).toBe(200);
    const keyed = await register(7, enrollKey);
    expect(keyed.statusCode).toBe(429);
    expect(keyed.json().message).toContain('keyed');
    expect(Number(keyed.headers['retry-after'])).toBeGreaterThan(80_000);
    expect((await register(8)).statusCode).toBe(429);
  });
});
