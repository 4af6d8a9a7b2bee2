import { randomInt } from 'node:crypto';
import { NetworkIdentityService } from '../../src/common/network/network-identity.service.js';
import { NETWORK_KEY_ROTATION } from '../../src/common/network/network-key-ring.js';
import { Clock } from '../../src/infra/clock/clock.js';
import { applyMigrations } from '../../src/infra/prisma/migrate/migrate.js';
import { RetentionService } from '../../src/privacy/retention.service.js';
import { PrivacyModule } from '../../src/privacy/privacy.module.js';
import { partitionFor } from '../../src/signals/signal-partitions.js';
import { SignalPartitionsRepository } from '../../src/signals/signal-partitions.repository.js';
import { createOrganization, enrollAgent, keyPair } from '../factories/agent.factory.js';
import { recreateDatabase, sql } from '../setup/db.js';
import { createTestApp, type TestApp } from '../setup/test-app.js';
import { testEnv } from '../setup/test-env.js';

const DAY = 86_400_000;
const MINUTE = 60_000;
jest.setTimeout(120_000);

/** Pins the app's injectable clock (every service reads time through it). */
function pinClock(t: TestApp, at: Date): void {
  const clock = t.app.get(Clock);
  clock.now = () => new Date(at.getTime());
  clock.nowMs = () => at.getTime();
}

/**
 * GDPR R6: agents' network identity at /24 (/48) granularity only, derived data kept 30 days, the
 * network key rotated with an overlap. Own database: rotating keys must not change other files' pseudonyms.
 */
