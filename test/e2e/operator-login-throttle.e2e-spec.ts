import { randomUUID } from 'node:crypto';
import { OperatorAuthService } from '../../src/admin/operator-auth.service.js';
import { ACCOUNT_DELAY_MS, ACCOUNT_FAILURES, SOURCE_FAILURES } from '../../src/admin/login-throttle.service.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { OPERATOR_PASSWORD } from '../support/principals.js';

/** F9: operator logins neither reveal which accounts exist nor let a stranger lock an operator out. */
describe('operator login throttling', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(async () => t?.close());

  // Each test uses its own 10.<octet>.x.y networks, so throttles of one test never reach another.
  let octet = 60 + Math.floor(Math.random() * 40);
  const network = () => `10.${++octet}`;

  async function operator(): Promise<string> {
    const email = `throttle-${randomUUID().slice(0, 8)}@example.net`;
    await t.app.get(OperatorAuthService).createOperator(email, 'admin', OPERATOR_PASSWORD);
    return email;
  }

  async function login(email: string, password: string, remoteAddress: string) {
    const started = performance.now();
    const res = await t.app.inject({ method: 'POST', url: '/v1/admin/login', payload: { email, password }, remoteAddress });
    const body = res.json() as Record<string, unknown>;
    return { status: res.statusCode, code: body.code, message: body.message, retryAfter: res.headers['retry-after'], ms: performance.now() - started };
  }

  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

  it('answers an unknown account exactly as a real one: same statuses, bodies and timing class', async () => {
    const real = await operator();
    const unknown = `nobody-${randomUUID().slice(0, 8)}@example.net`;
    const [realNet, unknownNet] = [network(), network()];
    const realAnswers = [];
    const unknownAnswers = [];
    // Interleaved, so a busy machine slows both sides alike.
    for (let i = 1; i <= SOURCE_FAILURES + 1; i++) {
      realAnswers.push(await login(real, 'wrong-password-123', `${realNet}.1.${i}`));
      unknownAnswers.push(await login(unknown, 'wrong-password-123', `${unknownNet}.1.${i}`));
    }
    const shape = (a: { status: number; code: unknown; message: unknown; retryAfter: unknown }) => ({ status: a.status, code: a.code, message: a.message, throttled: a.retryAfter !== undefined });
    expect(realAnswers.map(shape)).toEqual(unknownAnswers.map(shape));
    expect(realAnswers.map((a) => a.status)).toEqual([...Array<number>(SOURCE_FAILURES).fill(401), 429]);
    expect(realAnswers[SOURCE_FAILURES].code).toBe('login_throttled');
    // Both pay the same password verification: the medians stay within a factor of 3 of each other
    // (skipping the hash for unknown accounts would make them differ by more than 10x).
    const ratio = median(realAnswers.slice(0, SOURCE_FAILURES).map((a) => a.ms)) / median(unknownAnswers.slice(0, SOURCE_FAILURES).map((a) => a.ms));
    expect(ratio).toBeGreaterThan(1 / 3);
    expect(ratio).toBeLessThan(3);
  });

  it('lets no stranger lock the operator out: the throttle holds the stranger’s network only', async () => {
    const email = await operator();
    const stranger = network();
    for (let i = 1; i <= SOURCE_FAILURES; i++) expect((await login(email, 'wrong-password-123', `${stranger}.7.${i}`)).status).toBe(401);
    // The stranger's /24 is refused for this account, whatever the password...
    const refused = await login(email, OPERATOR_PASSWORD, `${stranger}.7.200`);
    expect(refused.status).toBe(429);
    expect(Number(refused.retryAfter)).toBeGreaterThan(0);
    // ...while the operator, from another network, logs in at once, and the account is not locked.
    expect((await login(email, OPERATOR_PASSWORD, `${network()}.0.1`)).status).toBe(200);
    // (accounts have no lock at all: the correct login cleared the stranger's failures)
    const [row] = await sql<{ failed_logins: number }>(t.config.database.url, 'SELECT failed_logins FROM operator_user WHERE email = $1', [email]);
    expect(row.failed_logins).toBe(0);
  });

  it('slows a distributed guess down instead of locking the account', async () => {
    const email = await operator();
    for (let i = 0; i < ACCOUNT_FAILURES; i++) {
      // One failure from each of ACCOUNT_FAILURES different /24s: no network reaches its own throttle.
      expect((await login(email, 'wrong-password-123', `${network()}.3.1`)).status).toBe(401);
      if (octet > 250) octet = 20;
    }
    const slowed = await login(email, OPERATOR_PASSWORD, `${network()}.4.1`);
    expect(slowed.status).toBe(200);
    expect(slowed.ms).toBeGreaterThanOrEqual(ACCOUNT_DELAY_MS - 50);
  }, 120_000);
});
