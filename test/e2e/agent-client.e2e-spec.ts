import { Readable } from 'node:stream';
import { appendFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { AgentRuntime } from '../../agent-client/src/agent/agent-runtime.js';
import { registerAgent } from '../../agent-client/src/commands/register.js';
import { type AgentConfig, parseConfig } from '../../agent-client/src/config.js';
import { generateAgentKeys, writeAgentKeys } from '../../agent-client/src/sign/agent-keys.js';
import { runCli } from '../../agent-client/src/commands/cli-main.js';
import { jsonLogger } from '../../agent-client/src/util/logger.js';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { createHttpApp } from '../../src/app/create-http-app.js';
import { createRootLogger } from '../../src/common/logging/pino-logger.js';
import { createOrganization, enrollAgent, signBatch, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp, signal } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp, testConfig } from '../setup/test-app.js';
import { createOperator } from '../support/principals.js';
import { APP_BOOT_TIMEOUT_MS, waitFor } from '../support/waits.js';
import { scoringRun } from '../support/scoring.js';

const DAY = 86_400_000;
const OVERRIDES = { QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000', QUORUM_LOOKUP_POLL_MS: '200' };

/** Six failed sshd logins from `ip` within a second: one `quorum/ssh-bf` signal. */
const bruteForce = (ip: string) =>
  Array.from({ length: 6 }, (_, i) => `${new Date(Date.now() - 5_000 + i * 100).toISOString()} web1 sshd[42]: Failed password for root from ${ip} port ${40000 + i} ssh2\n`).join('');

/** The same API as listenTestApp, on a chosen port (a restart keeps the agent's server URL valid). */
async function listenOn(port: number): Promise<TestApp> {
  const config = testConfig(OVERRIDES);
  const app = await createHttpApp(config, createRootLogger(config.log.level));
  await app.listen({ host: '127.0.0.1', port });
  return { app, config, close: () => app.close() };
}

describe('reference agent client against the real Quorum service', () => {
  let t: TestApp;
  let url: string;
  let dir: string;
  let config: AgentConfig;
  let organizationId: string;
  let listedAttacker = '';
  const log = () => join(dir, 'auth.log');
  const db = () => t.config.database.url;
  const runtime = () => new AgentRuntime(config, jsonLogger('error', () => undefined), { checkpointMs: 100 });

  async function rowsFor(ips: string[]): Promise<{ uuid: string; n: number }[]> {
    const rows = await sql(db(), 'SELECT uuid, count(*)::int AS n FROM signal WHERE ip = ANY($1) GROUP BY uuid', [ips]);
    return rows as { uuid: string; n: number }[];
  }

  beforeAll(async () => {
    const listening = await listenTestApp(OVERRIDES);
    t = listening;
    url = listening.url;
    dir = await mkdtemp(join(tmpdir(), 'quorum-agent-e2e-'));
    await writeFile(log(), '');
    const raw = {
      server: { url, timeout: '10s' }, // generous: the first request of a cold app on a busy machine
      stateDir: 'state',
      logs: [{ path: 'auth.log', format: 'sshd', startAt: 'beginning' }],
      outputs: [{ type: 'nftables', path: 'blocklist.nft' }],
      push: { flushInterval: '100ms', minBackoff: '50ms', maxBackoff: '200ms' },
      // this file tests the central path: one signal per attacker, and a file written from the consensus
      // listing only (local remediation is agent-client-remediation.e2e-spec.ts)
      scenarios: { disabled: ['quorum/ssh-slow-bf'] },
      remediation: { enabled: false },
    };
    await writeFile(join(dir, 'config.json'), JSON.stringify(raw));
    config = parseConfig(raw, dir);
    config.pull.intervalMs = 200; // below the configurable minimum, for the test only
    await mkdir(config.stateDir, { recursive: true });
    await writeAgentKeys(config.privateKeyFile, generateAgentKeys());
    const org = await createOrganization(t.app, 'agent-client-e2e');
    organizationId = org.organizationId;
    const io = { out: () => undefined, err: () => undefined, env: {} };
    expect(await registerAgent({ configPath: join(dir, 'config.json'), enrollKey: org.enrollKey, tags: [], force: false }, io)).toBe(0);
  }, APP_BOOT_TIMEOUT_MS);

  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('stores the signals it detects, and writes a consensus-listed attacker into its nftables file', async () => {
    const attacker = attackerIp();
    const rt = runtime();
    await rt.start();
    try {
      await appendFile(log(), `garbage that is not sshd\n${bruteForce(attacker)}`);
      await waitFor('the signal stored', 10_000, async () => (await rowsFor([attacker])).length === 1);
      const [stored] = await sql(db(), 'SELECT scenario, uuid FROM signal WHERE ip = $1', [attacker]);
      expect(stored).toEqual(expect.objectContaining({ scenario: 'quorum/ssh-bf', uuid: expect.any(String) }));

      const others: TestAgent[] = [];
      for (let i = 0; i < 3; i++) {
        const { enrollKey } = await createOrganization(t.app, `agent-client-peer-${i}`);
        others.push(await enrollAgent(t.app, enrollKey, `peer-${i}`));
      }
      for (const peer of others) {
        const req = signBatch(peer, { signals: [signal({ ip: attacker })] });
        const res = await t.app.inject({ method: 'POST', url: '/v1/signals', headers: req.headers, payload: req.payload });
        expect(res.statusCode).toBe(200);
      }
      const registration = JSON.parse(await readFile(join(config.stateDir, 'agent.json'), 'utf8')) as { agent_id: string };
      const voters = [{ organizationId, id: registration.agent_id }, ...others];
      const identities = t.app.get(ReporterIdentityService);
      for (let i = 0; i < voters.length; i++) {
        const { reporter } = await identities.identify(voters[i].organizationId, voters[i].id);
        await sql(db(), 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4 WHERE pseudonym = $1', [
          reporter,
          new Date(Date.now() - 200 * DAY),
          64_600 + i,
          `net-${64_600 + i}`,
        ]);
      }
      expect((await scoringRun(t)).outcome).toBe('done');
      listedAttacker = attacker;
      const nft = join(dir, 'blocklist.nft');
      await waitFor('the attacker in the nftables file', 10_000, async () => (await readFile(nft, 'utf8').catch(() => '')).includes(attacker));
      expect(await readFile(nft, 'utf8')).toMatch(new RegExp(`^add element inet \\S+ \\S+ \\{[^}]*\\b${attacker.replaceAll('.', '\\.')}\\b`, 'm'));
    } finally {
      await rt.stop();
    }
  }, 40_000);

  it('`quorum-agent lookup IP` prints the server\'s answer for the listed attacker, with an API key', async () => {
    expect(listedAttacker).not.toBe('');
    const admin = await createOperator(t.app, 'admin', null);
    const created = await t.app.inject({ method: 'POST', url: `/v1/organizations/${organizationId}/api-keys`, headers: admin.headers, payload: { name: 'agent lookup' } });
    expect(created.statusCode).toBe(201);
    const key = created.json().key as string;
    const lookup = async (args: string[]) => {
      let out = '';
      let err = '';
      const io = { out: (x: string) => void (out += x), err: (x: string) => void (err += x), env: { QUORUM_API_KEY: key } };
      const code = await runCli(['lookup', ...args, '--config', join(dir, 'config.json')], io, { stdin: Readable.from([]), stop: Promise.resolve() });
      return { code, out, err };
    };
    let answer: Record<string, unknown> = {};
    await waitFor('the lookup index to list the attacker', 10_000, async () => {
      const r = await lookup([listedAttacker]);
      expect(r.code).toBe(0);
      answer = JSON.parse(r.out) as Record<string, unknown>;
      return answer.listed === true;
    });
    expect(answer).toEqual(expect.objectContaining({ ip: listedAttacker, listed: true }));
    const refused = await lookup([listedAttacker, '--api-key', 'not-a-key']);
    expect(refused).toEqual({ code: 1, out: '', err: expect.stringContaining('invalid_api_key') });
  }, 20_000);

  // The test restarts the server: that boot gets the shared boot bound on top of the test's own 40 s.
  it('delivers every signal exactly once across a server restart while the log keeps growing', async () => {
    const port = Number(new URL(url).port);
    const before = [attackerIp(), attackerIp()];
    const during = [attackerIp(), attackerIp(), attackerIp()];
    const after = [attackerIp()];
    const rt = runtime();
    await rt.start();
    try {
      await appendFile(log(), before.map(bruteForce).join(''));
      await waitFor('signals before the outage', 10_000, async () => (await rowsFor(before)).length === before.length);
      await t.close();
      for (const ip of during) await appendFile(log(), bruteForce(ip));
      await waitFor('signals spooled while down', 10_000, () => (rt.status().spool as { pending: number }).pending === during.length);
      t = await listenOn(port);
      await appendFile(log(), after.map(bruteForce).join(''));
      const all = [...before, ...during, ...after];
      await waitFor('every signal delivered', 15_000, async () => (await rowsFor(all)).length === all.length);
      // Every spooled signal acknowledged: nothing is left to resend, so a duplicate would already be stored.
      await waitFor('the spool acknowledged', 15_000, () => (rt.status().spool as { pending: number }).pending === 0);
      const rows = await rowsFor(all);
      expect(rows).toHaveLength(all.length);
      expect(rows.every((r) => r.n === 1)).toBe(true);
      expect(new Set(rows.map((r) => r.uuid)).size).toBe(all.length);
    } finally {
      await rt.stop();
    }
    const status = JSON.parse(await readFile(config.statusFile, 'utf8'));
    expect(status.spool).toEqual(expect.objectContaining({ pending: 0 }));
  }, APP_BOOT_TIMEOUT_MS + 40_000);
});
