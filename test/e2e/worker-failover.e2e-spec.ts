// Issue 21 item 2: two real worker processes (`quorum worker`, the built service) on one database; the
// one leading the scoring is killed with SIGKILL while signals keep arriving. The standby must take the
// scoring leadership, restore the newest engine snapshot and score again within 30 s of the kill, and
// end with the listings of an uninterrupted engine (the oracle: a full replay of every stored signal),
// with gapless blocklist versions and nothing listed twice.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import { ConsensusService } from '../../src/consensus/consensus.service.js';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { createOrganization, enrollAgent, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp } from '../factories/signal.factory.js';
import { recreateDatabase, sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { testEnv } from '../setup/test-env.js';
import { SeededRng } from '../support/seeded-rng.js';
import { ingestWave, pushSignals } from '../support/signal-waves.js';
import { waitFor } from '../support/waits.js';

const root = resolve(__dirname, '..', '..');
// QUORUM_TEST_CLI_ENTRY: an already built entry (a private build), instead of building dist/.
const ENTRY = process.env.QUORUM_TEST_CLI_ENTRY ?? 'bin/quorum.js';
const DAY = 86_400_000;
const AGENTS = 30;

const databaseUrl = (() => {
  const url = new URL(testEnv().DATABASE_URL);
  url.pathname = `${url.pathname}_failover`;
  return url.toString();
})();

/** Shared by the API in this process and both workers: same engine parameters, own database and queues. */
const ENV = {
  DATABASE_URL: databaseUrl,
  REDIS_PREFIX: 'quorum-test-failover',
  QUORUM_SCORING_TICK_MS: '1000',
  QUORUM_CONSENSUS_REPLAY_HOURS: '1',
  QUORUM_SCORING_LEADER_POLL_MS: '500',
  QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
};

interface Worker {
  name: string;
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

function startWorker(name: string): Worker {
  const child = spawn(process.execPath, [ENTRY, 'worker'], {
    cwd: root,
    env: { ...process.env, ...testEnv(), ...ENV, QUORUM_LOG_LEVEL: 'info', QUORUM_CONSENSUS_SNAPSHOT_MINUTES: '1', NODE_OPTIONS: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return { name, child, log: () => out, exited };
}

async function cursor(): Promise<{ generation: bigint; lastSignalId: bigint; lastTickAt: Date | null }> {
  const [row] = await sql<{ generation: string; last_signal_id: string; last_tick_at: Date | null }>(
    databaseUrl,
    'SELECT generation, last_signal_id, last_tick_at FROM consensus_cursor WHERE id = 1',
  );
  return row ? { generation: BigInt(row.generation), lastSignalId: BigInt(row.last_signal_id), lastTickAt: row.last_tick_at } : { generation: 0n, lastSignalId: 0n, lastTickAt: null };
}

describe('scoring fail-over between two worker processes', () => {
  let api: TestApp;
  const workers: Worker[] = [];
  const agents: TestAgent[] = [];
  const rng = new SeededRng(2121);

  beforeAll(async () => {
    if (!process.env.QUORUM_TEST_CLI_ENTRY) {
      const build = spawnSync(process.execPath, ['scripts/with-build.mjs'], { cwd: root, stdio: 'inherit' });
      if (build.status !== 0) throw new Error('build failed');
    }
    await recreateDatabase(databaseUrl);
    await applyMigrations(databaseUrl);
    // The API (ingestion, nudges) runs here; its scoring service is used only as the oracle at the end.
    api = await createTestApp({ ...ENV, QUORUM_CONSENSUS_SNAPSHOT_MINUTES: '0' });
    const identities = api.app.get(ReporterIdentityService);
    for (let i = 0; i < AGENTS; i++) {
      const { enrollKey } = await createOrganization(api.app, `failover-org-${i}`);
      const agent = await enrollAgent(api.app, enrollKey, `failover-agent-${i}`);
      agents.push(agent);
      await pushSignals(api.app, agent, [attackerIp()]);
      const { reporter } = await identities.identify(agent.organizationId, agent.id);
      await sql(databaseUrl, 'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4, updated_at = now() WHERE pseudonym = $1', [
        reporter,
        new Date(Date.now() - 200 * DAY),
        64_900 + i,
        `failover-net-${i}`,
      ]);
    }
  }, 600_000);

  afterAll(async () => {
    for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGKILL');
    await api?.close();
  });



  it('the standby takes over from the newest snapshot within 30 s of a SIGKILL, with the listings of an uninterrupted engine', async () => {
    const active = startWorker('A');
    workers.push(active);
    await waitFor('worker A to lead the scoring', 120_000, () => active.log().includes('scoring leadership taken'), 200);
    const standby = startWorker('B');
    workers.push(standby);
    await waitFor('worker B to start', 120_000, () => standby.log().includes('Quorum worker started'), 200);

    // Ingestion runs throughout; A scores it, saves its first snapshot, and goes on scoring.
    let ingesting = true;
    let waves = 0;
    const ingestion = (async () => {
      while (ingesting) {
        await ingestWave(api.app, agents, rng, 8);
        waves++;
        await new Promise((r) => setTimeout(r, 300));
      }
    })();
    await waitFor('a snapshot of A', 120_000, async () => (await sql(databaseUrl, 'SELECT 1 FROM consensus_snapshot WHERE complete')).length > 0, 200);
    const afterSnapshot = (await cursor()).generation;
    await waitFor('A to score after its snapshot', 120_000, async () => waves >= 3 && (await cursor()).generation >= afterSnapshot + 3n, 100);
    expect(standby.log()).not.toContain('scoring leadership taken');

    const before = await cursor();
    active.child.kill('SIGKILL');
    const killedAt = Date.now();
    await active.exited;

    // The first run after the kill (only B is left to run one), seen through the cursor it stores.
    const taken = await waitFor('B to score after the kill', 120_000, async () => {
      const c = await cursor();
      return c.generation > before.generation && c.lastTickAt && c.lastTickAt.getTime() > killedAt ? c : null;
    }, 50);
    const firstRunAfterKill = taken.lastTickAt!.getTime();
    const lastRunBeforeKill = before.lastTickAt!.getTime();
    process.stdout.write(
      `worker-failover: last run of A ${killedAt - lastRunBeforeKill} ms before the kill; first run of B ${firstRunAfterKill - killedAt} ms after it ` +
        `(gap between runs ${firstRunAfterKill - lastRunBeforeKill} ms); ${waves} waves ingested so far\n`,
    );
    expect(firstRunAfterKill - killedAt).toBeLessThanOrEqual(30_000);
    expect(standby.log()).toContain('scoring leadership taken');
    expect(standby.log()).toMatch(/consensus engine restored from snapshot \d+/);

    // More signals for B alone, then stop and let it score everything.
    await waitFor('a few more waves', 60_000, () => waves >= 6, 100);
    const wavesAtKill = waves;
    await waitFor('ingestion after the kill', 60_000, () => waves >= wavesAtKill + 3, 100);
    ingesting = false;
    await ingestion;
    const [{ max }] = await sql<{ max: string }>(databaseUrl, 'SELECT max(id) AS max FROM signal');
    await waitFor('B to score every signal', 120_000, async () => (await cursor()).lastSignalId >= BigInt(max), 200);
    // Graceful stop: B finishes its run and saves a snapshot.
    standby.child.kill('SIGTERM');
    await waitFor('B to exit', 60_000, () => standby.child.exitCode !== null || standby.child.signalCode !== null, 100);
    expect(standby.log()).toContain('consensus snapshot saved at shutdown');

    const stored = (await sql<{ ip_key: string }>(databaseUrl, 'SELECT ip_key FROM ip_score WHERE listed')).map((r) => r.ip_key).sort();
    const open = (await sql<{ ip_key: string }>(databaseUrl, 'SELECT ip_key FROM blocklist_entry WHERE removed_in IS NULL')).map((r) => r.ip_key).sort();
    expect(open).toEqual(stored);
    expect(stored.length).toBeGreaterThan(20);
    const versions = (await sql<{ id: number }>(databaseUrl, 'SELECT id FROM blocklist_version ORDER BY id')).map((r) => Number(r.id));
    expect(versions).toEqual(versions.map((_, i) => versions[0] + i));
    expect(await sql(databaseUrl, 'SELECT ip_key FROM blocklist_entry WHERE removed_in IS NULL GROUP BY ip_key HAVING count(*) > 1')).toEqual([]);
    expect(await sql(databaseUrl, 'SELECT ip_key, listed_at FROM listing_explanation GROUP BY ip_key, listed_at HAVING count(*) > 1')).toEqual([]);

    // The oracle: a full replay of every stored signal (snapshots off in this process). Its rebuild
    // publishes any difference with the stored listings as a new blocklist version: there must be none.
    const scoring = api.app.get(ConsensusService);
    expect((await scoring.tick()).outcome).toBe('done');
    const oracle = scoring['runtime']!.listed().map((l) => l.ipKey).sort();
    expect(oracle).toEqual(stored);
    const after = (await sql<{ id: number }>(databaseUrl, 'SELECT max(id) AS id FROM blocklist_version'))[0].id;
    expect(Number(after)).toBe(versions.at(-1));
  }, 600_000);
});