describe('agent egress identity (R6): /24 granularity, 30-day derived data, key rotation with overlap', () => {
  let t: TestApp;
  let db: string;
  const third = randomInt(0, 200);

  beforeAll(async () => {
    const url = new URL(testEnv().DATABASE_URL);
    url.pathname = `${url.pathname}_netkeys`;
    db = url.toString();
    await recreateDatabase(db);
    await applyMigrations(db);
    t = await createTestApp({ DATABASE_URL: db, REDIS_PREFIX: 'quorum-test-netkeys' });
  });
  afterAll(async () => t?.close());

  async function enrollFrom(address: string, name: string): Promise<string> {
    const { enrollKey } = await createOrganization(t.app, name);
    return enrollAgentFrom(enrollKey, address, name);
  }

  async function enrollAgentFrom(enrollKey: string, address: string, name: string): Promise<string> {
    // enrollAgent picks its own source address; this file needs chosen ones.
    const agent = await enrollAgent(t.app, enrollKey, name);
    const network = t.app.get(NetworkIdentityService).identify(address);
    await sql(db, 'UPDATE agent SET network_pseudonym = $2, egress_pseudonym = $3 WHERE id = $1', [agent.id, network.network, network.egress]);
    return agent.id;
  }

  it('stores nothing finer than the /24 (/48): two addresses of one /24 get the same egress pseudonym', async () => {
    const network = t.app.get(NetworkIdentityService);
    const a = network.identify(`45.77.${third}.10`);
    const b = network.identify(`45.77.${third}.200`);
    const other = network.identify(`45.77.${third + 1}.10`);
    expect(a.network).toMatch(/^[0-9a-f]{32}$/);
    expect(a.egress).toBe(a.network);
    expect(b.egress).toBe(a.egress);
    expect(other.egress).not.toBe(a.egress);
    const v6a = network.identify('2a01:4f8:10:1::1');
    const v6b = network.identify('2a01:4f8:10:ffff::2');
    expect(v6a.egress).toBe(v6b.egress);
    expect(network.identify('2a01:4f8:11::1').egress).not.toBe(v6a.egress);

    // Through the HTTP API too: an agent enrolled from a /24 holds that /24's pseudonym and nothing else.
    const { enrollKey } = await createOrganization(t.app, 'netkeys-http');
    const source = `45.78.${third}.10`;
    const res = await t.app.inject({ method: 'POST', url: '/v1/agents', payload: { name: 'netkeys-http', public_key: keyPair().publicKey, enroll_key: enrollKey }, remoteAddress: source });
    expect(res.statusCode).toBe(201);
    const [row] = await sql<{ network_pseudonym: string; egress_pseudonym: string; enroll_network: string }>(db, 'SELECT network_pseudonym, egress_pseudonym, enroll_network FROM agent WHERE id = $1', [res.json().id]);
    const expected = network.networkOf(`45.78.${third}.99`);
    expect(row).toEqual({ network_pseudonym: expected, egress_pseudonym: expected, enroll_network: expected });
  });

  it('clears derived network data 30 days after it was derived (agents by last login, reporters by last refresh or signal)', async () => {
    // After the first key became valid (created when the app booted).
    const now = new Date(Math.ceil(Date.now() / MINUTE) * MINUTE + MINUTE);
    pinClock(t, now);
    await t.app.get(NetworkIdentityService).refreshKeys();
    const stale = await enrollFrom(`45.80.${third}.1`, 'netkeys-stale');
    const fresh = await enrollFrom(`45.80.${third}.2`, 'netkeys-fresh');
    const justPast = new Date(now.getTime() - 30 * DAY - MINUTE);
    const justInside = new Date(now.getTime() - 30 * DAY + MINUTE);
    await sql(db, "UPDATE agent SET enrolled_at = $2, last_login_at = $2, asn = 64500, country = 'FR' WHERE id = $1", [stale, justPast]);
    await sql(db, "UPDATE agent SET enrolled_at = $2, last_login_at = $2, asn = 64501, country = 'DE' WHERE id = $1", [fresh, justInside]);
    await sql(db, "INSERT INTO reporter (pseudonym, owner, asn, net, country, enrolled_at, updated_at) VALUES ('netkeys-idle', 'o1', 64502, 'n1', 'FR', $1, $1), ('netkeys-active', 'o2', 64503, 'n2', 'DE', $1, $1)", [justPast]);
    // derived (refreshed) recently but silent since: kept until its derivation is 30 days old
    await sql(db, "INSERT INTO reporter (pseudonym, owner, asn, net, country, enrolled_at, updated_at) VALUES ('netkeys-refreshed', 'o3', 64504, 'n3', 'NL', $1, $2)", [justPast, justInside]);
    await t.app.select(PrivacyModule).get(SignalPartitionsRepository).ensure([partitionFor(Math.floor(justInside.getTime() / DAY) * DAY)]);
    await sql(
      db,
      `INSERT INTO signal (received_at, reporter, owner, source, ip, ip_key, scope, scenario, started_at, stopped_at, weight)
       VALUES ($1, 'netkeys-active', 'o2', 'quorum', '185.1.1.1', '185.1.1.1', 'ip', 'ssh-bf', $1, $1, 1)`,
      [justInside],
    );

    await t.app.select(PrivacyModule).get(RetentionService).run();
    const agents = await sql<{ id: string; network_pseudonym: string | null; egress_pseudonym: string | null; enroll_network: string | null; asn: number | null; country: string | null }>(
      db,
      'SELECT id, network_pseudonym, egress_pseudonym, enroll_network, asn, country FROM agent WHERE id = ANY($1::uuid[])',
      [[stale, fresh]],
    );
    const byId = Object.fromEntries(agents.map((a) => [a.id, a]));
    expect(byId[stale]).toEqual({ id: stale, network_pseudonym: null, egress_pseudonym: null, enroll_network: null, asn: null, country: null });
    expect(byId[fresh]).toEqual(expect.objectContaining({ network_pseudonym: expect.stringMatching(/^[0-9a-f]{32}$/), asn: 64501, country: 'DE' }));
    const reporters = await sql(db, "SELECT pseudonym, net, asn, country FROM reporter WHERE pseudonym LIKE 'netkeys-%' ORDER BY pseudonym");
    expect(reporters).toEqual([
      { pseudonym: 'netkeys-active', net: 'n2', asn: 64503, country: 'DE' },
      { pseudonym: 'netkeys-idle', net: null, asn: null, country: null },
      { pseudonym: 'netkeys-refreshed', net: 'n3', asn: 64504, country: 'NL' },
    ]);
  });
  it('rotates the key: the next key is created a day ahead, both match during the 30-day overlap, then the old secret is destroyed', async () => {
    const network = t.app.get(NetworkIdentityService);
    const [first] = await sql<{ id: number; valid_from: Date }>(db, 'SELECT id, valid_from FROM network_key ORDER BY id');
    const t0 = first.valid_from.getTime();
    const { rotateMs, overlapMs, aheadMs } = NETWORK_KEY_ROTATION;
    const target = `45.79.${third}.5`;
    pinClock(t, new Date(t0 + DAY));
    const before = network.egressCandidates(target);
    expect(before).toHaveLength(1);
    expect(network.currentKeyId()).toBe(first.id);

    // Not yet due one minute before the "ahead" point; due one minute after it.
    pinClock(t, new Date(t0 + rotateMs - aheadMs - MINUTE));
    expect(await network.rotateKeys()).toEqual({ created: null, destroyed: 0 });
    pinClock(t, new Date(t0 + rotateMs - aheadMs + MINUTE));
    expect(await network.rotateKeys()).toEqual({ created: first.id + 1, destroyed: 0 });
    // Created ahead, not yet current: derivations do not change.
    expect(network.egressCandidates(target)).toEqual(before);

    pinClock(t, new Date(t0 + rotateMs + MINUTE));
    const during = network.egressCandidates(target);
    expect(during).toHaveLength(2);
    expect(during[1]).toBe(before[0]);
    expect(during[0]).not.toBe(before[0]);
    expect(network.networkOf(target)).toBe(during[0]);
    // Memos of pseudonyms (the signals domain's self-/24 check) key on the current key id.
    expect(network.currentKeyId()).toBe(first.id + 1);

    // The old key's secret goes when the overlap ends (retention job, daily), one minute either side.
    pinClock(t, new Date(t0 + rotateMs + overlapMs - MINUTE));
    expect((await network.rotateKeys()).destroyed).toBe(0);
    pinClock(t, new Date(t0 + rotateMs + overlapMs + MINUTE));
    const run = await t.app.select(PrivacyModule).get(RetentionService).run();
    expect(run.deleted.network_key).toBe(1);
    expect(await sql(db, 'SELECT secret IS NULL AS gone FROM network_key WHERE id = $1', [first.id])).toEqual([{ gone: true }]);
    expect(network.egressCandidates(target)).toEqual([during[0]]);
  });

});
