import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BouncerKeysService } from '../../src/crowdsec/bouncer-keys.service.js';
import { createOrganization } from '../factories/agent.factory.js';
import { sql } from '../setup/db.js';
import { listenTestApp, type TestApp } from '../setup/test-app.js';
import { listing, publishAndWait, randomAttackerIp } from '../crowdsec/capi-client.js';
import { capiValues, ensureCrowdsec, freePort, run, SCRIPTS, waitFor } from '../crowdsec/real-clients.js';

/**
 * The real CrowdSec engine (Debian 1.4.6, CAPI v2) and the real custom bouncer against Quorum.
 * Installs both when missing (scripts/ensure-crowdsec.sh); every wait is bounded.
 */
const CLASS = 'cs-real-engine';

const unavailable = ensureCrowdsec();
if (unavailable) console.warn(`SKIPPED crowdsec-real-engine: ${unavailable}`);
const suite = unavailable ? describe.skip : describe;

suite('real CrowdSec engine and bouncer against Quorum', () => {
  let t: TestApp & { url: string };
  let dir: string;
  let bouncer: ChildProcess | null = null;
  const started: string[] = [];

  afterAll(async () => {
    if (bouncer?.pid) {
      try {
        process.kill(-bouncer.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    if (started.includes('engine')) await run('engine.sh', [dir, 'stop'], {}, 20_000).catch(() => undefined);
    if (t) await t.close();
    if (dir && !process.env.QUORUM_KEEP_CROWDSEC_DIR) rmSync(dir, { recursive: true, force: true });
  });

  it('registers, pushes signals, pulls the published list, and feeds the custom bouncer', async () => {
    dir = mkdtempSync(join(tmpdir(), 'quorum-crowdsec-'));
    t = await listenTestApp({ QUORUM_ENROLL_MAX_PER_NETWORK_PER_DAY: '1000' });
    const [listedA, listedB] = ['193.32.162.7', '193.32.162.8'];
    const attacker = randomAttackerIp();
    await publishAndWait(t.app, [listing(listedA, CLASS), listing(listedB, CLASS)]);
    const { organizationId } = await createOrganization(t.app, 'real bouncer');
    const { key } = await t.app.get(BouncerKeysService).create(organizationId, 'custom-bouncer');

    await run('engine.sh', [dir, 'start'], { CAPI_URL: `${t.url}/`, LAPI_PORT: String(await freePort()) });
    started.push('engine');
    bouncer = spawn('bash', [join(SCRIPTS, 'bouncer.sh'), join(dir, 'bouncer'), `${t.url}/`, key], { detached: true, stdio: 'ignore' });
    // The engine tails its log from the end once its scenarios are loaded (a few seconds after
    // LAPI answers): feed bursts until it raises the alert.
    await waitFor('an ssh-bf alert in the engine', 40_000, async () => {
      await run('feed-sshd.sh', [attacker, '8', dir]);
      const alerts = await run('engine.sh', [dir, 'cscli', 'alerts', 'list', '--ip', attacker, '-o', 'json']);
      return alerts.includes('crowdsecurity/ssh-bf');
    });

    // (b) the engine's startup pull stores the published list as CAPI decisions
    await waitFor('CAPI decisions in the engine', 30_000, async () => {
      const values = await capiValues(dir);
      return values.has(listedA) && values.has(listedB);
    });
    // (c) the bouncer receives additions, then a deletion once Quorum delists
    const actions = () => readFileSync(join(dir, 'bouncer/actions.log'), 'utf8');
    await waitFor('bouncer additions', 30_000, () => {
      try {
        return actions().includes(`add ${listedA} `) && actions().includes(`add ${listedB} `);
      } catch {
        return false;
      }
    });
    await publishAndWait(t.app, [listing(listedB, CLASS, 1, 'remove')]);
    await waitFor('bouncer deletion', 30_000, () => actions().includes(`del ${listedB} `));
    expect(actions()).not.toContain(`del ${listedA} `);

    // (a) the engine logged in and pushed its signals (first push tick: 15-45 s after start)
    const machineId = readFileSync(join(dir, 'machine_id'), 'utf8').trim();
    const rows = await waitFor('signals from the engine', 80_000, async () => {
      const found = await sql(
        t.config.database.url,
        `SELECT s.scenario, s.scenario_trust, s.source FROM signal s WHERE s.ip = $1 AND s.scenario = 'crowdsecurity/ssh-bf'`,
        [attacker],
      );
      return found.length > 0 ? found : null;
    });
    expect(rows[0]).toEqual({ scenario: 'crowdsecurity/ssh-bf', scenario_trust: 'certified', source: 'crowdsec' });
    const agent = await sql(t.config.database.url, "SELECT kind, last_login_at FROM agent WHERE machine_id = $1", [machineId]);
    expect(agent[0].kind).toBe('crowdsec');
    expect(agent[0].last_login_at).not.toBeNull();

    // cscli console enroll: the attachment key is an organisation enrollment key (202 = enrolled)
    const org = await createOrganization(t.app, 'real engine org');
    await run('engine.sh', [dir, 'cscli', 'console', 'enroll', org.enrollKey, '--name', 'quorum-ci']);
    const moved = await sql(t.config.database.url, 'SELECT organization_id FROM agent WHERE machine_id = $1', [machineId]);
    expect(moved[0].organization_id).toBe(org.organizationId);
  }, 240_000);
});
