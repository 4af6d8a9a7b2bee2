import { createOrganization, keyPair, nextSourceAddress } from '../factories/agent.factory.js';
import { mapError } from '../../src/common/errors/error-body.js';
import { PrismaService } from '../../src/infra/prisma/prisma.service.js';
import { TRANSACTION_LIMITS } from '../../src/infra/prisma/transaction-limits.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { APP_BOOT_TIMEOUT_MS } from '../support/waits.js';

/**
 * A transaction that cannot start because the database is busy (every pooled connection taken) is a
 * 503 with Retry-After: nothing was committed and the client may retry. Never a 500.
 */
describe('database busy: transactions that cannot start', () => {
  let t: TestApp;
  let enrollKey: string;

  beforeAll(async () => {
    // One pooled connection, so the test can take it and make the next transaction wait.
    t = await createTestApp({ DATABASE_POOL_SIZE: '1' });
    enrollKey = (await createOrganization(t.app, 'busy-db')).enrollKey;
  }, APP_BOOT_TIMEOUT_MS);
  afterAll(async () => t?.close(), APP_BOOT_TIMEOUT_MS);

  async function withPoolTaken<T>(work: () => Promise<T>): Promise<T> {
    const held = await t.app.get(PrismaService).pool.connect();
    try {
      return await work();
    } finally {
      held.release();
    }
  }

  it('sizes interactive transaction waits for a busy machine (Prisma defaults: 2 s to start, 5 s to run)', () => {
    expect(TRANSACTION_LIMITS.maxWait).toBeGreaterThanOrEqual(5_000);
    expect(TRANSACTION_LIMITS.timeout).toBeGreaterThanOrEqual(TRANSACTION_LIMITS.maxWait);
  });

  it("maps Prisma's own start timeout (P2028) to 503 with Retry-After", async () => {
    const prisma = t.app.get(PrismaService);
    const error = await withPoolTaken(() => prisma.$transaction(async (tx) => tx.organization.count(), { maxWait: 200 }).then(() => null, (e: unknown) => e));
    expect(error).toEqual(expect.objectContaining({ code: 'P2028' }));
    expect((error as Error).message).toMatch(/Unable to start a transaction in the given time/);
    expect(mapError(error)).toEqual(expect.objectContaining({ status: 503, code: 'service_unavailable', headers: { 'retry-after': '2' } }));
  });

  it('answers 503 with Retry-After through HTTP when the transaction cannot get a connection, then recovers', async () => {
    const enroll = () =>
      t.app.inject({ method: 'POST', url: '/v1/agents', payload: { name: 'busy', public_key: keyPair().publicKey, enroll_key: enrollKey }, remoteAddress: nextSourceAddress() });
    const busy = await withPoolTaken(enroll);
    expect(busy.statusCode).toBe(503);
    expect(Number(busy.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(busy.json()).toEqual(expect.objectContaining({ statusCode: 503, code: 'service_unavailable' }));
    expect((await enroll()).statusCode).toBe(201);
  });
});
