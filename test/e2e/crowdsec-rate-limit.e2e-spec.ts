import { randomBytes, randomUUID } from 'node:crypto';
import { DomainError } from '../../src/common/errors/domain-error.js';
import { statusOf } from '../../src/common/errors/error-catalogue.js';
import { SystemClock } from '../../src/infra/clock/clock.js';
import { RedisService } from '../../src/infra/redis/redis.service.js';
import { IngestGateService } from '../../src/signals/ingest-gate.service.js';
import { createOrganization, enrollAgent, signBatch } from '../factories/agent.factory.js';
import { signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { capiSignal, registerAndLogin } from '../crowdsec/capi-client.js';


/** A public address in 185.150-199.x.x, away from the other CrowdSec test files' range. */
function backlogIp(i: number): string {
  const salt = randomBytes(2);
  return `185.${150 + (salt[0] % 50)}.${salt[1]}.${1 + (i % 250)}`;
}

/**
 * The per-agent batch bucket (src/signals/ingest-gate.service.ts) with the default sizes: a
 * CrowdSec 1.4.6 backlog flush (chunks of 50, back to back, no retry on 429) is stored in full.
 */
describe('batch rate: a token bucket sized for a real engine flush', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp({ QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000' });
  });
  afterAll(async () => t?.close());

  it('stores a 1.4.6 backlog flush of 8 chunks of 50 sent back to back, every signal at full weight', async () => {
    const { token } = await registerAndLogin(t.app);
    const ips = Array.from({ length: 400 }, (_, i) => backlogIp(i));
    const statuses: number[] = [];
    for (let chunk = 0; chunk < 8; chunk++) {
      const body = ips.slice(chunk * 50, chunk * 50 + 50).map((ip) => capiSignal(ip));
      const res = await t.app.inject({ method: 'POST', url: '/v2/signals', headers: { authorization: `Bearer ${token}` }, payload: body });
      statuses.push(res.statusCode);
    }
    expect(statuses).toEqual(Array(8).fill(200));
    const rows = await sql<{ n: string; flagged: string }>(
      t.config.database.url,
      'SELECT count(*) AS n, count(*) FILTER (WHERE weight = 0) AS flagged FROM signal WHERE ip = ANY($1)',
      [ips],
    );
    expect(Number(rows[0].n)).toBe(400);
    expect(Number(rows[0].flagged)).toBe(0);
  });

  it('gives Quorum agents the same bucket: a burst of 20 signed batches is accepted', async () => {
    const agent = await enrollAgent(t.app, (await createOrganization(t.app)).enrollKey);
    const sends = Array.from({ length: 20 }, () => {
      const req = signBatch(agent, { signals: [signal()] });
      return t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
    });
    expect((await Promise.all(sends)).map((r) => r.statusCode)).toEqual(Array(20).fill(200));
  });

  it.each(['redis', 'embedded'])('accepts past the bucket with weight 0 (flag 8), refuses only past the overflow, and refills at the sustained rate (%s)', async (backend) => {
    let gate = t.app.get(IngestGateService);
    if (backend === 'embedded') {
      // `npm start` without services keeps the shared state in process: the same gate must hold there.
      const config = { ...t.config, redis: { ...t.config.redis, backend: 'memory' as const } };
      gate = new IngestGateService(new RedisService(config, new SystemClock()), config);
    }
    const { burstBatches: burst, overflowBatches: overflow, maxBatchesPerSecond: rate } = t.config.signals;
    const agentId = randomUUID();
    const t0 = Date.UTC(2030, 0, 1, 12);
    const pass = (atMs: number) => gate.pass(agentId, randomBytes(12).toString('base64url'), [], atMs);
    for (let i = 0; i < burst; i++) expect((await pass(t0)).overRate).toBe(false);
    for (let i = 0; i < overflow; i++) expect((await pass(t0)).overRate).toBe(true);
    const refused = await pass(t0).then(
      () => null,
      (error: unknown) => error,
    );
    // Domain errors carry a code; the filter answers it with the catalogue's status.
    expect(refused).toBeInstanceOf(DomainError);
    expect(statusOf((refused as DomainError).code)).toBe(429);
    expect(Number((refused as DomainError).headers?.['retry-after'])).toBe(Math.max(1, Math.ceil(1 / rate)));
    // The debt is paid back at `rate` per second before full weight returns.
    const repaid = t0 + ((overflow + 2) / rate) * 1000;
    expect((await pass(repaid - 1000 * (2 / rate))).overRate).toBe(true);
    expect((await pass(repaid + 1000 * (2 / rate))).overRate).toBe(false);
  });
});
