import { ReporterIdentityService } from '../../src/agents/reporter-identity.service.js';
import type { ConsensusRuntime } from '../../src/consensus/consensus-runtime.js';
import { ConsensusService } from '../../src/consensus/consensus.service.js';
import { ConsensusSnapshots, type RestoredSnapshot } from '../../src/consensus/snapshot/consensus-snapshot.service.js';
import { scoringRun } from '../support/scoring.js';
import { SeededRng } from '../support/seeded-rng.js';
import { ingestWave, pushSignals } from '../support/signal-waves.js';
import { createOrganization, enrollAgent, type TestAgent } from '../factories/agent.factory.js';
import { attackerIp } from '../factories/signal.factory.js';
import { sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { scoringTestOverrides } from '../setup/test-env.js';

const DAY = 86_400_000;
const AGENTS = 30;

/**
 * Issue 21 item 1: a worker restoring the newest snapshot and replaying only the signals after it
 * holds the same engine as the worker that kept running, and as a full replay of all stored signals
 * (the oracle). Real PostgreSQL, signals ingested over the signed HTTP path.
 */
describe('consensus snapshots: restore + tail replay = full replay', () => {
  const overrides = {
    QUORUM_SIGNALS_MAX_BATCHES_PER_SECOND: '1000',
    // One scheduled snapshot (the first run); later ones are taken on demand below.
    QUORUM_CONSENSUS_SNAPSHOT_MINUTES: '600',
    QUORUM_CONSENSUS_SNAPSHOT_KEEP: '2',
    ...scoringTestOverrides(),
  };
  let live: TestApp;
  const others: TestApp[] = [];
  const agents: TestAgent[] = [];
  const rng = new SeededRng(21);

  beforeAll(async () => {
    live = await createTestApp(overrides);
    await sql(live.config.database.url, 'DELETE FROM consensus_snapshot');
    const identities = live.app.get(ReporterIdentityService);
    for (let i = 0; i < AGENTS; i++) {
      const { enrollKey } = await createOrganization(live.app, `snap-org-${i}`);
      const agent = await enrollAgent(live.app, enrollKey, `snap-agent-${i}`);
      agents.push(agent);
      await pushSignals(live.app, agent, [attackerIp()]);
      // Aged, established members, each in its own network.
      const { reporter } = await identities.identify(agent.organizationId, agent.id);
      const updated = await sql(
        live.config.database.url,
        'UPDATE reporter SET enrolled_at = $2, alpha = 60, beta = 3, asn = $3, net = $4, updated_at = now() WHERE pseudonym = $1 RETURNING 1',
        [reporter, new Date(Date.now() - 200 * DAY), 64_800 + i, `snap-net-${i}`],
      );
      expect(updated).toHaveLength(1);
    }
  });
  afterAll(async () => {
    for (const app of [...others, live]) await app?.close();
  });



  function runtimeOf(t: TestApp): ConsensusRuntime {
    const runtime = t.app.get(ConsensusService)['runtime'];
    if (!runtime) throw new Error('no runtime');
    return runtime;
  }

  /**
   * What a worker's engine says of every IP it knows, at one instant. A listing's `confirmed` flag is
   * compared apart (sameEngine): it is set when the listing is evaluated, and a replay ticks at a fixed
   * cadence rather than at the live runs' instants, so one engine may notice a confirmation one rescore
   * later than another (docs/scaling.md, "Snapshots and fail-over").
   */
  function state(runtime: ConsensusRuntime, now: number) {
    const listed = runtime.listed().map((l) => ({ ip: l.ipKey, reason: l.reason }));
    const scores = [...runtime.seen.keys()].sort().map((key) => {
      const e = runtime.engine.explain(key, now);
      return { key, S: Math.round((e?.S ?? 0) * 1000), V: e?.V, E: e?.E, D_AS: e?.D_AS, listed: e?.listing !== null };
    });
    return { listed, scores, seen: [...runtime.seen].sort(([a], [b]) => (a < b ? -1 : 1)) };
  }

  /**
   * Same listings, scores and sightings; and the same confirmations, except one that an engine has not
   * noticed yet although its own evidence at `now` already confirms it (enough established voters, or a
   * sensor sighting): its next rescore sets it.
   */
  function expectSameEngine(actual: ConsensusRuntime, expected: ConsensusRuntime, now: number): void {
    expect(state(actual, now)).toEqual(state(expected, now));
    const confirmedOf = (r: ConsensusRuntime) => new Map(r.listed().map((l) => [l.ipKey, l.confirmed]));
    const a = confirmedOf(actual);
    const e = confirmedOf(expected);
    const lagging: string[] = [];
    for (const [ip, confirmed] of e) {
      if (a.get(ip) === confirmed) continue;
      const behind = confirmed ? actual : expected;
      const evidence = behind.engine.explain(ip, now);
      if (!evidence || !(evidence.H || evidence.E >= behind.engine.state.p.confirmedEstablished)) lagging.push(ip);
    }
    expect(lagging).toEqual([]);
  }

  /** A second worker on the same database, its first run timed; returns what its rebuild restored (null: full replay). */
  async function freshWorker(extra: Record<string, string> = {}): Promise<{ t: TestApp; restored: RestoredSnapshot | null; ms: number }> {
    const t = await createTestApp({ ...overrides, ...extra });
    others.push(t);
    const snapshots = t.app.get(ConsensusSnapshots);
    const spy = jest.spyOn(snapshots, 'restoreNewest');
    const started = Date.now();
    expect((await scoringRun(t)).outcome).toBe('done');
    const ms = Date.now() - started;
    const restored = spy.mock.results.length > 0 ? await (spy.mock.results[0].value as Promise<RestoredSnapshot | null>) : null;
    spy.mockRestore();
    return { t, restored, ms };
  }

  it('saves a snapshot after the first run, then restores it and replays only the newer signals', async () => {
    await ingestWave(live.app, agents, rng, 40);
    expect((await scoringRun(live)).outcome).toBe('done');
    // The run copied its engine; the snapshot is compressed and written in the background.
    await live.app.get(ConsensusSnapshots).idle();
    const [snap] = await sql<{ generation: string; last_signal_id: string; bytes: string; complete: boolean }>(
      live.config.database.url,
      'SELECT generation, last_signal_id, bytes, complete FROM consensus_snapshot ORDER BY id',
    );
    const [cursor] = await sql<{ generation: string; last_signal_id: string }>(live.config.database.url, 'SELECT generation, last_signal_id FROM consensus_cursor');
    expect(snap).toEqual(expect.objectContaining({ generation: cursor.generation, last_signal_id: cursor.last_signal_id, complete: true }));
    expect(Number(snap.bytes)).toBeGreaterThan(0);

    // Two more waves scored by the live worker after the snapshot: the tail.
    await ingestWave(live.app, agents, rng, 40);
    expect((await scoringRun(live)).outcome).toBe('done');
    await ingestWave(live.app, agents, rng, 40);
    expect((await scoringRun(live)).outcome).toBe('done');
    const liveRuntime = runtimeOf(live);
    expect(liveRuntime.listed().length).toBeGreaterThanOrEqual(50);

    const restoredWorker = await freshWorker();
    expect(restoredWorker.restored?.cursor.generation).toBe(BigInt(snap.generation));
    const fullWorker = await freshWorker({ QUORUM_CONSENSUS_SNAPSHOT_MINUTES: '0' });
    expect(fullWorker.restored).toBeNull();
    process.stdout.write(`consensus-snapshot: first run of a new worker, restore + tail ${restoredWorker.ms} ms, full replay ${fullWorker.ms} ms\n`);

    const now = Date.now();
    const oracle = state(runtimeOf(fullWorker.t), now);
    expect(oracle.listed.length).toBe(liveRuntime.listed().length);
    expectSameEngine(runtimeOf(restoredWorker.t), runtimeOf(fullWorker.t), now);
    expectSameEngine(liveRuntime, runtimeOf(fullWorker.t), now);
  });

  it('keeps the configured number of snapshots', async () => {
    for (let i = 0; i < 3; i++) {
      await ingestWave(live.app, agents, rng, 5);
      expect((await scoringRun(live)).outcome).toBe('done');
      expect(await live.app.get(ConsensusService).snapshotNow()).toBe(true);
    }
    const rows = await sql<{ generation: string }>(live.config.database.url, 'SELECT generation FROM consensus_snapshot WHERE complete ORDER BY generation DESC');
    const [cursor] = await sql<{ generation: string }>(live.config.database.url, 'SELECT generation FROM consensus_cursor');
    expect(rows.map((r) => r.generation)).toEqual([cursor.generation, String(BigInt(cursor.generation) - 1n)]);
  });

  it('falls back to a full replay when the newest snapshot is corrupt, and skips one of another format version', async () => {
    const [newest, older] = await sql<{ id: string }>(live.config.database.url, 'SELECT id FROM consensus_snapshot WHERE complete ORDER BY generation DESC');
    // The newest: one byte of its gzip stream flipped. The older: written by an unknown format version.
    await sql(live.config.database.url, `UPDATE consensus_snapshot_chunk SET data = set_byte(data, 20, (get_byte(data, 20) + 1) % 256) WHERE snapshot_id = $1 AND seq = 0`, [newest.id]);
    await sql(live.config.database.url, 'UPDATE consensus_snapshot SET format_version = 99 WHERE id = $1', [older.id]);
    await ingestWave(live.app, agents, rng, 10);
    expect((await scoringRun(live)).outcome).toBe('done');
    const fallback = await freshWorker();
    expect(fallback.restored).toBeNull();
    const now = Date.now();
    expectSameEngine(runtimeOf(fallback.t), runtimeOf(live), now);
  });
});
